import { useMemo, useState } from 'preact/hooks';
import { parseWindow, SCHEDULE_NAME_PATTERN, type ScheduleInsert } from '@agent-status/domain';
import { browserZone, knownZones } from '../../lib/schedules.ts';

type Props = {
  /** One agent's form (its Schedules view); absent: the fleet's form, which asks for an agent or a tag. */
  agent?: { id: string; name: string };
  /** For the fleet's form: the agents and tags to choose from. */
  agents?: ReadonlyArray<{ id: string; agent_name: string }>;
  tags?: readonly string[];
  /** Saves; resolves to the server's message when it refused, null when saved. */
  onAdd: (row: ScheduleInsert) => Promise<string | null>;
};

/**
 * Adds a schedule. The window is written as people say it ("Mon–Fri 08:00–20:00") or as two cron
 * expressions; the form checks what it can say clearly, the database checks everything (its message is
 * shown as is).
 */
export function ScheduleForm({ agent, agents = [], tags = [], onAdd }: Props) {
  const [name, setName] = useState('');
  const [coverKind, setCoverKind] = useState<'agent' | 'tag'>(agent || agents.length ? 'agent' : 'tag');
  const [agentId, setAgentId] = useState(agent?.id ?? agents[0]?.id ?? '');
  const [tag, setTag] = useState('');
  const [mode, setMode] = useState<'window' | 'cron'>('window');
  const [window, setWindow] = useState('Mon–Fri 08:00–20:00');
  const [cronOpen, setCronOpen] = useState('0 8 * * 1-5');
  const [cronClose, setCronClose] = useState('0 20 * * 1-5');
  const [zone, setZone] = useState(browserZone());
  const [state, setState] = useState<'running' | 'stopped'>('running');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const zones = useMemo(knownZones, []);
  const idPrefix = agent ? `schedule-${agent.id}` : 'schedule-fleet';

  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!SCHEDULE_NAME_PATTERN.test(trimmed)) {
      setError('The name is 1 to 60 lower-case letters, digits, "-" or "_" (the history shows it as schedule:<name>).');
      return;
    }
    const row: ScheduleInsert = { name: trimmed, state, time_zone: zone.trim() };
    if (agent) row.agent_id = agent.id;
    else if (coverKind === 'agent') row.agent_id = agentId;
    else row.tag = tag.trim().toLowerCase();
    if (mode === 'window') {
      const parsed = parseWindow(window);
      if ('error' in parsed) {
        setError(`Window: ${parsed.error}.`);
        return;
      }
      Object.assign(row, { days: parsed.days, start_time: parsed.start, end_time: parsed.end });
    } else Object.assign(row, { cron_open: cronOpen.trim(), cron_close: cronClose.trim() });
    setBusy(true);
    const refused = await onAdd(row);
    setBusy(false);
    setError(refused);
    if (!refused) setName('');
  };

  return (
    <form class="schedule-form" aria-label="Add a schedule" onSubmit={(e) => void submit(e)}>
      <label>
        Name{' '}
        <input
          value={name}
          required
          maxLength={60}
          placeholder="office-hours"
          aria-describedby={`${idPrefix}-name-hint`}
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
      </label>
      <p id={`${idPrefix}-name-hint`} class="muted hint">
        Lower case, digits, - or _. Its commands show as schedule:{name.trim() || '<name>'}.
      </p>
      {!agent && (
        <fieldset>
          <legend>Covers</legend>
          <label class="inline">
            <input
              type="radio"
              name={`${idPrefix}-covers`}
              checked={coverKind === 'agent'}
              disabled={agents.length === 0}
              onChange={() => setCoverKind('agent')}
            />{' '}
            one agent
          </label>
          <label class="inline">
            <input
              type="radio"
              name={`${idPrefix}-covers`}
              checked={coverKind === 'tag'}
              onChange={() => setCoverKind('tag')}
            />{' '}
            every agent with a tag
          </label>
          {coverKind === 'agent' ? (
            <label>
              Agent{' '}
              <select value={agentId} onInput={(e) => setAgentId((e.target as HTMLSelectElement).value)}>
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.agent_name}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label>
              Tag{' '}
              <input
                value={tag}
                required
                list={`${idPrefix}-tags`}
                onInput={(e) => setTag((e.target as HTMLInputElement).value)}
              />
              <datalist id={`${idPrefix}-tags`}>
                {tags.map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
            </label>
          )}
        </fieldset>
      )}
      <label>
        Inside the window the agent is{' '}
        <select value={state} onInput={(e) => setState((e.target as HTMLSelectElement).value as 'running' | 'stopped')}>
          <option value="running">running</option>
          <option value="stopped">stopped</option>
        </select>
      </label>
      <fieldset>
        <legend>Window</legend>
        <label class="inline">
          <input
            type="radio"
            name={`${idPrefix}-mode`}
            checked={mode === 'window'}
            onChange={() => setMode('window')}
          />{' '}
          a time window
        </label>
        <label class="inline">
          <input type="radio" name={`${idPrefix}-mode`} checked={mode === 'cron'} onChange={() => setMode('cron')} />{' '}
          cron expressions
        </label>
        {mode === 'window' ? (
          <>
            <label>
              Days and times{' '}
              <input
                value={window}
                required
                aria-describedby={`${idPrefix}-window-hint`}
                onInput={(e) => setWindow((e.target as HTMLInputElement).value)}
              />
            </label>
            <p id={`${idPrefix}-window-hint`} class="muted hint">
              e.g. Mon–Fri 08:00–20:00, Sat 22:00–06:00 (ends the next day), daily 00:00–24:00
            </p>
          </>
        ) : (
          <>
            <label>
              Opens at{' '}
              <input value={cronOpen} required onInput={(e) => setCronOpen((e.target as HTMLInputElement).value)} />
            </label>
            <label>
              Closes at the next{' '}
              <input value={cronClose} required onInput={(e) => setCronClose((e.target as HTMLInputElement).value)} />
            </label>
          </>
        )}
      </fieldset>
      <label>
        Time zone{' '}
        <input
          value={zone}
          required
          list={`${idPrefix}-zones`}
          onInput={(e) => setZone((e.target as HTMLInputElement).value)}
        />
        <datalist id={`${idPrefix}-zones`}>
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>
      {error && (
        <p class="command-error" role="alert">
          {error}
        </p>
      )}
      <p class="muted hint">A new schedule acts from its next opening or closing, not at once.</p>
      <div class="schedule-form-actions">
        <button type="submit" disabled={busy}>
          Add schedule
        </button>
      </div>
    </form>
  );
}
