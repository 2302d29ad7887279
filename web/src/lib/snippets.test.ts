import { describe, expect, it } from 'vitest';
import { tokenSnippets } from './snippets.ts';

const input = {
  url: 'https://abc.supabase.co',
  publishableKey: 'sb_publishable_x',
  agentName: 'My Agent',
  token: 'ast_0123',
  heartbeatIntervalSeconds: 10,
};
const byId = (snippets: ReturnType<typeof tokenSnippets>) => Object.fromEntries(snippets.map((s) => [s.id, s.text]));

describe('token snippets', () => {
  it('give the worker its environment, a runAgent worker, a Python worker and one heartbeat with curl', () => {
    const snippets = tokenSnippets(input);
    expect(snippets.map((s) => s.id)).toEqual(['env', 'typescript', 'python', 'curl']);
    const text = byId(snippets);
    expect(text.env).toBe(
      'SUPABASE_URL=https://abc.supabase.co\nSUPABASE_PUBLISHABLE_KEY=sb_publishable_x\nAGENT_TOKEN=ast_0123\n',
    );
    expect(text.typescript).toContain("import { runAgent } from '@agent-status/agent-sdk';");
    expect(text.typescript).toContain('name: "My Agent",');
    expect(text.typescript).toContain('heartbeatIntervalMs: 10000,');
    expect(text.python).toContain('asu.run_agent("My Agent", work, heartbeat_interval=10)');
    expect(text.curl).toContain("'https://abc.supabase.co/rest/v1/rpc/agent_report'");
    expect(text.curl).toContain(`-d '{"p_kind":"heartbeat","p_token":"ast_0123"}'`);
  });

  it('keep the token out of the programs, which read it from the environment', () => {
    const text = byId(tokenSnippets(input));
    expect(text.typescript).not.toContain('ast_0123');
    expect(text.python).not.toContain('ast_0123');
  });

  it('quote any agent name safely for JavaScript, Python and the shell', () => {
    const text = byId(tokenSnippets({ ...input, agentName: `it's "quoted" \\ 🤖`, url: "http://h/it's" }));
    expect(text.typescript).toContain(`name: "it's \\"quoted\\" \\\\ 🤖",`);
    expect(text.python).toContain(`asu.run_agent("it's \\"quoted\\" \\\\ 🤖", work`);
    expect(text.curl).toContain(`'http://h/it'\\''s/rest/v1/rpc/agent_report'`);
  });
});

describe("the README's path", () => {
  it('shows exactly the TypeScript snippet the dashboard hands out for "My Agent" (10 s heartbeats)', async () => {
    const { readFileSync } = await import('node:fs');
    // The repository's README, found from this file's path (jsdom gives import.meta.url an http: scheme).
    const readme = readFileSync(`${__dirname}/../../../README.md`, 'utf8');
    const snippet = byId(tokenSnippets({ ...input, agentName: 'My Agent', heartbeatIntervalSeconds: 10 })).typescript;
    // In the README it is a code block inside step 3 of a numbered list: indented by three spaces.
    const indented = snippet
      .trimEnd()
      .split('\n')
      .map((line) => (line ? `   ${line}` : ''))
      .join('\n');
    expect(readme).toContain(`   \`\`\`js\n${indented}\n   \`\`\``);
  });
});
