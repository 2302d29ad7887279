#!/usr/bin/env node
// The `agent-status` command. Inside the repository (src/ beside dist/) it first rebuilds dist/ when a
// source is newer, so `npx agent-status` always runs the current code; an installed package has no
// src/ and runs dist/ as it is.
import { existsSync } from 'node:fs';

if (existsSync(new URL('../src/main.ts', import.meta.url))) {
  const { buildIfStale } = await import('../scripts/build.mjs');
  buildIfStale();
}
const { main } = await import('../dist/main.js');
await main(process.argv.slice(2));
