// bcrypt costs ~55–80 ms of CPU per hash or comparison. On the stack's one thread a burst of sign-ins
// would hold every other request (REST, heartbeats, Realtime) behind it, so password hashing runs on a
// worker thread, one operation at a time; at most MAX_WAITING wait, and beyond that a sign-in is refused
// (429) rather than queued without bound. Created on first use, unref'd, restarted if it dies, and ended
// after a while without work: an idle stack (npm start signs nobody in for hours) does not keep a
// second V8 isolate, ~10 MB, for a sign-in that may never come; the next one starts it again (~50 ms).
//
// The worker uses native bcrypt (@node-rs/bcrypt, prebuilt per platform) when it loads, as GoTrue's Go
// bcrypt is native: 55 against bcryptjs's 70 ms per comparison here, and a password sign-in is on the
// path of every dashboard's first screen (docs/performance.md). npm can leave a platform's prebuilt
// binary out (its lockfile records the optional package of the machine that wrote it), so bcryptjs, pure
// JavaScript with the same hashes, is the fallback.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const MAX_WAITING = 64;
const IDLE_MS = 30_000;

/** A bcrypt implementation the worker may load: its module path and which of the two APIs it has. */
export type BcryptLibrary = { path: string; api: 'node-rs' | 'bcryptjs' };

const resolveModule = (name: string): string | undefined => {
  try {
    return createRequire(import.meta.url).resolve(name);
  } catch {
    return undefined;
  }
};

/** Tried in order; the first that loads in the worker is used. */
export const BCRYPT_LIBRARIES: readonly BcryptLibrary[] = [
  { path: resolveModule('@node-rs/bcrypt'), api: 'node-rs' as const },
  { path: resolveModule('bcryptjs'), api: 'bcryptjs' as const },
].filter((library): library is BcryptLibrary => library.path !== undefined);

// Plain CommonJS run by the worker (eval), so it loads the same way under tsx, vitest or a build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
function load(libraries) {
  for (const { path, api } of libraries) {
    let lib;
    try { lib = require(path); } catch { continue; }
    return api === 'node-rs'
      ? { api, hash: (password, cost) => lib.hashSync(password, { cost }), compare: (password, hash) => lib.verifySync(password, hash) }
      : { api, hash: (password, cost) => lib.hashSync(password, cost), compare: (password, hash) => lib.compareSync(password, hash) };
  }
  throw new Error('no bcrypt library loads: ' + libraries.map((l) => l.path).join(', '));
}
const bcrypt = load(workerData.libraries);
parentPort.on('message', ({ id, op, password, arg }) => {
  try {
    const result = op === 'hash' ? bcrypt.hash(password, arg) : bcrypt.compare(password, arg);
    parentPort.postMessage({ id, result, library: bcrypt.api });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

export class PasswordWorkerBusy extends Error {
  constructor() {
    super('too many password operations waiting');
  }
}

type Answer = { id: number; result?: string | boolean; error?: string; library?: BcryptLibrary['api'] };
type Pending = { resolve: (value: string | boolean) => void; reject: (error: Error) => void };

export class PasswordWorker {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | undefined;
  /** Workers ended for idleness: their exit fails nothing (what is pending belongs to the next one). */
  private readonly retired = new WeakSet<Worker>();

  /** The bcrypt implementation the worker loaded, once it has answered. */
  library: BcryptLibrary['api'] | undefined;

  constructor(
    private readonly maxWaiting = MAX_WAITING,
    private readonly idleMs = IDLE_MS,
    private readonly libraries: readonly BcryptLibrary[] = BCRYPT_LIBRARIES,
  ) {}

  hash(password: string, cost: number): Promise<string> {
    return this.run('hash', password, cost) as Promise<string>;
  }

  compare(password: string, hash: string): Promise<boolean> {
    return this.run('compare', password, hash) as Promise<boolean>;
  }

  /** Operations sent and not yet answered (the one running included). */
  get waiting(): number {
    return this.pending.size;
  }

  /** Whether the worker thread exists now (it is started by the first operation and ended when idle). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private run(op: 'hash' | 'compare', password: string, arg: string | number): Promise<string | boolean> {
    if (this.pending.size >= this.maxWaiting) return Promise.reject(new PasswordWorkerBusy());
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.start().postMessage({ id, op, password, arg });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { libraries: this.libraries } });
    worker.unref();
    worker.on('message', ({ id, result, error, library }: Answer) => {
      if (library) this.library = library;
      const entry = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) entry?.reject(new Error(error));
      else entry?.resolve(result!);
      if (this.pending.size === 0) this.endWhenIdle(worker);
    });
    const fail = (error: Error) => {
      if (this.retired.has(worker)) return;
      if (this.worker === worker) this.worker = undefined;
      for (const entry of this.pending.values()) entry.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`password worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private endWhenIdle(worker: Worker) {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.pending.size > 0) return;
      this.worker = undefined;
      this.retired.add(worker);
      void worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}
