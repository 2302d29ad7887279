// The example agents and the file that runs each one alone.
export const AGENT_FILES: ReadonlyArray<{ name: string; file: string }> = [
  { name: 'Content Collector', file: 'content-collector.ts' },
  { name: 'Blog Generator', file: 'blog-generator.ts' },
  { name: 'Tweet Scheduler', file: 'tweet-scheduler.ts' },
  { name: 'Engagement Analyzer', file: 'engagement-analyzer.ts' },
  { name: 'Account Manager', file: 'account-manager.ts' },
  { name: 'Example Agent', file: 'example-agent.ts' },
];
