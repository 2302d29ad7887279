// A real Prometheus server (Debian's `prometheus` package, installed by .ci/run) for one test file:
// its own config, data directory and random port; stop() ends it and removes its files.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually.ts';
import { freePort } from './free-port.ts';

export interface ScrapeTarget {
  /** e.g. http://127.0.0.1:54321 */
  baseUrl: string;
  metricsPath: string;
  bearerToken: string;
}

export interface PrometheusServer {
  url: string;
  /** Instant query through the HTTP API: the result vector. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

export function scrapeConfig(target: ScrapeTarget, scrapeIntervalSeconds = 1): string {
  const url = new URL(target.baseUrl);
  return [
    'global:',
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    `  scrape_timeout: ${scrapeIntervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: agent-status',
    `    scheme: ${url.protocol.replace(':', '')}`,
    `    metrics_path: ${target.metricsPath}`,
    '    authorization:',
    `      credentials: ${target.bearerToken}`,
    '    static_configs:',
    `      - targets: ['${url.host}']`,
    '',
  ].join('\n');
}

export async function startPrometheus(target: ScrapeTarget): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, scrapeConfig(target));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(
    process.env.PROMETHEUS_BIN ?? 'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const exited = once(child, 'exit');
  const spawnFailed = once(child, 'error').then(([error]) => {
    throw new Error(`cannot run prometheus (apt-get install prometheus): ${(error as Error).message}`);
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([
      spawnFailed,
      eventually(
        () =>
          fetch(`${url}/-/ready`).then(
            (r) => r.status,
            () => 0,
          ),
        (status) => status === 200,
        'Prometheus to be ready',
        30_000,
        100,
      ),
    ]);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${output.join('')}`);
  }

  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as { status: string; data: { result: [] }; error?: string };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
      return body.data.result;
    },
    stop,
  };
}
