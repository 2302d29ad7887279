// PGlite's files hold everything: users' password hashes, sessions, agent token hashes, the WAL with
// recent writes. The files of a new database PGlite (Emscripten's NODEFS) writes 0666 whatever the umask;
// what it creates later follows the process umask. So the stack sets a private umask for its process and
// its children before anything is written (privateUmask), and makes the data directory private itself:
// the folder and every folder in it 0700, every file without group or other permissions — on every start
// (a directory made earlier, copied or unpacked with looser modes is tightened before the database opens),
// once the database is open (a new database's files), and again on a clean stop.
import { chmod, lstat, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

const PRIVATE_DIR_MODE = 0o700;
const GROUP_AND_OTHER = 0o077;

/** From now on, what this process and the children it starts create is accessible to its owner only. */
export function privateUmask(): void {
  process.umask(GROUP_AND_OTHER);
}

/** Creates `dir` if needed and makes it and everything in it accessible to its owner only. */
export async function makePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await tighten(dir);
}

async function tighten(entry: string): Promise<void> {
  const stats = await lstat(entry);
  if (stats.isSymbolicLink()) return; // chmod would follow it out of the directory
  if (stats.isDirectory()) {
    if ((stats.mode & 0o777) !== PRIVATE_DIR_MODE) await chmod(entry, PRIVATE_DIR_MODE);
    for (const name of await readdir(entry)) await tighten(path.join(entry, name));
  } else if ((stats.mode & GROUP_AND_OTHER) !== 0) {
    await chmod(entry, stats.mode & 0o700);
  }
}
