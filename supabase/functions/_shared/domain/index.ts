// @agent-status/domain: what the schema defines, for TypeScript. Enumerations, row types and RPC answers
// come from the generated database types (corrected where the generator cannot know, database.ts); every
// number mirrors a rule in SQL, and tests/integration/domain-facts.test.ts reads the live schema and
// fails on any difference.
export * from './constants.ts';
export * from './types.ts';
export * from './schedules.ts';
export * from './bursts.ts';
