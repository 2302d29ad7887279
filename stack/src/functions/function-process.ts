// One Edge Function as a Deno child process: started through deno-entry.ts, ready once it
// announces its port, restarted with backoff whenever it exits unexpectedly, stopped by close().
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LISTENING_MARKER } from './protocol.ts';

const ENTRY_SCRIPT = fileURLToPath(new URL('./deno-entry.ts', import.meta.url));
const MAX_RESTART_DELAY_MS = 10_000;
/** How long a process whose request broke gets no traffic unless it exits (and is restarted) first. */
const SUSPECT_GRACE_MS = 1_000;

export interface FunctionProcessOptions {
  name: string;
  /** Absolute path of the function's index.ts. */
  entry: string;
  denoBin: string;
  /** How Deno gets the function's import map (`--config=…`, `--import-map=…`, `--no-config`): deno-config.ts. */
  denoConfigArgs: string[];
  env: Record<string, string>;
  log: (line: string) => void;
}

export class FunctionProcess {
  private launched = false;
  private child: ChildProcess | undefined;
  private port: number | undefined;
  private closed = false;
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly events = new EventEmitter();

  constructor(private readonly options: FunctionProcessOptions) {
    this.events.setMaxListeners(0);
  }

  /** Starts the process; resolves once it listens, rejects if it does not within `timeoutMs` (it keeps retrying). */
  async start(timeoutMs: number): Promise<void> {
    this.launch();
    await this.waitForPort(timeoutMs);
  }

  /** Whether the process was ever started (a function started on demand is not, until its first request). */
  get started(): boolean {
    return this.launched;
  }

  /** Starts the process unless it was started already (after that, it is restarted whenever it exits). */
  launch(): void {
    if (this.launched || this.closed) return;
    this.launched = true;
    this.spawn();
  }

  /** The port of the running function, waiting up to `timeoutMs` for a (re)start. */
  async waitForPort(timeoutMs: number): Promise<number> {
    if (this.port !== undefined) return this.port;
    if (this.closed) throw new Error(`function ${this.options.name} is stopped`);
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const [port] = await once(this.events, 'listening', { signal });
      return port as number;
    } catch {
      throw new Error(`function ${this.options.name} did not start within ${timeoutMs} ms`);
    }
  }

  /**
   * A request to it broke after connecting: it is most likely dying (a dying process can still
   * accept connections). Send it nothing until it has exited and been restarted — or, if it is
   * still alive after a grace period, was fine after all.
   */
  suspect(): void {
    const { child, port } = this;
    if (port === undefined || !child) return;
    this.port = undefined;
    setTimeout(() => {
      const alive = child.exitCode === null && child.signalCode === null;
      if (this.child === child && this.port === undefined && alive && !this.closed) {
        this.port = port;
        this.events.emit('listening', port);
      }
    }, SUSPECT_GRACE_MS).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  private spawn() {
    const { entry, denoBin, denoConfigArgs, env, log } = this.options;
    const child = spawn(
      denoBin,
      [
        'run',
        '--allow-net',
        '--allow-env',
        '--allow-read',
        '--no-prompt',
        // The project's tree stays as it is: no deno.lock written beside its import map.
        '--no-lock',
        ...denoConfigArgs,
        ENTRY_SCRIPT,
        pathToFileURL(entry).href,
      ],
      // stdin: a pipe the stack never writes to; the function exits when it closes (see deno-entry.ts),
      // so the stack's death, even by SIGKILL, takes its functions with it.
      { env, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child.stdin!.on('error', () => undefined);
    this.child = child;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(LISTENING_MARKER)) {
        this.port = Number(line.slice(LISTENING_MARKER.length).trim());
        this.failures = 0;
        log(`listening on 127.0.0.1:${this.port}`);
        this.events.emit('listening', this.port);
      } else {
        log(line);
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => log(line));
    let ended = false;
    const onEnd = (reason: string) => {
      if (ended) return;
      ended = true;
      this.port = undefined;
      if (this.child !== child || this.closed) return;
      this.failures++;
      const delay = Math.min(250 * 2 ** (this.failures - 1), MAX_RESTART_DELAY_MS);
      log(`${reason}; restarting in ${delay} ms`);
      this.restartTimer = setTimeout(() => this.spawn(), delay);
    };
    child.on('error', (error) => onEnd(`could not run Deno (${denoBin}): ${error.message}`));
    child.on('exit', (code, signal) => onEnd(`exited (${signal ?? `code ${code}`})`));
  }
}
