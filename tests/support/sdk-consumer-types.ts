// A TypeScript project of a team that installed the packed SDK, type-checked only (tsc --noEmit) by
// tests/integration/sdk-package.test.ts in a folder outside the repository. The schema's types travel
// inside the package (dist/database.d.ts, dist/database.types.d.ts): were one missing, DesiredState
// would silently become `any` and the error expected below would not happen.
import { runAgent, type DesiredState, type ReportResult } from '@agent-status/agent-sdk';

export const desired: DesiredState = 'running';
// @ts-expect-error "paused" is no desired state of the schema.
export const paused: DesiredState = 'paused';

export function describeReport(result: ReportResult): string {
  return result.ok ? `${result.desired.agentName} should be ${result.desired.desiredState}` : result.error.message;
}

export function start(): void {
  runAgent({
    name: 'Typed Agent',
    work: async (signal) => {
      while (!signal.aborted) await new Promise((resolve) => setTimeout(resolve, 1000));
    },
  });
}
