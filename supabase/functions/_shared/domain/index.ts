// @agent-status/domain: what the schema defines, for TypeScript. Enumerations and row types come from
// the generated database types; every number mirrors a rule in SQL, and
// tests/integration/domain-facts.test.ts reads the live schema and fails on any difference.
export * from './constants.ts';
export * from './types.ts';
export type { Database, Json } from './database.types.ts';
export * from './schedules.ts';
