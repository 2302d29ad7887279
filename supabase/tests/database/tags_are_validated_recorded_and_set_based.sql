-- tag_agents: operators add and remove tags on many agents in one statement; tags are normalised
-- (trimmed, lower case) and validated; each changed agent gets one `updated` event naming the actor;
-- agent_overview shows them; every other caller is refused and changes nothing.
begin;
select no_plan();

create function pg_temp.tags(agent text) returns text[] language sql stable security definer as $$
  select tags from public.agent_status where agent_name = agent $$;
grant execute on function pg_temp.tags(text) to anon, authenticated, service_role;

select tests.as_anon();
select throws_ok($$select public.tag_agents(array['Blog Generator'], array['prod'])$$,
                 '42501', 'permission denied for function tag_agents', 'anon: tag_agents is denied');
select tests.as_user(null);
select throws_ok($$select public.tag_agents(array['Blog Generator'], array['prod'])$$,
                 '42501', 'only operators can tag agents', 'a user without a role: tag_agents is forbidden');
select tests.as_user('viewer');
select throws_ok($$select public.tag_agents(array['Blog Generator'], array['prod'])$$,
                 '42501', 'only operators can tag agents', 'viewer: tag_agents is forbidden');
select is(pg_temp.tags('Blog Generator'), '{}'::text[], 'refused callers changed no tag');

select tests.as_user('operator');
select is(public.tag_agents(array['Blog Generator', 'Tweet Scheduler'], array[' Prod ', 'social', 'prod']),
          '[{"agent_name": "Blog Generator", "tags": ["prod", "social"]}, {"agent_name": "Tweet Scheduler", "tags": ["prod", "social"]}]'::jsonb,
          'operator: tags are trimmed, lower-cased, deduplicated and sorted, on every named agent');
select is(public.tag_agents(array['Tweet Scheduler'], array['eu'], array['social']),
          '[{"agent_name": "Tweet Scheduler", "tags": ["eu", "prod"]}]'::jsonb, 'add and remove in one call');
select is(public.tag_agents(array['Tweet Scheduler'], p_remove => array['not-there']),
          '[{"agent_name": "Tweet Scheduler", "tags": ["eu", "prod"]}]'::jsonb, 'removing an absent tag changes nothing');
select results_eq($$select tags from public.agent_overview where agent_name = 'Tweet Scheduler'$$,
                  $$values (array['eu', 'prod'])$$, 'agent_overview shows the tags');

select tests.as_superuser();
select results_eq($$select message, actor_email, snapshot -> 'tags' from public.agent_events
                     where kind = 'updated' and agent_id = tests.agent_id('Tweet Scheduler') order by id$$,
                  $$values ('tags +prod +social', 'operator@example.test', '["prod", "social"]'::jsonb),
                           ('tags +eu −social', 'operator@example.test', '["eu", "prod"]'::jsonb)$$,
                  'each change is one updated event with the actor and the row as its snapshot; no event when nothing changed');

select tests.as_user('operator');
select throws_ok($$select public.tag_agents(array['Blog Generator'], array['two words'])$$, '22023',
                 'tag "two words" must not contain spaces or commas', 'a tag with a space is refused');
select throws_ok($$select public.tag_agents(array['Blog Generator'], array['a,b'])$$, '22023',
                 'tag "a,b" must not contain spaces or commas', 'a tag with a comma is refused');
select throws_ok($$select public.tag_agents(array['Blog Generator'], array[repeat('x', 41)])$$, '22023',
                 format('tag "%s…" is longer than 40 characters', repeat('x', 40)), 'a tag longer than 40 characters is refused');
select throws_ok($$select public.tag_agents(array['Blog Generator'], array['  '])$$, '22023', 'a tag must not be empty', 'an empty tag is refused');
select throws_ok($$select public.tag_agents(array['Blog Generator'])$$, '22023', 'name at least one tag to add or remove', 'no tag at all is refused');
select throws_ok($$select public.tag_agents(array['Blog Generator', 'Nobody'], array['x'])$$, 'PT404', 'unknown agent: "Nobody"',
                 'an unknown agent refuses the whole call');
select throws_ok($$select public.tag_agents(array['Blog Generator'], (select array_agg('t' || g) from generate_series(1, 19) g))$$,
                 '22023', 'agent "Blog Generator" would have more than 20 tags', 'at most 20 tags per agent');
select is(pg_temp.tags('Blog Generator'), array['prod', 'social'], 'refused calls changed nothing');

-- The column's own check holds for direct writes too (the service role writes tables directly).
select tests.as_service();
select throws_ok($$update public.agent_status set tags = array['Upper'] where agent_name = 'Blog Generator'$$, '23514', null,
                 'service: a direct write of an invalid tag violates tags_valid');
select throws_ok($$update public.agent_status set tags = array['a', 'a'] where agent_name = 'Blog Generator'$$, '23514', null,
                 'service: duplicate tags violate tags_valid');
select lives_ok($$select public.tag_agents(array['Blog Generator'], p_remove => array['social'])$$, 'service: tag_agents works');
select is(pg_temp.tags('Blog Generator'), array['prod'], 'service: removed');

select * from finish();
rollback;
