import type { DisplayState } from '@agent-status/domain';

// Colour is never the only signal: each state has its own icon and word.
export const STATE_LABELS: Record<DisplayState, { icon: string; text: string }> = {
  running: { icon: '●', text: 'Running' },
  warning: { icon: '▲', text: 'Warning' },
  error: { icon: '✕', text: 'Error' },
  stopped: { icon: '■', text: 'Stopped' },
  offline: { icon: '⊘', text: 'Offline' },
};

export function StatusBadge({ state }: { state: DisplayState }) {
  const { icon, text } = STATE_LABELS[state];
  return (
    <span class={`badge badge-${state}`}>
      <span aria-hidden="true">{icon}</span> {text}
    </span>
  );
}
