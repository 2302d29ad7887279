// The CLI's version, from its package.json (beside dist/ in the package and in the repository).
import { readFileSync } from 'node:fs';

export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
