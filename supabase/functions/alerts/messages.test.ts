import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  agentLink,
  type Alert,
  CHAT_LOG_LINES,
  discordBody,
  DISCORD_MAX_CHARS,
  plainLine,
  slackBody,
  summary,
  webhookBody,
} from './messages.ts';
import { signature } from './sign.ts';

const alert = (agent: string, event = 'offline', extra: Partial<Alert> = {}): Alert => ({
  delivery_id: `d-${agent}`,
  event,
  agent_name: agent,
  agent_id: `id-${agent}`,
  message: 'no heartbeat for 3 min',
  status: 'running',
  health: 100,
  at: '2026-11-27T12:00:00Z',
  dashboard_url: 'https://status.example.com/',
  repeat_number: 0,
  log_lines: null,
  ...extra,
});

Deno.test('the webhook body has exactly the contract fields, with a deep link to the agent', () => {
  const body = JSON.parse(webhookBody(alert('Content Collector')));
  assert.deepEqual(body, {
    delivery_id: 'd-Content Collector',
    event: 'offline',
    agent_name: 'Content Collector',
    agent_id: 'id-Content Collector',
    message: 'no heartbeat for 3 min',
    status: 'running',
    health: 100,
    at: '2026-11-27T12:00:00Z',
    dashboard_url: 'https://status.example.com/#/agents/Content%20Collector',
    log_lines: null,
  });
});

Deno.test('deep links: none without a dashboard URL; an existing hash is replaced', () => {
  assert.equal(agentLink(null, 'A'), null);
  assert.equal(agentLink('https://x.example/#/agents', 'A/B'), 'https://x.example/#/agents/A%2FB');
  assert.equal(agentLink('https://x.example/', null), 'https://x.example/#/alerts');
});

Deno.test('one readable line per event, reminders say "still"', () => {
  assert.equal(plainLine(alert('A', 'error', { message: 'disk full' })), 'A reported an error: disk full');
  assert.equal(plainLine(alert('A', 'offline', { repeat_number: 2, message: null })), 'A is still offline');
  assert.equal(plainLine(alert('A', 'online', { message: null })), 'A is back online');
});

Deno.test('a group is summarised: "12 agents went offline: …"', () => {
  const group = Array.from({ length: 12 }, (_, i) => alert(`Agent ${i}`));
  assert.equal(
    summary(group),
    '12 agents went offline: Agent 0, Agent 1, Agent 2, Agent 3, Agent 4, Agent 5, Agent 6, Agent 7, Agent 8, Agent 9 and 2 more',
  );
  assert.equal(summary([alert('A', 'error'), alert('B', 'online')]), '2 alerts: A, B');
  assert.equal(summary([alert('A', 'error'), alert('A', 'error')]), 'A reported an error (2 times)');
});

Deno.test('Slack: { text, blocks } with one section per event, links in mrkdwn, text escaped', () => {
  const body = JSON.parse(slackBody([alert('A <b>'), alert('B', 'error', { message: 'x & y' })]));
  assert.equal(body.text, '2 alerts: A &lt;b&gt;, B');
  assert.equal(body.blocks.length, 3);
  assert.equal(
    body.blocks[1].text.text,
    '<https://status.example.com/#/agents/A%20%3Cb%3E|A &lt;b&gt;> went offline: no heartbeat for 3 min',
  );
  assert.match(body.blocks[2].text.text, /reported an error: x &amp; y$/);
});

Deno.test('Discord: { content } never over 2,000 characters, the rest counted', () => {
  const many = Array.from({ length: 40 }, (_, i) =>
    alert(`A rather long agent name number ${i}`, 'error', { message: 'e'.repeat(150) }),
  );
  const { content } = JSON.parse(discordBody(many));
  assert.ok(content.length <= DISCORD_MAX_CHARS, `${content.length}`);
  assert.match(content, /^\*\*40 agents reported an error: /);
  assert.match(content, /… and \d+ more$/);
  const one = JSON.parse(discordBody([alert('A')])).content;
  assert.equal(one, '• A went offline: no heartbeat for 3 min <https://status.example.com/#/agents/A>');
});

/** An agent's error message that tries to ping everyone and show a disguised link. */
const HOSTILE = '<!channel> @everyone @here <@&123456> [Reset your password](https://evil.example/login)';

Deno.test("Slack: an agent's text is escaped in the notification text too, and stays on its line", () => {
  const body = JSON.parse(slackBody([alert('A', 'error', { message: `${HOSTILE}\n*B* recovered` })]));
  assert.equal(
    body.text,
    'A reported an error: &lt;!channel&gt; @everyone @here &lt;@&amp;123456&gt; [Reset your password](https://evil.example/login) *B* recovered',
  );
  assert.doesNotMatch(JSON.stringify(body), /<!channel>|<@&123456>|\\n/);
  assert.equal(body.unfurl_links, false);
  assert.equal(body.unfurl_media, false);
  const group = JSON.parse(slackBody([alert('A', 'error', { message: HOSTILE }), alert('B <!here>')]));
  assert.equal(group.text, '2 alerts: A, B &lt;!here&gt;');
  assert.equal(group.blocks[0].text.text, '*2 alerts: A, B &lt;!here&gt;*');
});

Deno.test("Discord: no mentions are parsed and an agent's text cannot make markup, links or lines", () => {
  const body = JSON.parse(discordBody([alert('A', 'error', { message: `${HOSTILE}\n# **B** recovered` })]));
  assert.deepEqual(body.allowed_mentions, { parse: [] });
  assert.equal(
    body.content,
    '• A reported an error: \\<!channel\\> \\@everyone \\@here \\<\\@&123456\\> \\[Reset your password\\](https://evil.example/login) \\# \\*\\*B\\*\\* recovered <https://status.example.com/#/agents/A>',
  );
  const names = JSON.parse(discordBody([alert('*A*'), alert('[B](https://evil.example)')])).content;
  assert.match(names, /^\*\*2 agents went offline: \\\*A\\\*, \\\[B\\\]\(https:\/\/evil\.example\)\*\*\n/);
  assert.match(names, /\n• \\\[B\\\]\(https:\/\/evil\.example\) went offline/);
});

Deno.test('signatures are sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">', async () => {
  const body = '{"delivery_id":"d1"}';
  const expected = createHmac('sha256', 'k').update(`1764244800.${body}`).digest('hex');
  assert.equal(await signature('k', '1764244800', body), `sha256=${expected}`);
  // The same body at another time is another signature: a captured request cannot be replayed later.
  assert.notEqual(await signature('k', '1764244801', body), `sha256=${expected}`);
});

const crashLines = (n: number, text = (i: number) => `line ${i}`) =>
  Array.from({ length: n }, (_, i) => ({
    at: `2026-11-27T11:59:${String(i).padStart(2, '0')}.000Z`,
    level: i === n - 1 ? ('error' as const) : ('info' as const),
    text: text(i),
  }));

Deno.test("an error's webhook carries its last log lines, all of them", () => {
  const lines = crashLines(50);
  const body = JSON.parse(webhookBody(alert('Blog Generator', 'error', { message: 'boom', log_lines: lines })));
  assert.deepEqual(body.log_lines, lines);
});

Deno.test('Slack and Discord show the last few lines in a code block, after the event line', () => {
  const error = alert('Blog Generator', 'error', { message: 'boom', log_lines: crashLines(20) });
  const slack = JSON.parse(slackBody([error]));
  const section: string = slack.blocks[0].text.text;
  assert.match(section, /reported an error: boom\n```[\s\S]*```$/);
  const shown = section.split('```')[1].split('\n');
  assert.equal(shown.length, CHAT_LOG_LINES);
  assert.equal(shown.at(-1), '11:59:19 error line 19');
  const discord: string = JSON.parse(discordBody([error])).content;
  assert.match(
    discord,
    /reported an error: boom <https:[^>]+>\n```\n11:59:15 info {2}line 15\n[\s\S]*11:59:19 error line 19\n```$/,
  );
  // Alerts without lines look as before.
  assert.doesNotMatch(JSON.parse(slackBody([alert('A')])).blocks[0].text.text, /```/);
});

Deno.test("an agent's log lines cannot close the code block, ping anyone or make Slack markup", () => {
  const hostile = alert('Blog Generator', 'error', {
    message: 'boom',
    log_lines: crashLines(2, (i) =>
      i === 0 ? '```\n<!channel> @everyone <https://evil.example|click> *bold*' : 'end ``` ```` done',
    ),
  });
  const section: string = JSON.parse(slackBody([hostile])).blocks[0].text.text;
  const inside = section.slice(section.indexOf('```') + 3, section.lastIndexOf('```'));
  assert.doesNotMatch(inside, /```/);
  assert.doesNotMatch(inside, /[<>]/);
  assert.match(inside, /&lt;!channel&gt;/);
  const discord = JSON.parse(discordBody([hostile]));
  const block = discord.content.slice(discord.content.indexOf('```') + 3, discord.content.lastIndexOf('```'));
  assert.doesNotMatch(block, /```/);
  assert.equal(discord.content.split('```').length, 3); // one block: opened once, closed once
  assert.deepEqual(discord.allowed_mentions, { parse: [] });
  assert.ok(discord.content.length <= DISCORD_MAX_CHARS);
});

Deno.test('Discord: many errors with log lines still fit 2,000 characters, the rest counted', () => {
  const errors = Array.from({ length: 30 }, (_, i) =>
    alert(`Agent ${i}`, 'error', { message: 'x'.repeat(300), log_lines: crashLines(10, () => 'y'.repeat(300)) }),
  );
  const content: string = JSON.parse(discordBody(errors)).content;
  assert.ok(content.length <= DISCORD_MAX_CHARS);
  assert.match(content, /… and \d+ more$/);
  assert.equal(content.split('```').length % 2, 1); // every block that was opened is closed
});
