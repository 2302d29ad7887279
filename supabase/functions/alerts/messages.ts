// What receivers get. Webhooks: one JSON document per delivery (the contract's fields). Slack and
// Discord: one readable line per event — agent, what happened, the message, a link to the agent on
// the dashboard — with several events of one channel grouped into one message; an error's last log
// lines follow its line in a code block. Agents' names, messages and log lines are text, never markup:
// each stays on its line, is escaped for the receiver (Slack's &, <, >; Discord's markdown outside the
// code block), no log line can close the code block, and Discord parses no mentions at all.
import type { AlertChannelKind, CrashLogLine } from '@agent-status/domain';

/** One alert as the dispatcher (or a test) sends it. */
export interface Alert {
  delivery_id: string;
  /** An alert event name, or 'test'. */
  event: string;
  agent_name: string | null;
  agent_id: string | null;
  message: string | null;
  status: string | null;
  health: number | null;
  at: string;
  dashboard_url: string | null;
  /** 0 for the alert itself, n for the n-th reminder. */
  repeat_number: number;
  /** An error's last log lines (oldest first), with the alert itself; null otherwise. */
  log_lines: CrashLogLine[] | null;
}

/** An HTTP request to make: the body exactly as sent (signatures cover these bytes). */
export interface OutgoingMessage {
  body: string;
  headers: Record<string, string>;
}

/** Slack allows 50 blocks per message; one is the summary. */
export const MAX_EVENTS_PER_CHAT_MESSAGE = 40;
export const DISCORD_MAX_CHARS = 2000;
/** Discord's message flag SUPPRESS_EMBEDS (1 << 2), one of the two a webhook may set. */
const DISCORD_SUPPRESS_EMBEDS = 4;
const LINE_MAX_CHARS = 400;
const NAMES_IN_SUMMARY = 10;
/** Chat messages show an error's last few log lines, each cut to this many characters. */
export const CHAT_LOG_LINES = 5;
const CHAT_LOG_LINE_MAX_CHARS = 200;

const WHAT_HAPPENED: Record<string, string> = {
  offline: 'went offline',
  online: 'is back online',
  error: 'reported an error',
  warning: 'reported a warning',
  recovered: 'recovered',
  stopped_unexpectedly: 'stopped unexpectedly',
  command: 'received a command',
  test: 'test message',
};

export const whatHappened = (alert: Pick<Alert, 'event' | 'repeat_number'>) =>
  alert.repeat_number > 0
    ? `is still ${alert.event === 'offline' ? 'offline' : 'in error'}`
    : (WHAT_HAPPENED[alert.event] ?? alert.event);

/** `<DASHBOARD_URL>#/agents/<name>` (web/src/lib/route.ts), or null without a dashboard URL. */
export function agentLink(dashboardUrl: string | null, agentName: string | null): string | null {
  if (!dashboardUrl) return null;
  let base = dashboardUrl.replace(/#.*$/, '');
  try {
    base = new URL(base).href; // "http://host:5173" → "http://host:5173/"
  } catch {
    // kept as given
  }
  return agentName === null ? `${base}#/alerts` : `${base}#/agents/${encodeURIComponent(agentName)}`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The contract's webhook body; dashboard_url is the deep link to the agent. */
export function webhookBody(alert: Alert): string {
  return JSON.stringify({
    delivery_id: alert.delivery_id,
    event: alert.event,
    agent_name: alert.agent_name,
    agent_id: alert.agent_id,
    message: alert.message,
    status: alert.status,
    health: alert.health,
    at: alert.at,
    dashboard_url: agentLink(alert.dashboard_url, alert.agent_name),
    log_lines: alert.log_lines,
  });
}

/** Line breaks and other control characters of an agent's text become spaces: one event, one line. */
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');

/** "Content Collector went offline: no heartbeat for 3 min 5 s" */
export function plainLine(alert: Alert): string {
  const who = oneLine(alert.agent_name ?? 'Agent Status');
  const message = alert.message ? `: ${oneLine(alert.message)}` : '';
  return clip(`${who} ${whatHappened(alert)}${message}`, LINE_MAX_CHARS);
}

/** One line for a group: "12 agents went offline: A, B, C … and 2 more". */
export function summary(alerts: Alert[]): string {
  if (alerts.length === 1) return plainLine(alerts[0]);
  const first = alerts[0];
  const same = alerts.every((a) => a.event === first.event && a.repeat_number > 0 === first.repeat_number > 0);
  const names = [...new Set(alerts.map((a) => oneLine(a.agent_name ?? 'Agent Status')))];
  const shown =
    names.slice(0, NAMES_IN_SUMMARY).join(', ') +
    (names.length > NAMES_IN_SUMMARY ? ` and ${names.length - NAMES_IN_SUMMARY} more` : '');
  if (!same) return `${alerts.length} alerts: ${shown}`;
  if (names.length === 1) return `${names[0]} ${whatHappened(first)} (${alerts.length} times)`;
  return `${names.length} agents ${whatHappened(first)}: ${shown}`;
}

/**
 * An error's last log lines as the text of a code block: "12:00:01 warn  text", one line each, cut; three
 * backticks in a row (which would end the block) get a zero-width space between them.
 */
export function codeBlockLines(lines: CrashLogLine[] | null): string | null {
  if (!lines?.length) return null;
  return lines
    .slice(-CHAT_LOG_LINES)
    .map((line) => {
      const time = /T(\d\d:\d\d:\d\d)/.exec(line.at ?? '')?.[1] ?? '--:--:--';
      return clip(
        `${time} ${(line.level ?? 'info').padEnd(5)} ${oneLine(String(line.text ?? ''))}`,
        CHAT_LOG_LINE_MAX_CHARS,
      );
    })
    .join('\n')
    .replace(/`(?=``)/g, '`\u200b');
}

/** Slack's control sequences (<!channel>, <@U…>, <url|text>) need < and >; escaped, they are text. */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slackLine(alert: Alert): string {
  const link = agentLink(alert.dashboard_url, alert.agent_name);
  const who = slackEscape(oneLine(alert.agent_name ?? 'Agent Status'));
  const name = link && alert.agent_name !== null ? `<${link}|${who}>` : `*${who}*`;
  const message = alert.message ? `: ${slackEscape(clip(oneLine(alert.message), LINE_MAX_CHARS))}` : '';
  const logs = codeBlockLines(alert.log_lines);
  return `${name} ${whatHappened(alert)}${message}${logs ? `\n\`\`\`${slackEscape(logs)}\`\`\`` : ''}`;
}

/**
 * Slack incoming webhook: { text (the notification), blocks (one section per event) }, both escaped;
 * links in an agent's text are not unfurled.
 */
export function slackBody(alerts: Alert[]): string {
  const text = slackEscape(summary(alerts));
  const blocks = [
    ...(alerts.length > 1 ? [{ type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } }] : []),
    ...alerts.map((alert) => ({ type: 'section', text: { type: 'mrkdwn', text: slackLine(alert) } })),
  ];
  return JSON.stringify({ text, blocks, unfurl_links: false, unfurl_media: false });
}

/** Discord markdown (bold, links, quotes, headings, spoilers, code) and mentions (<@…>, @everyone) as text. */
const discordEscape = (text: string) => text.replace(/[\\*_~`|<>[\]#@]/g, '\\$&');

/**
 * Discord webhook: { content } of at most 2,000 characters; lines that do not fit become "… and N more".
 * No mention pings (allowed_mentions), no link previews (flags: SUPPRESS_EMBEDS).
 */
export function discordBody(alerts: Alert[]): string {
  const lines = alerts.map((alert) => {
    const link = agentLink(alert.dashboard_url, alert.agent_name);
    // Inside a code block Discord shows text as it is: no markdown to escape there, only the fence to keep.
    const logs = codeBlockLines(alert.log_lines);
    return `• ${discordEscape(plainLine(alert))}${link && alert.agent_name !== null ? ` <${link}>` : ''}${logs ? `\n\`\`\`\n${logs}\n\`\`\`` : ''}`;
  });
  const head = alerts.length > 1 ? `**${discordEscape(clip(summary(alerts), 300))}**\n` : '';
  let content = head;
  for (let i = 0; i < lines.length; i++) {
    const rest = lines.length - i - 1;
    const tail = rest > 0 ? `\n… and ${rest} more` : '';
    const next = `${content}${content === head ? '' : '\n'}${lines[i]}`;
    if (next.length + tail.length > DISCORD_MAX_CHARS) {
      content = `${content}\n… and ${lines.length - i} more`;
      break;
    }
    content = next;
  }
  return JSON.stringify({
    content: clip(content, DISCORD_MAX_CHARS),
    allowed_mentions: { parse: [] },
    flags: DISCORD_SUPPRESS_EMBEDS,
  });
}

/** The chat message for a group of one channel's alerts. */
export function chatBody(kind: Exclude<AlertChannelKind, 'webhook'>, alerts: Alert[]): string {
  return kind === 'slack' ? slackBody(alerts) : discordBody(alerts);
}
