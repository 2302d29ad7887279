// @agent-status/client: what the operators' tools share (the dashboard, the CLI). Calls resolve to a
// Result and never throw.
export { type Failure, type Result, restResult } from './result.ts';
export { invoke, type ProjectClient } from './invoke.ts';
export {
  createAgent,
  deleteAgent,
  issueAgentToken,
  revokeAgentToken,
  sendCommand,
  sendCommandToAll,
  tagAgents,
  updateAgent,
} from './agents-function.ts';
export { type FleetColumn, type OverviewRowWith, readFleet, readFleetHead, readFleetRows } from './fleet/read.ts';
export {
  type AgentsState,
  type AgentView,
  applyChanges,
  applyCommandAnswers,
  applyDesiredState,
  applyEvent,
  applyOverview,
  applyOverviewRows,
  clearCommandError,
  clockOffsetMs,
  displayState,
  emptyAgentsState,
  type FleetChange,
  type FleetRow,
  MODEL_COLUMNS,
  isPending,
  markOptimistic,
  orderedAgents,
  patchAgent,
  removeAgent,
  rollbackOptimistic,
} from './fleet/model.ts';
export { type ChangeHandlers, type ChangesStatus, subscribeChanges } from './fleet/changes.ts';
export {
  atLeast,
  batchLines,
  emptyLogLines,
  entries,
  lineAsText,
  matches,
  MAX_SHOWN_LINES,
  mergeBatch,
  type LogEntry,
  type LogFilter,
  type LogLines,
  type ShownLine,
} from './log-lines.ts';
export {
  collectLogBacklog,
  watchAgentLogs,
  type LogBacklog,
  type LogBatchReceived,
  type LogWatch,
  type LogWatchOptions,
  type LogWatchState,
} from './log-watch.ts';
