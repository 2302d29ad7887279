-- What `agent-status doctor` reads of a deployed project's database (cli/src/doctor/). One call with the
-- secret key; read-only; names and states only, never a secret's value. Each part is looked up only
-- where its schema exists, so a project without pg_cron, pg_net or Vault gets an answer that says so
-- instead of an error.
create function public.doctor_report() returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  report jsonb;
  jobs jsonb;
  secrets jsonb;
begin
  if not app.is_service() then
    raise exception 'only the service role reads the doctor report' using errcode = '42501';
  end if;
  if to_regclass('cron.job') is not null then
    -- Each job of this project with its newest finished run (pg_cron writes 'running' first).
    select coalesce(jsonb_agg(jsonb_build_object(
             'name', j.jobname, 'schedule', j.schedule, 'active', j.active,
             'last_status', r.status, 'last_message', left(r.return_message, 300), 'last_end', r.end_time)
             order by j.jobname), '[]'::jsonb)
      into jobs
      from cron.job j
      left join lateral (
        select d.status, d.return_message, d.end_time
          from cron.job_run_details d
         where d.jobid = j.jobid and d.status in ('succeeded', 'failed')
         order by d.end_time desc, d.runid desc limit 1
      ) r on to_regclass('cron.job_run_details') is not null
     where j.jobname like 'agent-status-%';
  end if;
  if to_regclass('vault.decrypted_secrets') is not null then
    select coalesce(jsonb_agg(s.name order by s.name), '[]'::jsonb) into secrets
      from vault.decrypted_secrets s where s.name in ('project_url', 'secret_key');
  end if;
  select jsonb_build_object(
    'tables_without_rls', (
      select coalesce(jsonb_agg(c.relname order by c.relname), '[]'::jsonb)
        from pg_catalog.pg_class c
       where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity),
    'cron_jobs', jobs,
    'pg_net', to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is not null,
    'vault_secrets', secrets,
    'wake_up_policy', exists (
      select 1 from pg_catalog.pg_policies
       where schemaname = 'realtime' and tablename = 'messages' and policyname = 'agent workers receive their wake-ups'),
    'now', now()
  ) into report;
  return report;
end $$;

revoke execute on function public.doctor_report() from public, anon, authenticated;
grant execute on function public.doctor_report() to service_role;

-- PostgREST cuts a set-returning answer at its max_rows (1,000 on hosted Supabase, config.toml's
-- [api] max_rows locally); one row more than that comes back, so the doctor can read the limit.
create function public.doctor_rows() returns setof integer
language sql stable set search_path = '' as $$ select pg_catalog.generate_series(1, 1001) $$;

revoke execute on function public.doctor_rows() from public, anon, authenticated;
grant execute on function public.doctor_rows() to service_role;
