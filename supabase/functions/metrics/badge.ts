// What a badge says: one agent's name and state, or how many of all agents are up. The shape is
// shields.io's endpoint format (schemaVersion 1, label, message, color), which the JSON variant serves
// as is and the SVG variant draws.
import type { DisplayState } from '@agent-status/domain';
import type { BadgeState } from '@agent-status/domain';

export type BadgeColor = 'brightgreen' | 'yellow' | 'orange' | 'red' | 'lightgrey';

export interface Badge {
  schemaVersion: 1;
  label: string;
  message: string;
  color: BadgeColor;
}

const STATE_COLORS: Record<DisplayState, BadgeColor> = {
  running: 'brightgreen',
  warning: 'yellow',
  error: 'orange',
  offline: 'red',
  stopped: 'lightgrey',
};

export function badgeFor(state: BadgeState): Badge {
  if (state.agent_name !== null && state.state !== null) {
    return { schemaVersion: 1, label: state.agent_name, message: state.state, color: STATE_COLORS[state.state] };
  }
  const down = state.total - state.up;
  if (state.total === 0) return { schemaVersion: 1, label: 'agents', message: 'no agents', color: 'lightgrey' };
  if (down === 0) return { schemaVersion: 1, label: 'agents', message: `${state.up} up`, color: 'brightgreen' };
  if (state.up === 0) return { schemaVersion: 1, label: 'agents', message: `${down} down`, color: 'red' };
  return { schemaVersion: 1, label: 'agents', message: `${state.up} up, ${down} down`, color: 'orange' };
}
