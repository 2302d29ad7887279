import { useServerNow } from '../lib/ticker.ts';
import { formatTimestamp } from '../lib/time.ts';
import { secondWorkerSeen } from '../state/agentView.ts';

type Props = { seenAt: string | null | undefined; clockOffsetMs: number; detail?: boolean };

/**
 * "2 workers": a second worker instance of this agent reported recently and was told to stand down
 * (the newer instance holds the agent; docs/running-agents.md). Renders nothing otherwise.
 */
export function SecondWorkerNotice({ seenAt, clockOffsetMs, detail = false }: Props) {
  const nowMs = useServerNow(clockOffsetMs);
  if (!secondWorkerSeen(seenAt, nowMs)) return null;
  const explanation = `A second worker for this agent reported at ${formatTimestamp(seenAt ?? null)} and was told to stand down; the newest one holds the agent. Look for a leftover process (see the history).`;
  return detail ? (
    <p class="second-worker-notice" role="status" data-second-worker>
      <strong>2 workers</strong> — {explanation}
    </p>
  ) : (
    <span class="second-worker" title={explanation} data-second-worker>
      2 workers
    </span>
  );
}
