import assert from 'node:assert/strict';
import { badgeFor } from './badge.ts';
import { renderBadgeSvg, xmlText } from './badge_svg.ts';

Deno.test('one agent: its name and state, coloured by state', () => {
  assert.deepEqual(badgeFor({ agent_name: 'Blog Generator', state: 'running', up: 1, total: 1 }), {
    schemaVersion: 1,
    label: 'Blog Generator',
    message: 'running',
    color: 'brightgreen',
  });
  assert.equal(badgeFor({ agent_name: 'x', state: 'offline', up: 0, total: 1 }).color, 'red');
  assert.equal(badgeFor({ agent_name: 'x', state: 'stopped', up: 0, total: 1 }).color, 'lightgrey');
  assert.equal(badgeFor({ agent_name: 'x', state: 'warning', up: 1, total: 1 }).color, 'yellow');
  assert.equal(badgeFor({ agent_name: 'x', state: 'error', up: 1, total: 1 }).color, 'orange');
});

Deno.test('all agents: up, down, mixed, none', () => {
  const all = (up: number, total: number) => badgeFor({ agent_name: null, state: null, up, total });
  assert.deepEqual(all(6, 6), { schemaVersion: 1, label: 'agents', message: '6 up', color: 'brightgreen' });
  assert.deepEqual(all(0, 6), { schemaVersion: 1, label: 'agents', message: '6 down', color: 'red' });
  assert.deepEqual(all(5, 6), { schemaVersion: 1, label: 'agents', message: '5 up, 1 down', color: 'orange' });
  assert.deepEqual(all(0, 0), { schemaVersion: 1, label: 'agents', message: 'no agents', color: 'lightgrey' });
});

Deno.test('text is escaped for XML; characters XML cannot hold are replaced', () => {
  assert.equal(xmlText(`<a href="x">&'`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  assert.equal(xmlText('a\nb\u0000c\u001bd'), 'a b c d');
  assert.equal(xmlText('\uffff'), '\ufffd');
});

Deno.test('the SVG holds the escaped name and no raw markup from it, and stays small', () => {
  const svg = renderBadgeSvg({
    schemaVersion: 1,
    label: '<script>alert(1)</script> & "co"',
    message: 'running',
    color: 'brightgreen',
  });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.endsWith('</svg>'));
  assert.ok(!svg.includes('<script>'));
  assert.match(svg, /&lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;co&quot;/);
  assert.match(svg, /fill="#4c1"/);
  assert.ok(svg.length < 2000, `${svg.length} bytes`);
});

Deno.test('a longer text makes a wider badge', () => {
  const width = (label: string) =>
    Number(/width="(\d+)"/.exec(renderBadgeSvg({ schemaVersion: 1, label, message: 'up', color: 'red' }))![1]);
  assert.ok(width('Content Collector') > width('CC'));
});
