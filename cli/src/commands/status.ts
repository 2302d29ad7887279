// status [--json] [--watch]: one line per agent. --watch redraws from Realtime as changes happen (no
// polling loop while Realtime is up; polling only while it is not), until Ctrl-C. The fleet is
// @agent-status/client's model, as the dashboard holds it: read whole with fleet_overview(), changes
// merged in without ever moving an agent backwards.
import { type AgentsState, applyDesiredState, applyEvent, orderedAgents } from '@agent-status/client';
import type { CommandSpec, Context } from '../command.ts';
import { subscribeLive, type LiveMode } from '../live.ts';
import { readFleet } from '../read-fleet.ts';
import { agentJson, statusTable } from '../status-view.ts';

export const status: CommandSpec = {
  name: 'status',
  summary: 'one line per agent: state, health, heartbeat, uptime, desired state, pending command',
  usage: 'status [--watch] [--json]',
  details: [
    '--watch  redraw live as agents change (Realtime; polls only while Realtime is unavailable); Ctrl-C ends it.',
    '         With --json, one JSON document per line each time something changes.',
  ],
  options: { watch: { type: 'boolean', short: 'w' } },
  async run(ctx, { values }) {
    await ctx.session();
    const fleet = await readFleet(ctx.client());
    if (!values.watch) return print(ctx, fleet, false);
    await watch(ctx, fleet);
  },
};

function print(ctx: Context, fleet: AgentsState, live: boolean, mode?: LiveMode): void {
  const serverNow = Date.now() + fleet.clockOffsetMs;
  const agents = orderedAgents(fleet);
  if (ctx.json) {
    ctx.out.json({
      server_time: new Date(serverNow).toISOString(),
      agents: agents.map((a) => agentJson(a, serverNow)),
    });
    return;
  }
  const lines = statusTable(ctx.out, agents, serverNow, live);
  if (!live) {
    ctx.out.line(lines.join('\n'));
    return;
  }
  const footer = ctx.out.style(
    mode === 'live'
      ? 'live · Ctrl-C to quit'
      : mode === 'polling'
        ? 'Realtime unavailable: polling · Ctrl-C to quit'
        : 'connecting…',
    'dim',
  );
  // On a terminal the screen is redrawn in place; in a pipe each change is a new block.
  if (ctx.out.isTTY) ctx.out.redraw(`${lines.join('\n')}\n\n${footer}`);
  else ctx.out.line(`${lines.join('\n')}\n`);
}

async function watch(ctx: Context, initial: AgentsState) {
  const client = ctx.client();
  await client.auth.startAutoRefresh();
  let fleet = initial;
  let mode: LiveMode = 'connecting';
  let scheduled = false;
  let shown = '';
  const seen = () => JSON.stringify(orderedAgents(fleet));
  const redraw = () => {
    if (scheduled) return;
    scheduled = true;
    // Changes that arrive together (start-all) are drawn once; a pipe gets a block only when it differs.
    setTimeout(() => {
      scheduled = false;
      const now = seen();
      if (now === shown && (!ctx.out.isTTY || ctx.json)) return;
      shown = now;
      print(ctx, fleet, true, mode);
    }, 20);
  };
  const update = (next: AgentsState) => {
    if (next === fleet) return;
    fleet = next;
    redraw();
  };
  const resync = async () => update(await readFleet(client, fleet));

  print(ctx, fleet, true, mode);
  shown = seen();
  const unsubscribe = subscribeLive(
    client,
    {
      onEvent(event) {
        // An agent added or changed elsewhere (rows of agent_status are not pushed): read the fleet again.
        if (!fleet.byId[event.agent_id] || event.kind === 'created' || event.kind === 'updated')
          void resync().catch(() => undefined);
        update(applyEvent(fleet, event));
      },
      onDesiredState: (row) => update(applyDesiredState(fleet, row)),
      onMode(next) {
        mode = next;
        // On a terminal the footer says it; in a pipe a note on stderr does (stdout stays the tables).
        if (ctx.out.isTTY && !ctx.json) redraw();
        else
          ctx.out.note(
            next === 'live'
              ? `Watching ${fleet.order.length} agents live (Ctrl-C to quit).`
              : 'Realtime unavailable: polling.',
          );
      },
      resync,
    },
    { withDesiredState: true },
  );
  // Ages tick on a terminal; a pipe gets a new block only when something changed.
  const ticker = ctx.out.isTTY && !ctx.json ? setInterval(() => print(ctx, fleet, true, mode), 1000) : undefined;
  await ctx.interrupted;
  clearInterval(ticker);
  await unsubscribe();
  await client.auth.stopAutoRefresh();
}
