// Everything the CLI prints goes through here: colour only on a terminal (and never with NO_COLOR or
// TERM=dumb), text from the server made safe for a terminal, aligned tables, and JSON for scripts.
import type { Writable } from 'node:stream';

export type Env = Record<string, string | undefined>;
type Stream = Writable & { isTTY?: boolean; columns?: number };

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, gray: 90, bold: 1, dim: 2 } as const;
export type Style = keyof typeof CODES;

export function colorEnabled(stream: Stream, env: Env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

/**
 * Text that came from the server (agent names, messages) shown on a terminal: control characters —
 * including ESC, which could move the cursor or rewrite the screen — become visible escapes.
 */
export function safe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) =>
    c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * The last line of defence, for whatever reaches a stream: every control character but a line break and
 * the colour sequences `style` writes (`ESC [ digits m`) becomes a visible escape, so no text can move
 * the cursor, clear the screen, set the window title or hide a link, even one a command forgot to `safe`.
 */
const inert = (text: string) =>
  text.replace(/\u001b\[[0-9;]*m|[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (match) =>
    match.length > 1 ? match : safe(match),
  );

/** JSON for scripts, with DEL and the C1 controls (which JSON.stringify keeps) escaped as \u00XX too. */
export const jsonText = (value: unknown) =>
  JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Width in terminal columns, counted in code points (good enough for names and states). */
const width = (text: string) => [...text.replace(/\u001b\[[0-9;]*m/g, '')].length;

export class Output {
  readonly color: boolean;
  private readonly errorColor: boolean;
  constructor(
    readonly stdout: Stream,
    readonly stderr: Stream,
    env: Env,
  ) {
    this.color = colorEnabled(stdout, env);
    this.errorColor = colorEnabled(stderr, env);
  }

  get isTTY(): boolean {
    return Boolean(this.stdout.isTTY);
  }

  style(text: string, ...styles: Style[]): string {
    if (!this.color || styles.length === 0) return text;
    return `\u001b[${styles.map((s) => CODES[s]).join(';')}m${text}\u001b[0m`;
  }

  line(text = ''): void {
    this.stdout.write(`${inert(text)}\n`);
  }

  json(value: unknown): void {
    this.stdout.write(`${jsonText(value)}\n`);
  }

  error(text: string): void {
    const prefix = this.errorColor ? '\u001b[31magent-status:\u001b[0m' : 'agent-status:';
    // Messages may quote what the server or the user sent (an agent's name): never raw control characters.
    this.stderr.write(`${prefix} ${safe(text)}\n`);
  }

  /** On a terminal: the screen cleared and `text` drawn from its top-left corner. */
  redraw(text: string): void {
    this.stdout.write(`\u001b[H\u001b[2J${inert(text)}\n`);
  }

  note(text: string): void {
    this.stderr.write(`${inert(text)}\n`);
  }

  /** Columns padded to their widest cell; cells may already be styled. */
  table(headers: string[], rows: string[][], align: Array<'left' | 'right'> = []): string[] {
    const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
    const pad = (cell: string, i: number) => {
      const gap = ' '.repeat(widths[i] - width(cell));
      return align[i] === 'right' ? gap + cell : cell + gap;
    };
    const render = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
    return [this.style(render(headers), 'bold'), ...rows.map(render)];
  }
}
