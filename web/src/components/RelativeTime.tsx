import { useServerNow } from '../lib/ticker.ts';
import { formatDuration, formatTimestamp, relativeTime } from '../lib/time.ts';

type Props = { iso: string | null; clockOffsetMs: number; mode?: 'ago' | 'duration' };

/** A ticking "12 s ago" (or "3 min 5 s" since iso); only this element re-renders each second. */
export function RelativeTime({ iso, clockOffsetMs, mode = 'ago' }: Props) {
  const now = useServerNow(clockOffsetMs);
  if (!iso) return <span>—</span>;
  const text = mode === 'ago' ? relativeTime(iso, now) : formatDuration(now - Date.parse(iso));
  return (
    <time dateTime={iso} title={formatTimestamp(iso)}>
      {text}
    </time>
  );
}
