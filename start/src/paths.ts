import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (start/src/ → ../../): where web/, .env.local and .data/ live. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
