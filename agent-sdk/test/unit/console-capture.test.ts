import process from 'node:process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installCapture, quietly } from '../../src/console-capture.ts';

describe('capture of console output', () => {
  const uninstalls: Array<() => void> = [];
  afterEach(() => {
    for (const undo of uninstalls.splice(0)) undo();
    vi.restoreAllMocks();
  });

  it('console.* becomes lines at their level, and is still printed', () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const printedErr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const method of ['info', 'debug', 'warn'] as const)
      vi.spyOn(console, method).mockImplementation(() => undefined);
    const lines: Array<[string, string]> = [];
    const originalLog = console.log;
    uninstalls.push(
      installCapture({ console: true, stdio: false, capture: (level, text) => lines.push([level, text]) }),
    );
    console.log('hello %s', 'world', { n: 1 });
    console.info('info');
    console.debug('debug');
    console.warn('careful');
    console.error(new Error('bad').message);
    expect(lines).toEqual([
      ['info', 'hello world { n: 1 }'],
      ['info', 'info'],
      ['info', 'debug'],
      ['warn', 'careful'],
      ['error', 'bad'],
    ]);
    expect(printed).toHaveBeenCalled();
    expect(printedErr).toHaveBeenCalled();
    uninstalls.pop()?.();
    expect(console.log).toBe(originalLog);
  });

  it('stdio: every line written to stdout (info) and stderr (warn), across chunks; console output is not counted twice', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const lines: Array<[string, string]> = [];
    uninstalls.push(
      installCapture({ console: true, stdio: true, capture: (level, text) => lines.push([level, text]) }),
    );
    process.stdout.write('part one, ');
    process.stdout.write('part two\nsecond line\n');
    process.stderr.write(Buffer.from('from stderr\r\n'));
    vi.spyOn(console, 'error').mockImplementation((...args) => process.stderr.write(`${args.join(' ')}\n`));
    uninstalls.pop()?.();
    uninstalls.push(
      installCapture({ console: true, stdio: true, capture: (level, text) => lines.push([level, text]) }),
    );
    console.error('through console');
    expect(lines).toEqual([
      ['info', 'part one, part two'],
      ['info', 'second line'],
      ['warn', 'from stderr'],
      ['error', 'through console'],
    ]);
  });

  it("the SDK's own diagnostics (quietly) are not captured", () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const lines: string[] = [];
    uninstalls.push(installCapture({ console: true, stdio: true, capture: (_level, text) => lines.push(text) }));
    quietly(() => console.error('[agent] work started'));
    expect(lines).toEqual([]);
  });

  it('a failing capture never breaks printing', () => {
    const printed = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const printedByConsole = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    uninstalls.push(
      installCapture({
        console: true,
        stdio: true,
        capture: () => {
          throw new Error('capture bug');
        },
      }),
    );
    expect(() => console.log('still printed')).not.toThrow();
    expect(() => process.stdout.write('raw\n')).not.toThrow();
    expect(printedByConsole).toHaveBeenCalledWith('still printed');
    expect(printed).toHaveBeenCalledWith('raw\n');
  });
});
