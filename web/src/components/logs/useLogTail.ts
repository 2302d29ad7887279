// An agent's live log in the dashboard: watches while the component is mounted (so the worker sends only
// while someone looks at its Logs view) and keeps what arrived, merged and bounded (@agent-status/client).
import { useEffect, useState } from 'preact/hooks';
import {
  emptyLogLines,
  mergeBatch,
  watchAgentLogs,
  type Failure,
  type LogLines,
  type LogWatchState,
} from '@agent-status/client';
import type { DashboardClient } from '../../lib/supabase.ts';

export interface LogTail {
  state: LogWatchState;
  failure: Failure | null;
  lines: LogLines;
  /** The worker answered a backlog request: what it has is here (an empty log is an answer too). */
  answered: boolean;
}

const initial: LogTail = { state: 'connecting', failure: null, lines: emptyLogLines, answered: false };

export function useLogTail(client: DashboardClient, agentId: string): LogTail {
  const [tail, setTail] = useState<LogTail>(initial);
  useEffect(() => {
    setTail(initial);
    const watching = watchAgentLogs(client, agentId, {
      onState: (state, failure) => setTail((t) => ({ ...t, state, failure: failure ?? null })),
      onBatch: (batch) =>
        setTail((t) => ({
          ...t,
          lines: mergeBatch(t.lines, { instance: batch.instance, lines: batch.lines }),
          answered: t.answered || batch.backlogEnd,
        })),
    });
    return () => void watching.stop();
  }, [client, agentId]);
  return tail;
}
