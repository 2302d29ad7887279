// The example agents and the file that runs each one alone.
import { fileURLToPath } from 'node:url';

export const AGENT_FILES: ReadonlyArray<{ name: string; file: string }> = [
  { name: 'Content Collector', file: 'content-collector.ts' },
  { name: 'Blog Generator', file: 'blog-generator.ts' },
  { name: 'Tweet Scheduler', file: 'tweet-scheduler.ts' },
  { name: 'Engagement Analyzer', file: 'engagement-analyzer.ts' },
  { name: 'Account Manager', file: 'account-manager.ts' },
  { name: 'Example Agent', file: 'example-agent.ts' },
];

/** The example agents' names, which are also the agents supabase/seed.sql creates (domain-facts.test.ts checks it). */
export const AGENT_NAMES: readonly string[] = AGENT_FILES.map((agent) => agent.name);

/**
 * The built JavaScript of one of this package's scripts (`run-all.ts`, `content-collector.ts`, …) in
 * agents/dist/, which is what runs: no TypeScript loader in the agents' processes
 * (agents/scripts/build.mjs; scripts/build-packages.mjs keeps it fresh). The same path from src/ and dist/.
 */
export const builtScript = (file: string): string =>
  fileURLToPath(new URL(`../dist/${file.replace(/\.ts$/, '.js')}`, import.meta.url));

/**
 * Node's options for the processes of the agents and of their runner, which hold little and are many:
 * their idle memory is what six of them cost (docs/performance.md, "A lighter `npm start`"). One V8
 * background thread instead of one per core (fewer threads' malloc arenas keeping compilers' scratch
 * memory); WebAssembly — here only the HTTP parser of Node's fetch — compiled by the baseline compiler
 * alone (its optimising tier-up leaves ~8 MB behind); JavaScript interpreted only (an agent runs a few
 * statements per heartbeat; compiled code and the compilers' memory cost more than they save).
 */
export const AGENT_NODE_OPTIONS: readonly string[] = [
  '--v8-pool-size=1',
  '--liftoff-only',
  '--no-turbofan',
  '--no-maglev',
  '--no-sparkplug',
];
