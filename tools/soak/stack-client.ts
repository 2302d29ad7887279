// The parent side of stack-process.ts: fork it, ask it things, stop it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StackRequest } from './stack-process.ts';

const SCRIPT = fileURLToPath(new URL('./stack-process.ts', import.meta.url));

export interface StackProcess {
  url: string;
  anonKey: string;
  database: string;
  pid: number;
  ask<T>(request: StackRequest, answerType: string): Promise<T>;
  stop(): Promise<void>;
}

export async function forkStack(databaseUrl?: string): Promise<StackProcess> {
  const child: ChildProcess = fork(SCRIPT, [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, SOAK_DATABASE_URL: databaseUrl ?? '' },
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const done = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (message: { type: string; message?: string }) => {
        if (message.type !== type && message.type !== 'error') return;
        done();
        if (message.type === 'error') reject(new Error(`stack process: ${message.message}`));
        else resolve(message as T);
      };
      const onExit = (code: number | null) => {
        done();
        reject(new Error(`stack process exited (${code})`));
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
  const ready = await next<{ url: string; anonKey: string; database: string }>('ready');
  return {
    url: ready.url,
    anonKey: ready.anonKey,
    database: ready.database,
    pid: child.pid!,
    ask<T>(request: StackRequest, answerType: string) {
      const answer = next<T>(answerType);
      child.send(request);
      return answer;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}
