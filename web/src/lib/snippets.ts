// What an operator copies right after issuing a token: the worker's environment, a runnable
// worker for the TypeScript SDK and for the Python module, and one heartbeat with curl. The token is in
// the environment block and the curl line only; the programs read it from the environment (or a .env
// file beside them, which both SDKs read), so the code can be committed as it is.
export interface SnippetInput {
  url: string;
  /** The project's publishable key (or, on a project still on legacy keys, its anon key: the SDKs take either here). */
  publishableKey: string;
  agentName: string;
  token: string;
  heartbeatIntervalSeconds: number;
}

export interface Snippet {
  id: 'env' | 'typescript' | 'python' | 'curl';
  title: string;
  /** Where it goes, in a few words. */
  hint: string;
  text: string;
}

/** A string literal that JavaScript and Python both read back as `value`. */
const literal = (value: string) => JSON.stringify(value);
/** A shell word in single quotes. */
const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function tokenSnippets(input: SnippetInput): Snippet[] {
  const { url, publishableKey, agentName, token, heartbeatIntervalSeconds: seconds } = input;
  return [
    {
      id: 'env',
      title: 'Environment',
      hint: 'Save as .env next to your worker (both SDKs read it), or export the variables.',
      text: `${[`SUPABASE_URL=${url}`, `SUPABASE_PUBLISHABLE_KEY=${publishableKey}`, `AGENT_TOKEN=${token}`].join('\n')}\n`,
    },
    {
      id: 'typescript',
      title: 'TypeScript / Node (agent.mjs)',
      hint: 'npm install @agent-status/agent-sdk (docs/agent-sdk.md), then node agent.mjs',
      text: `import { runAgent } from '@agent-status/agent-sdk';

// Heartbeats, start / stop / restart from the dashboard, crash restarts, Ctrl-C: runAgent does them.
runAgent({
  name: ${literal(agentName)},
  heartbeatIntervalMs: ${seconds * 1000},
  work: async (signal, agent) => {
    while (!signal.aborted) {
      agent.reportActivity('working'); // your agent's work goes here
      await new Promise((resolve) => setTimeout(resolve, ${seconds * 1000}));
    }
  },
});
`,
    },
    {
      id: 'python',
      title: 'Python (agent.py)',
      hint: 'pip install ./agent-sdk/python (docs/python.md), then python3 agent.py',
      text: `import agent_status_updater as asu


def work(stop_event, agent):
    while not stop_event.is_set():
        agent.report_activity("working")  # your agent's work goes here
        stop_event.wait(${seconds})


asu.run_agent(${literal(agentName)}, work, heartbeat_interval=${seconds})
`,
    },
    {
      id: 'curl',
      title: 'One heartbeat with curl',
      hint: 'Checks the token from any shell; a cron job can send this.',
      text: `curl -sS -X POST ${shellQuote(`${url}/rest/v1/rpc/agent_report`)} \\
  -H ${shellQuote(`apikey: ${publishableKey}`)} \\
  -H 'Content-Type: application/json' \\
  -d ${shellQuote(JSON.stringify({ p_kind: 'heartbeat', p_token: token }))}
`,
    },
  ];
}
