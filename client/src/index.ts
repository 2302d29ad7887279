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
