-- The fleet's tags meet the one-statement heartbeat (issue 19). A CHECK constraint is evaluated on every
-- UPDATE of a row, whatever the UPDATE sets, and app.tags_are_valid() is a SQL function with subqueries,
-- which Postgres never inlines: the tags_valid CHECK ran as one more statement inside every heartbeat
-- (supabase/tests/database/a_heartbeat_is_one_statement.sql caught it when both landed together).
-- The same rule as a trigger that fires only when tags are written: a heartbeat never names the column,
-- so it pays nothing, and a direct write of invalid tags still fails with 23514 naming tags_valid.
alter table public.agent_status drop constraint tags_valid;

create function app.enforce_valid_tags() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not app.tags_are_valid(new.tags) then
    raise exception 'new row for relation "agent_status" violates check constraint "tags_valid"'
      using errcode = 'check_violation', constraint = 'tags_valid', schema = 'public', table = 'agent_status',
            detail = 'at most 20 distinct tags, each 1 to 40 characters, lower case, without spaces or commas';
  end if;
  return new;
end $$;
revoke execute on function app.enforce_valid_tags() from public, anon, authenticated;

create trigger tags_valid before insert or update of tags on public.agent_status
  for each row execute function app.enforce_valid_tags();
