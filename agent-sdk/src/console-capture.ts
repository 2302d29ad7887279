// Opt-in capture of what the worker prints: console.log/info/debug (info), console.warn (warn) and
// console.error (error), and — with `stdio` — whatever else is written to process.stdout (info) and
// process.stderr (warn), line by line. The output still goes where it went; a copy becomes a log line.
// The SDK's own diagnostics are printed through `quietly` and are not captured. Uninstalling puts every
// method back as it was.
import { format } from 'node:util';
import process from 'node:process';
import type { LogLevel } from './constants.ts';

export interface CaptureOptions {
  console: boolean;
  stdio: boolean;
  capture(level: LogLevel, text: string): void;
}

const CONSOLE_LEVELS: ReadonlyArray<[keyof Console, LogLevel]> = [
  ['log', 'info'],
  ['info', 'info'],
  ['debug', 'info'],
  ['warn', 'warn'],
  ['error', 'error'],
];

/** A stream's pending partial line is given up at this length and captured as it is. */
const PARTIAL_LINE_MAX = 16 * 1024;

let quietDepth = 0;

/** Runs `print` without capturing what it prints (the SDK's own diagnostics, agent.log's echo). */
export function quietly<T>(print: () => T): T {
  quietDepth++;
  try {
    return print();
  } finally {
    quietDepth--;
  }
}

type Write = typeof process.stdout.write;

/** Installs the capture; returns the function that removes it. */
export function installCapture(options: CaptureOptions): () => void {
  const restore: Array<() => void> = [];
  // Inside a captured console call, the stdio copy of the same text is not captured twice.
  let inConsole = 0;
  if (options.console) {
    for (const [method, level] of CONSOLE_LEVELS) {
      const original = console[method] as (...args: unknown[]) => void;
      if (typeof original !== 'function') continue;
      const patched = function (this: Console, ...args: unknown[]) {
        if (quietDepth === 0) {
          try {
            options.capture(level, format(...args));
          } catch {
            // capture never breaks printing
          }
        }
        inConsole++;
        try {
          return original.apply(this, args);
        } finally {
          inConsole--;
        }
      };
      (console as unknown as Record<string, unknown>)[method] = patched;
      restore.push(() => {
        if (console[method] === patched) (console as unknown as Record<string, unknown>)[method] = original;
      });
    }
  }
  if (options.stdio) {
    for (const [stream, level] of [
      [process.stdout, 'info'],
      [process.stderr, 'warn'],
    ] as const) {
      if (!stream || typeof stream.write !== 'function') continue;
      const original: Write = stream.write;
      let partial = '';
      const patched = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
        if (quietDepth === 0 && inConsole === 0) {
          try {
            const text =
              typeof chunk === 'string'
                ? chunk
                : chunk instanceof Uint8Array
                  ? new TextDecoder().decode(chunk)
                  : String(chunk);
            const lines = (partial + text).split('\n');
            partial = lines.pop() ?? '';
            if (partial.length > PARTIAL_LINE_MAX) {
              lines.push(partial);
              partial = '';
            }
            for (const line of lines) if (line.trim() !== '') options.capture(level, line.replace(/\r$/, ''));
          } catch {
            // capture never breaks writing
          }
        }
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as Write;
      stream.write = patched;
      restore.push(() => {
        if (stream.write === patched) stream.write = original;
      });
    }
  }
  return () => {
    for (const undo of restore.reverse()) undo();
  };
}
