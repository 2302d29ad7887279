// status [--json] [--watch]: one line per agent. --watch redraws from Realtime as changes happen (no
// polling loop while Realtime is up; polling only while it is not), until Ctrl-C.
import type { CommandSpec, Context } from '../command.ts';
import { applyDesiredState, applyEvent, readFleet, type Agent, type Fleet } from '../fleet.ts';
import { subscribeLive, type LiveMode } from '../live.ts';
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
    const client = ctx.client();
    const fleet = await readFleet(client);
    if (!values.watch) return print(ctx, fleet, false);
    await watch(ctx, fleet);
  },
};

function print(ctx: Context, fleet: Fleet, live: boolean, mode?: LiveMode): void {
  const serverNow = Date.now() + fleet.clockOffsetMs;
  const agents = [...fleet.agents.values()];
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

async function watch(ctx: Context, initial: Fleet) {
  const client = ctx.client();
  await client.auth.startAutoRefresh();
  let fleet = initial;
  let mode: LiveMode = 'connecting';
  let scheduled = false;
  let shown = '';
  const redraw = () => {
    if (scheduled) return;
    scheduled = true;
    // Changes that arrive together (start-all) are drawn once; a pipe gets a block only when it differs.
    setTimeout(() => {
      scheduled = false;
      const seen = JSON.stringify([...fleet.agents.values()]);
      if (seen === shown && (!ctx.out.isTTY || ctx.json)) return;
      shown = seen;
      print(ctx, fleet, true, mode);
    }, 20);
  };
  const replace = (id: string, agent: Agent) => {
    fleet = { ...fleet, agents: new Map(fleet.agents).set(id, agent) };
    redraw();
  };
  const resync = async () => {
    fleet = await readFleet(client);
    redraw();
  };

  print(ctx, fleet, true, mode);
  shown = JSON.stringify([...fleet.agents.values()]);
  const unsubscribe = subscribeLive(
    client,
    {
      onEvent(event) {
        const next = applyEvent(fleet.agents.get(event.agent_id), event);
        if (next === null)
          void resync().catch(() => undefined); // an agent this view does not know yet
        else if (next && next !== fleet.agents.get(event.agent_id)) replace(event.agent_id, next);
      },
      onDesiredState(row) {
        const agent = fleet.agents.get(row.agent_id);
        if (agent) replace(row.agent_id, applyDesiredState(agent, row));
      },
      onMode(next) {
        mode = next;
        // On a terminal the footer says it; in a pipe a note on stderr does (stdout stays the tables).
        if (ctx.out.isTTY && !ctx.json) redraw();
        else
          ctx.out.note(
            next === 'live'
              ? `Watching ${fleet.agents.size} agents live (Ctrl-C to quit).`
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
