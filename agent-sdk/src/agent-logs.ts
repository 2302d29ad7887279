// The agent's log as runAgent wires it: the ring buffer, agent.log, the opt-in capture of console
// output, the live tail, and the last lines that go with an error report.
import { CRASH_LOG_MAX_BYTES, CRASH_LOG_MAX_LINES, type LogLevel } from './constants.ts';
import { createAgentLogger, lineText, type AgentLog } from './agent-log.ts';
import type { AgentInfo } from './client.ts';
import { installCapture, quietly } from './console-capture.ts';
import {
  createLogBuffer,
  DEFAULT_LOG_MAX_BYTES,
  DEFAULT_LOG_MAX_LINES,
  type CrashLogLine,
  type LogFields,
  type LogLine,
} from './log-buffer.ts';
import { createLogTail, type LogBatch, type PublishResult } from './log-tail.ts';
import type { LogOptions } from './run-options.ts';

export interface AgentLogsOptions {
  options?: LogOptions;
  /** The worker's own token and keys: hidden in every line. */
  secrets: readonly (string | undefined)[];
  instanceId: string;
  publish(batch: LogBatch): Promise<PublishResult>;
  /** The SDK's own diagnostics. */
  log(line: string): void;
}

export interface AgentLogs {
  log: AgentLog;
  /** The last lines, for an error report (undefined: none, or crash context turned off). */
  errorInfo(): AgentInfo | undefined;
  /** The work crashed: its error becomes a line (not printed: the SDK says it already). */
  logCrash(error: unknown): void;
  /** A watch was announced or answered (see log-tail.ts). */
  watched(seconds: number | null | undefined, backlogRequest?: number | null): void;
  /** Stops the tail and gives console and stdio back. */
  close(): void;
}

const ECHO: Record<LogLevel, 'log' | 'warn' | 'error'> = { info: 'log', warn: 'warn', error: 'error' };

function echoLine(level: LogLevel, text: string, fields?: LogFields) {
  quietly(() => (fields ? console[ECHO[level]](text, fields) : console[ECHO[level]](text)));
}

export function createAgentLogs(settings: AgentLogsOptions): AgentLogs {
  const options = settings.options ?? {};
  const crashLines = Math.max(0, Math.min(options.crashLines ?? CRASH_LOG_MAX_LINES, CRASH_LOG_MAX_LINES));
  const buffer = createLogBuffer(options.maxLines ?? DEFAULT_LOG_MAX_LINES, options.maxBytes ?? DEFAULT_LOG_MAX_BYTES);
  const tail =
    options.live === false
      ? undefined
      : createLogTail({ buffer, publish: settings.publish, instanceId: settings.instanceId, log: settings.log });
  const logger = createAgentLogger({
    buffer,
    redact: options.redact,
    secrets: settings.secrets,
    echo: options.echo === false ? undefined : echoLine,
    onLine: () => tail?.lineAdded(),
    warn: settings.log,
  });
  const uninstall =
    options.captureConsole || options.captureStdio
      ? installCapture({
          console: options.captureConsole === true,
          stdio: options.captureStdio === true,
          capture: (level, text) => logger.capture(level, text),
        })
      : undefined;

  return {
    log: logger.log,
    errorInfo() {
      if (crashLines === 0) return undefined;
      const lines = buffer.newest(crashLines, CRASH_LOG_MAX_BYTES);
      if (lines.length === 0) return undefined;
      return { log_lines: lines.map(({ seq: _seq, ...line }: LogLine): CrashLogLine => line) };
    },
    logCrash: (error) => logger.capture('error', `work crashed: ${lineText(error)}`),
    watched: (seconds, backlogRequest) => tail?.watched(seconds, backlogRequest),
    close() {
      tail?.stop();
      uninstall?.();
    },
  };
}
