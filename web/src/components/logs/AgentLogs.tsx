// The Logs view of one agent (#/agents/<name>/logs): its live log while the view is open — follow or
// pause, filter by level and text, copy — and a clear word when nothing can come (the agent is offline)
// or nothing came yet (waiting for the worker). Opening it is what makes the worker send; closing it
// lets the tail stop within the watch's expiry (docs/logs.md).
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type AgentView, entries, lineAsText, type LogFilter, type ShownLine } from '@agent-status/client';
import type { LogLevel } from '@agent-status/domain';
import { useServerNow } from '../../lib/ticker.ts';
import type { DashboardClient } from '../../lib/supabase.ts';
import { CopyButton } from '../CopyButton.tsx';
import { agentSilent, logViewState, type LogViewState } from './logState.ts';
import { useLogTail } from './useLogTail.ts';
import './logs.css';

type Props = { client: DashboardClient; agent: AgentView; clockOffsetMs: number };

const LEVELS: ReadonlyArray<{ value: LogLevel; label: string }> = [
  { value: 'info', label: 'All levels' },
  { value: 'warn', label: 'Warnings and errors' },
  { value: 'error', label: 'Errors only' },
];

function timeOf(at: string): string {
  const match = /T(\d\d:\d\d:\d\d)(\.\d+)?/.exec(at);
  return match ? match[1] : at;
}

function StateNote({ view, agentName }: { view: LogViewState; agentName: string }) {
  switch (view.kind) {
    case 'offline':
      return (
        <p class="logs-note logs-offline">
          <strong>Agent offline — no live logs.</strong> Nothing can come until its worker runs again; the last lines
          before an error are under that error in the history (Overview).
        </p>
      );
    case 'connecting':
      return <p class="logs-note">Connecting…</p>;
    case 'waiting':
      return (
        <p class="logs-note">
          <strong>Waiting for the worker…</strong> {agentName} starts sending at once if it gets push wake-ups, else at
          its next report (within about {view.withinSeconds} s). A worker whose SDK has no live logs never answers.
        </p>
      );
    case 'unavailable':
      return <p class="logs-note command-error">{view.message}</p>;
    case 'live':
      return null;
  }
}

export function AgentLogs({ client, agent, clockOffsetMs }: Props) {
  const tail = useLogTail(client, agent.id);
  const nowMs = useServerNow(clockOffsetMs);
  const [following, setFollowing] = useState(true);
  const [frozen, setFrozen] = useState<readonly ShownLine[] | null>(null);
  const [filter, setFilter] = useState<LogFilter>({ level: 'info', text: '' });
  const list = useRef<HTMLOListElement>(null);

  const view = logViewState(
    tail.state,
    tail.failure,
    tail.answered,
    agentSilent(agent, nowMs),
    agent.heartbeat_interval_seconds,
  );
  const lines = frozen ?? tail.lines.lines;
  const shown = useMemo(() => entries(lines, filter), [lines, filter]);
  const newSincePause = useMemo(() => {
    if (!frozen) return 0;
    const seen = new Set(frozen.map((line) => line.key));
    return tail.lines.lines.filter((line) => !seen.has(line.key)).length;
  }, [frozen, tail.lines]);
  const copyText = useMemo(
    () =>
      shown
        .map((entry) => (entry.kind === 'line' ? lineAsText(entry.line) : `… ${entry.missing} line(s) not received`))
        .join('\n'),
    [shown],
  );

  // Following: the newest line stays in sight.
  useLayoutEffect(() => {
    if (following && list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [following, shown.length]);
  useEffect(() => setFrozen(null), [agent.id]);

  const toggle = () => {
    if (following) {
      setFrozen(tail.lines.lines);
      setFollowing(false);
    } else {
      setFrozen(null);
      setFollowing(true);
    }
  };

  const status =
    view.kind === 'live'
      ? following
        ? 'Live'
        : 'Paused'
      : view.kind === 'offline'
        ? 'Offline'
        : view.kind === 'waiting'
          ? 'Waiting for the worker'
          : view.kind === 'connecting'
            ? 'Connecting'
            : 'Unavailable';

  return (
    <section class="logs" aria-labelledby="logs-title">
      <h3 id="logs-title" class="visually-hidden">
        Live log of {agent.agent_name}
      </h3>
      <div class="logs-toolbar">
        <p class={`logs-status logs-status-${view.kind}`} role="status">
          <span class="logs-dot" aria-hidden="true" />
          {status}
          {frozen && newSincePause > 0 ? ` — ${newSincePause} new line${newSincePause === 1 ? '' : 's'}` : ''}
        </p>
        <button type="button" aria-pressed={!following} onClick={toggle}>
          {following ? 'Pause' : 'Follow'}
        </button>
        <label class="logs-level">
          <span class="visually-hidden">Level</span>
          <select
            value={filter.level}
            onInput={(e) => setFilter({ ...filter, level: (e.currentTarget as HTMLSelectElement).value as LogLevel })}
          >
            {LEVELS.map((level) => (
              <option key={level.value} value={level.value}>
                {level.label}
              </option>
            ))}
          </select>
        </label>
        <label class="logs-search">
          <span class="visually-hidden">Filter lines</span>
          <input
            type="search"
            placeholder="Filter lines"
            value={filter.text}
            onInput={(e) => setFilter({ ...filter, text: (e.currentTarget as HTMLInputElement).value })}
          />
        </label>
        <CopyButton text={copyText} label={`Copy the ${shown.length} lines shown`} />
      </div>
      <StateNote view={view} agentName={agent.agent_name} />
      {tail.lines.trimmed > 0 && (
        <p class="logs-note muted">The oldest {tail.lines.trimmed} lines were let go; the newest are kept.</p>
      )}
      {view.kind === 'live' && lines.length === 0 && <p class="logs-note muted">The worker has logged nothing yet.</p>}
      {lines.length > 0 && shown.length === 0 && <p class="logs-note muted">No line matches the filter.</p>}
      {/* Scrollable, so focusable: keyboard users scroll it with the arrow keys. Not a live region: a line a
          second would be read out without end; the status above says when the log starts or stops. */}
      <ol
        ref={list}
        class="log-lines"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable
        tabIndex={0}
        aria-label={`Log lines of ${agent.agent_name}, oldest first`}
        hidden={lines.length === 0}
      >
        {shown.map((entry) =>
          entry.kind === 'gap' ? (
            <li key={entry.key} class="log-gap">
              … {entry.missing} line{entry.missing === 1 ? '' : 's'} not received (dropped from the worker's full
              buffer)
            </li>
          ) : (
            <li key={entry.line.key} class={`log-line log-${entry.line.level}`}>
              <time dateTime={entry.line.at} title={entry.line.at}>
                {timeOf(entry.line.at)}
              </time>
              <span class="log-level">{entry.line.level}</span>
              <span class="log-text">
                {entry.line.text}
                {entry.line.fields && Object.keys(entry.line.fields).length > 0 && (
                  <span class="log-fields"> {JSON.stringify(entry.line.fields)}</span>
                )}
              </span>
            </li>
          ),
        )}
      </ol>
    </section>
  );
}
