-- The five agents of the original system and the example agent; all stopped, health 0.
insert into public.agent_status (agent_name, status, health) values
  ('Content Collector', 'stopped', 0),
  ('Blog Generator', 'stopped', 0),
  ('Tweet Scheduler', 'stopped', 0),
  ('Engagement Analyzer', 'stopped', 0),
  ('Account Manager', 'stopped', 0),
  ('Example Agent', 'stopped', 0)
on conflict (agent_name) do nothing;
