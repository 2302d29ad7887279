// Exit with the parent: a process started with AGENT_STATUS_WATCH_PARENT=stdin has a
// pipe from its parent as stdin, which the parent never writes to. When the parent dies — even by
// SIGKILL, which it cannot catch — the kernel closes the pipe's other end and stdin ends here, so the
// process can stop gracefully instead of running on as an orphan.
import { WATCH_PARENT } from './child-env.ts';

/** Calls onParentGone once when the parent's pipe closes; does nothing unless the parent asked for it. */
export function onParentGone(onParentGone: () => void, env: Record<string, string | undefined> = process.env): void {
  if (env[WATCH_PARENT] !== 'stdin') return;
  let called = false;
  const gone = () => {
    if (called) return;
    called = true;
    // Whoever read our output may be gone with the parent: a write to a closed pipe must not crash us.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    onParentGone();
  };
  process.stdin.on('end', gone);
  process.stdin.on('close', gone);
  process.stdin.on('error', gone);
  process.stdin.resume();
  // Watching must not keep the process alive by itself.
  (process.stdin as { unref?: () => void }).unref?.();
}
