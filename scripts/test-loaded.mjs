// Runs tests on a busy machine, as CI runners often are: busy workers (processes that only spin, two
// by default) beside `vitest run`. A test that passes only on an idle machine fails here.
//   npm run test:loaded                       unit and component tests (--project unit --project web)
//   npm run test:loaded -- <vitest arguments> e.g. --project integration tests/integration/cli.test.ts
//   LOAD_WORKERS=4 npm run test:loaded        more load
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const workers = Number(process.env.LOAD_WORKERS ?? 2);
if (!Number.isInteger(workers) || workers < 0) {
  console.error(`LOAD_WORKERS must be a whole number, not "${process.env.LOAD_WORKERS}"`);
  process.exit(2);
}
const args = process.argv.slice(2);
const vitestArgs = args.length > 0 ? args : ['--project', 'unit', '--project', 'web'];

const busy = Array.from({ length: workers }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
const stopBusy = () => {
  for (const child of busy) child.kill('SIGKILL');
};
process.on('exit', stopBusy);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopBusy();
    process.exit(130);
  });
}

console.error(`test:loaded: ${workers} busy workers beside vitest run ${vitestArgs.join(' ')}`);
const tests = spawn('npx', ['vitest', 'run', ...vitestArgs], { cwd: root, stdio: 'inherit' });
tests.on('exit', (code, signal) => {
  stopBusy();
  process.exit(code ?? (signal ? 1 : 0));
});
