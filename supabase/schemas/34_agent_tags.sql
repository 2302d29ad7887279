-- Tags: agents carry a set of short lower-case labels for filtering and bulk actions; operators add and
-- remove them for many agents in one statement (tag_agents), each change an `updated` event with its
-- actor. A tag: 1 to 40 characters, lower case, no whitespace or commas (so "a, b" lists and URLs stay
-- simple); an agent has at most 20, without duplicates. The RPC lower-cases and trims what it is given.

create function app.tag_problem(tag text) returns text
language sql immutable set search_path = '' as $$
  select case
    when tag is null or tag = '' then 'a tag must not be empty'
    when char_length(tag) > 40 then format('tag "%s…" is longer than 40 characters', left(tag, 40))
    when tag ~ '[[:space:],]' then format('tag "%s" must not contain spaces or commas', tag)
    when tag <> lower(tag) then format('tag "%s" must be lower case', tag)
  end
$$;

create function app.tags_are_valid(tags text[]) returns boolean
language sql immutable set search_path = '' as $$
  select cardinality(tags) <= 20
     and not exists (select 1 from unnest(tags) t where app.tag_problem(t) is not null)
     and cardinality(tags) = (select count(distinct t) from unnest(tags) t)
$$;

-- The rule is a trigger that fires only when tags are written, not a CHECK constraint: a CHECK is
-- evaluated on every UPDATE of a row, whatever the UPDATE sets, and app.tags_are_valid() (a SQL function
-- with subqueries, which Postgres never inlines) would run as one more statement inside every heartbeat.
-- A heartbeat never names the column, so it pays nothing, and a direct write of invalid tags still fails
-- with 23514 naming tags_valid.
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
-- A trigger function: nobody calls it.
revoke execute on function app.enforce_valid_tags() from public, anon, authenticated;

create trigger tags_valid before insert or update of tags on public.agent_status
  for each row execute function app.enforce_valid_tags();

-- What a tag change says in the agent's history: "tags +prod −old".
create function app.describe_tag_change(before text[], after text[]) returns text
language sql immutable set search_path = '' as $$
  select 'tags ' || concat_ws(' ',
    (select string_agg('+' || t, ' ' order by t) from unnest(after) t where not t = any (before)),
    (select string_agg('−' || t, ' ' order by t) from unnest(before) t where not t = any (after)))
$$;

revoke execute on function app.tag_problem(text), app.tags_are_valid(text[]), app.describe_tag_change(text[], text[]) from public;
grant execute on function app.tag_problem(text), app.tags_are_valid(text[]), app.describe_tag_change(text[], text[])
  to anon, authenticated, service_role;

-- Adds and removes tags on every named agent in one UPDATE; each agent whose tags changed gets one
-- `updated` event (who, "tags +a −b", its row as the snapshot). Answers every named agent's tags.
create function public.tag_agents(p_agent_names text[], p_add text[] default '{}', p_remove text[] default '{}')
returns jsonb
language plpgsql security definer set search_path = '' as $$
declare
  adding text[] := (select coalesce(array_agg(distinct lower(btrim(t))), '{}') from unnest(coalesce(p_add, '{}')) t);
  removing text[] := (select coalesce(array_agg(distinct lower(btrim(t))), '{}') from unnest(coalesce(p_remove, '{}')) t);
  problem text;
  crowded text;
  answer jsonb;
begin
  perform app.require_operator('tag agents');
  perform app.check_agent_names(p_agent_names);
  if cardinality(adding) + cardinality(removing) = 0 then
    raise exception 'name at least one tag to add or remove' using errcode = '22023';
  end if;
  select app.tag_problem(t) into problem from unnest(adding || removing) t where app.tag_problem(t) is not null limit 1;
  if problem is not null then
    raise exception '%', problem using errcode = '22023';
  end if;
  select s.agent_name into crowded
    from public.agent_status s
   where s.agent_name = any (p_agent_names)
     and (select count(distinct t) from unnest(s.tags || adding) t where not t = any (removing)) > 20
   limit 1;
  if crowded is not null then
    raise exception 'agent "%" would have more than 20 tags', crowded using errcode = '22023';
  end if;

  with target as (
    select s.id, s.tags as before,
           array(select distinct t from unnest(s.tags || adding) t where not t = any (removing) order by t) as after
      from public.agent_status s
     where s.agent_name = any (p_agent_names)
  ), changed as (
    update public.agent_status s set tags = t.after
      from target t
     where s.id = t.id and t.after is distinct from t.before
    returning s.id, s.agent_name, s.tags, t.before, to_jsonb(s) as snapshot
  ), recorded as (
    insert into public.agent_events (agent_id, kind, message, actor_id, actor_email, snapshot)
    select c.id, 'updated', app.describe_tag_change(c.before, c.tags), auth.uid(), app.actor_email(), c.snapshot
      from changed c
  )
  select coalesce(jsonb_agg(jsonb_build_object('agent_name', s.agent_name, 'tags', coalesce(c.tags, s.tags)) order by s.agent_name), '[]')
    into answer
    from public.agent_status s
    left join changed c on c.id = s.id
   where s.agent_name = any (p_agent_names);
  return answer;
end $$;

revoke execute on function public.tag_agents(text[], text[], text[]) from public, anon, authenticated;
grant execute on function public.tag_agents(text[], text[], text[]) to authenticated, service_role;
