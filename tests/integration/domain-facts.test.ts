// The schema is the one source of the domain's facts. TypeScript mirrors some of them
// (@agent-status/domain for the dashboard and the functions, the SDK's own constants because it is
// installed on its own), and so does the Python module (agent-sdk/python, installed on its own too);
// this test reads each fact from the live, migrated schema and fails on any difference, so a change to
// a constraint in SQL cannot drift silently from the code.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as domain from '@agent-status/domain';
import * as sdk from '@agent-status/agent-sdk';
import { AGENT_FILES } from '@agent-status/agents/catalog';
import { databases, startTestStack, type RunningStack } from '../support/stack.ts';

/** Runs Python code with agent_status_updater (from this repository) importable: JSON on stdin, JSON from stdout. */
function python<T>(code: string, input: unknown = null): T {
  const out = execFileSync(process.env.PYTHON ?? 'python3', ['-c', code], {
    input: JSON.stringify(input),
    env: {
      ...process.env,
      PYTHONPATH: join(import.meta.dirname, '..', '..', 'agent-sdk', 'python'),
      PYTHONDONTWRITEBYTECODE: '1',
    },
    encoding: 'utf8',
  });
  return JSON.parse(out) as T;
}

/** The Python module's copy of the facts, read from the module itself. */
const pythonFacts = () =>
  python<{
    kinds: string[];
    maxLengths: Record<string, number>;
    health: Record<string, number>;
    heartbeatSeconds: number;
  }>(
    `import json, agent_status_updater as a
print(json.dumps({"kinds": list(a.REPORT_KINDS), "maxLengths": {k: a.message_max_length(k) for k in a.REPORT_KINDS},
                  "health": a.DEFAULT_HEALTH, "heartbeatSeconds": a.DEFAULT_HEARTBEAT_INTERVAL_SECONDS}))`,
  );

/** The Python module's log limits and levels. */
const pythonLogFacts = () =>
  python<{ limits: Record<string, number>; levels: string[] }>(
    `import json, agent_status_updater as a
print(json.dumps({"limits": {"line": a.LOG_LINE_MAX_LENGTH, "batch": a.LOG_BATCH_MAX_BYTES, "lines": a.CRASH_LOG_MAX_LINES,
                             "bytes": a.CRASH_LOG_MAX_BYTES}, "levels": list(a.LOG_LEVELS)}))`,
  );

/** The Python module's truncate_message over [text, max] pairs. */
const pythonTruncate = (cases: Array<readonly [string, number]>) =>
  python<string[]>(
    'import json, sys, agent_status_updater as a; print(json.dumps([a.truncate_message(t, m) for t, m in json.load(sys.stdin)]))',
    cases,
  );

describe.each(databases)('domain facts match the live schema ($name)', ({ databaseUrl }) => {
  let stack: RunningStack;
  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    (await stack.db.query<T>(text, params)).rows;
  /** Runs a statement in a transaction that is always rolled back; resolves to the SQLSTATE it failed with, or null. */
  const failsWith = (text: string, params: unknown[] = []) =>
    stack.db
      .transaction(async (tx) => {
        await tx.query(text, params);
        throw new Error('rollback');
      })
      .then(
        () => null,
        (error: { code?: string; message: string }) =>
          error.message === 'rollback' ? null : (error.code ?? error.message),
      );

  beforeAll(async () => {
    stack = await startTestStack({ databaseUrl });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function enumValues(type: string): Promise<string[]> {
    const rows = await sql<{ label: string }>(
      `select e.enumlabel as label from pg_enum e join pg_type t on t.oid = e.enumtypid
        join pg_namespace n on n.oid = t.typnamespace where n.nspname = 'public' and t.typname = $1 order by e.enumsortorder`,
      [type],
    );
    return rows.map((r) => r.label);
  }

  it('the statuses, and the display states built on them, are enum agent_run_status', async () => {
    expect(domain.AGENT_STATUSES).toEqual(await enumValues('agent_run_status'));
    expect(domain.DISPLAY_STATES).toEqual([...(await enumValues('agent_run_status')), 'offline']);
  });

  it('the states metrics and badges report (app.display_state) are the display states, and up is running, warning or error', async () => {
    const rows = await sql<{ state: string; up: boolean }>(
      `select app.display_state(s, o) as state, bool_or(app.is_up(s, o)) as up
         from unnest(enum_range(null::public.agent_run_status)) s, (values (false), (true)) v(o) group by 1`,
    );
    expect(rows.map((r) => r.state).sort()).toEqual([...domain.DISPLAY_STATES].sort());
    expect(
      rows
        .filter((r) => r.up)
        .map((r) => r.state)
        .sort(),
    ).toEqual(['error', 'running', 'warning']);
  });

  it('the default heartbeat interval is the column default', async () => {
    const [row] = await sql<{ default: string }>(
      `select pg_get_expr(d.adbin, d.adrelid) as default from pg_attrdef d
         join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
        where d.adrelid = 'public.agent_status'::regclass and a.attname = 'heartbeat_interval_seconds'`,
    );
    expect(Number(row.default)).toBe(domain.DEFAULT_HEARTBEAT_INTERVAL_SECONDS);
    expect(Number(row.default)).toBe(sdk.DEFAULT_HEARTBEAT_INTERVAL_SECONDS);
    expect(Number(row.default)).toBe(pythonFacts().heartbeatSeconds);
  });

  it('the Python module knows the report kinds of enum agent_report_kind, in order', async () => {
    expect(pythonFacts().kinds).toEqual(await enumValues('agent_report_kind'));
  });

  it('agent names are limited to AGENT_NAME_MAX_LENGTH characters, counted in code points', async () => {
    const insert = 'insert into public.agent_status (agent_name) values ($1)';
    const longest = '🤖'.repeat(domain.AGENT_NAME_MAX_LENGTH);
    expect(await failsWith(insert, [longest])).toBeNull();
    expect(await failsWith(insert, [`${longest}x`])).toBe('23514');
  });

  it('descriptions, heartbeat intervals, offline grace and token labels have the ranges the domain names', async () => {
    const update = (column: string) =>
      `update public.agent_status set ${column} = $1 where agent_name = 'Blog Generator'`;
    const { min: hbMin, max: hbMax } = domain.HEARTBEAT_INTERVAL_RANGE_SECONDS;
    const { min: offMin, max: offMax } = domain.OFFLINE_AFTER_RANGE_SECONDS;
    for (const [column, ok, bad] of [
      [
        'description',
        ['🤖'.repeat(domain.AGENT_DESCRIPTION_MAX_LENGTH)],
        ['d'.repeat(domain.AGENT_DESCRIPTION_MAX_LENGTH + 1)],
      ],
      ['heartbeat_interval_seconds', [hbMin, hbMax], [hbMin - 1, hbMax + 1]],
      ['offline_after_seconds', [offMin, offMax, null], [offMin - 1, offMax + 1]],
    ] as const) {
      for (const value of ok) expect(await failsWith(update(column), [value]), `${column} = ${value}`).toBeNull();
      for (const value of bad) expect(await failsWith(update(column), [value]), `${column} = ${value}`).toBe('23514');
    }
    const label = `insert into public.agent_tokens (agent_id, token_hash, label)
                   select id, '\\x01', $1 from public.agent_status where agent_name = 'Blog Generator'`;
    expect(await failsWith(label, ['l'.repeat(domain.TOKEN_LABEL_MAX_LENGTH)])).toBeNull();
    expect(await failsWith(label, ['l'.repeat(domain.TOKEN_LABEL_MAX_LENGTH + 1)])).toBe('23514');
  });

  it('tags: TAG_MAX_LENGTH characters, TAGS_MAX_PER_AGENT per agent, and tagProblem() words what app.tag_problem() refuses', async () => {
    const tags = (value: string[]) =>
      failsWith(`update public.agent_status set tags = $1 where agent_name = 'Blog Generator'`, [value]);
    expect(await tags(['🤖'.repeat(domain.TAG_MAX_LENGTH)])).toBeNull();
    expect(await tags(['t'.repeat(domain.TAG_MAX_LENGTH + 1)])).toBe('23514');
    expect(await tags(Array.from({ length: domain.TAGS_MAX_PER_AGENT }, (_, i) => `t${i}`))).toBeNull();
    expect(await tags(Array.from({ length: domain.TAGS_MAX_PER_AGENT + 1 }, (_, i) => `t${i}`))).toBe('23514');
    for (const tag of ['', 'a b', 'a,b', 'Upper', 'tab\tx', 'ok-tag:1/x', 'x'.repeat(41), 'ünï']) {
      const [{ problem }] = await sql<{ problem: string | null }>('select app.tag_problem($1) as problem', [tag]);
      expect(domain.tagProblem(tag), JSON.stringify(tag)).toBe(problem);
    }
    const [{ kept }] = await sql<{ kept: number }>('select app.events_kept_per_agent() as kept');
    expect(kept).toBe(domain.EVENTS_KEPT_PER_AGENT);
  });

  it('custom metrics: the SDK and the Python module word name problems as app.metric_name_problem() and accept the values it accepts', async () => {
    const names = [
      '',
      'queue_length',
      'q1',
      'Queue',
      '1st',
      'a-b',
      'a b',
      'ünï',
      `q${'x'.repeat(63)}`,
      `q${'x'.repeat(64)}`,
    ];
    const byPython = python<Array<string | null>>(
      'import json, sys, agent_status_updater as a; print(json.dumps([a.metric_name_problem(n) for n in json.load(sys.stdin)]))',
      names,
    );
    for (const [i, name] of names.entries()) {
      const [{ problem }] = await sql<{ problem: string | null }>('select app.metric_name_problem($1) as problem', [
        name,
      ]);
      expect({ name, sdk: sdk.metricNameProblem(name), python: byPython[i] }).toEqual({
        name,
        sdk: problem,
        python: problem,
      });
    }
    const values = [0, 1, -1, 0.5, 1e-307, 1.5e-307, 9.9e307, 1e308, 1.7e308, 5e-324, -1e308];
    const pythonAccepts = python<boolean[]>(
      'import json, sys, agent_status_updater as a; print(json.dumps([a.metric_value_problem("m", v) is None for v in json.load(sys.stdin)]))',
      values,
    );
    for (const [i, value] of values.entries()) {
      const [{ accepted }] = await sql<{ accepted: boolean }>(
        `select app.metric_value_problem('m', 'gauge', $1::jsonb) is null as accepted`,
        [JSON.stringify(value)],
      );
      expect({ value, sdk: sdk.metricValueProblem('m', value) === null, python: pythonAccepts[i] }).toEqual({
        value,
        sdk: accepted,
        python: accepted,
      });
    }
    const [{ kinds }] = await sql<{ kinds: string[] }>(
      `select enum_range(null::public.agent_metric_kind)::text[] as kinds`,
    );
    expect(kinds).toEqual(['gauge', 'counter']);
    const limits = python<{ max: number; refused: string; length: number }>(
      `import json, agent_status_updater as a
print(json.dumps({"max": a.METRICS_MAX_PER_AGENT, "refused": a.METRICS_REFUSED_CODE, "length": a.METRIC_NAME_MAX_LENGTH}))`,
    );
    expect(limits).toEqual({
      max: sdk.METRICS_MAX_PER_AGENT,
      refused: sdk.METRICS_REFUSED_CODE,
      length: sdk.METRIC_NAME_MAX_LENGTH,
    });
    // METRICS_MAX_PER_AGENT is what app.record_agent_metrics() keeps, and METRICS_REFUSED_CODE what it refuses with.
    const record = (count: number) =>
      failsWith(
        `select app.record_agent_metrics((select id from public.agent_status where agent_name = 'Blog Generator'), null, $1::jsonb)`,
        [JSON.stringify({ gauges: Object.fromEntries(Array.from({ length: count }, (_, i) => [`g${i}`, i])) })],
      );
    expect(await record(sdk.METRICS_MAX_PER_AGENT)).toBeNull();
    expect(await record(sdk.METRICS_MAX_PER_AGENT + 1)).toBe(sdk.METRICS_REFUSED_CODE);
  });

  it('each report kind keeps as many characters of its message as the SDK and the Python module send', async () => {
    const rows = await sql<{ kind: sdk.ReportKind; max: number }>(
      `select kind::text as kind, app.message_max_chars(kind) as max from unnest(enum_range(null::public.agent_report_kind)) kind`,
    );
    for (const { kind, max } of rows) expect({ kind, max }).toEqual({ kind, max: sdk.messageMaxLength(kind) });
    expect(pythonFacts().maxLengths).toEqual(Object.fromEntries(rows.map((r) => [r.kind, r.max])));
  });

  it('the SDK and the Python module cut messages exactly as app.bounded_text() does', async () => {
    const samples = ['short', 'a'.repeat(30), 'é'.repeat(30), '🤖'.repeat(30), 'ab🤖'.repeat(10), 'e\u0301'.repeat(15)];
    const cases = [14, 20, 29, 30].flatMap((max) => samples.map((text) => [text, max] as const));
    const cutByPython = pythonTruncate(cases);
    for (const [i, [text, max]] of cases.entries()) {
      const [row] = await sql<{ cut: string }>('select app.bounded_text($1, $2) as cut', [text, max]);
      expect(sdk.truncateMessage(text, max)).toBe(row.cut);
      expect({ text, max, python: cutByPython[i] }).toEqual({ text, max, python: row.cut });
    }
  });

  it('log limits — line text, batch, crash lines — and the levels are the same in SQL, the SDK and the Python module', async () => {
    const [row] = await sql<{ line: number; batch: number; lines: number; bytes: number }>(
      `select app.log_line_max_chars() as line, app.log_batch_max_bytes() as batch,
              app.crash_log_max_lines() as lines, app.crash_log_max_bytes() as bytes`,
    );
    const limits = {
      line: sdk.LOG_LINE_MAX_LENGTH,
      batch: sdk.LOG_BATCH_MAX_BYTES,
      lines: sdk.CRASH_LOG_MAX_LINES,
      bytes: sdk.CRASH_LOG_MAX_BYTES,
    };
    expect(row).toEqual(limits);
    const python = pythonLogFacts();
    expect(python.limits).toEqual(limits);
    // app.crash_log_lines() keeps these levels and turns any other into the first.
    const [{ levels }] = await sql<{ levels: string[] }>(
      `select array_agg(l ->> 'level' order by n) as levels
         from jsonb_array_elements(app.crash_log_lines($1::jsonb)) with ordinality e(l, n)`,
      [JSON.stringify([...sdk.LOG_LEVELS, 'debug'].map((level) => ({ level, text: level })))],
    );
    expect(levels).toEqual([...sdk.LOG_LEVELS, sdk.LOG_LEVELS[0]]);
    expect(python.levels).toEqual([...sdk.LOG_LEVELS]);
  });

  it('the health a report sets by default is app.default_health()', async () => {
    const rows = await sql<{ kind: sdk.ReportKind; health: number | null }>(
      `select kind::text as kind, app.default_health(kind) as health from unnest(enum_range(null::public.agent_report_kind)) kind`,
    );
    const defaults = Object.fromEntries(rows.filter((r) => r.health !== null).map((r) => [r.kind, r.health]));
    expect(defaults).toEqual(sdk.DEFAULT_HEALTH);
    expect(defaults).toEqual(pythonFacts().health);
  });

  it('health bands agree with app.health_band() over 0–100', async () => {
    const rows = await sql<{ health: number; band: string }>(
      'select h as health, app.health_band(h) as band from generate_series(0, 100) h',
    );
    expect(rows).toHaveLength(101);
    for (const { health, band } of rows) expect({ health, band }).toEqual({ health, band: domain.healthBand(health) });
  });

  it('an agent is offline after OFFLINE_AFTER_MISSED_HEARTBEATS intervals unless it sets its own grace', async () => {
    const [row] = await sql<{ derived: number; own: number }>(
      'select app.offline_after_seconds(null, 7) as derived, app.offline_after_seconds(45, 7) as own',
    );
    expect(row).toEqual({ derived: domain.OFFLINE_AFTER_MISSED_HEARTBEATS * 7, own: 45 });
  });

  it('the sweep is scheduled every SWEEP_INTERVAL_SECONDS', async () => {
    const rows = await sql<{ schedule: string }>('select schedule from cron.job where jobname = $1', [
      domain.SWEEP_JOB_NAME,
    ]);
    expect(rows).toEqual([{ schedule: `${domain.SWEEP_INTERVAL_SECONDS} seconds` }]);
  });

  it("alert events, defaults, attempts and the name limit are the alerts migration's", async () => {
    const [row] = await sql<{ names: string[]; defaults: string[]; attempts: number }>(
      'select app.alert_event_names() as names, app.alert_default_events() as defaults, app.alert_max_attempts() as attempts',
    );
    expect(row).toEqual({
      names: [...domain.ALERT_EVENTS],
      defaults: [...domain.DEFAULT_ALERT_EVENTS],
      attempts: domain.ALERT_MAX_ATTEMPTS,
    });
    const long = 'n'.repeat(domain.ALERT_CHANNEL_NAME_MAX_LENGTH + 1);
    expect(
      await failsWith(
        `insert into public.alert_channels (name, kind, url) values ($1, 'webhook', 'https://example.com/')`,
        [long],
      ),
    ).toBe('22023');
    expect(
      await failsWith(
        `insert into public.alert_channels (name, kind, url) values ($1, 'webhook', 'https://example.com/')`,
        [long.slice(1)],
      ),
    ).toBeNull();
  });

  it('the alert jobs are scheduled as the domain names them', async () => {
    const rows = await sql<{ jobname: string; schedule: string }>(
      'select jobname, schedule from cron.job where jobname = any($1) order by jobname',
      [[domain.DISPATCH_ALERTS_JOB_NAME, domain.REPEAT_ALERTS_JOB_NAME]],
    );
    expect(rows).toEqual([
      { jobname: domain.DISPATCH_ALERTS_JOB_NAME, schedule: `${domain.DISPATCH_ALERTS_INTERVAL_SECONDS} seconds` },
      { jobname: domain.REPEAT_ALERTS_JOB_NAME, schedule: '* * * * *' },
    ]);
    const [job] = await sql<{ command: string }>('select command from cron.job where jobname = $1', [
      domain.DISPATCH_ALERTS_JOB_NAME,
    ]);
    expect(job.command).toContain(`name = '${domain.VAULT_PROJECT_URL}'`);
    expect(job.command).toContain(`name = '${domain.VAULT_SECRET_KEY}'`);
  });

  it('every scheduled job is one the domain names (the doctor expects each)', async () => {
    const rows = await sql<{ jobname: string }>(
      `select jobname from cron.job where jobname like 'agent-status-%' order by jobname`,
    );
    expect(rows.map((r) => r.jobname)).toEqual([...domain.SCHEDULED_JOB_NAMES].sort());
  });

  it("schedules: the job, the actor, the name rule and the limit are the schema's", async () => {
    const rows = await sql<{ schedule: string; command: string }>(
      'select schedule, command from cron.job where jobname = $1',
      [domain.SCHEDULES_JOB_NAME],
    );
    expect(rows).toEqual([{ schedule: '* * * * *', command: 'select public.run_agent_schedules()' }]);
    const [row] = await sql<{ max: number; pattern: string }>(
      `select app.schedules_max() as max,
              (select pg_get_constraintdef(oid) from pg_constraint where conname = 'agent_schedule_name_pattern') as pattern`,
    );
    expect(row.max).toBe(domain.SCHEDULES_MAX);
    expect(row.pattern).toContain(domain.SCHEDULE_NAME_PATTERN.source);
    const [actor] = await sql<{ actor: string }>(
      `select app.is_scheduled_stop('stop', $1) and not app.is_scheduled_stop('stop', 'alice@example.com') as actor`,
      [`${domain.SCHEDULE_ACTOR_PREFIX}nights`],
    );
    expect(actor).toEqual({ actor: true });
  });

  it('the seed holds exactly the example agents of the catalog', async () => {
    const rows = await sql<{ agent_name: string }>('select agent_name from public.agent_status order by agent_name');
    expect(rows.map((r) => r.agent_name)).toEqual(AGENT_FILES.map((a) => a.name).sort());
  });
});
