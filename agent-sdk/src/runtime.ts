// Process facts and hooks through node: built-ins, which Node and Deno both provide.
import os from 'node:os';
import process from 'node:process';

export function hostName(): string {
  try {
    return os.hostname();
  } catch {
    return 'unknown';
  }
}

export function processId(): number {
  return process.pid;
}

export type Unsubscribe = () => void;

/** SIGINT and SIGTERM (SIGTERM is not available on Windows; what exists is used). */
export function onTerminationSignal(handler: (signal: string) => void): Unsubscribe {
  const installed: Array<[string, () => void]> = [];
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const listener = () => handler(signal);
    try {
      process.on(signal, listener);
      installed.push([signal, listener]);
    } catch {
      // the platform lacks this signal
    }
  }
  return () => {
    for (const [signal, listener] of installed) process.off(signal, listener);
  };
}

/** Errors that escaped every promise chain: with runAgent they belong to the running work. */
export function onEscapedError(handler: (error: unknown) => void): Unsubscribe {
  const onRejection = (reason: unknown) => handler(reason);
  const onException = (error: unknown) => handler(error);
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

export function exitProcess(code: number): never {
  process.exit(code);
}
