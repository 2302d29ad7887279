// Commands and reads as the service role through the real REST path (what an operator's command
// turns into, minus the Edge Function hop).
export async function command(
  url: string,
  serviceKey: string,
  cmd: 'start' | 'stop' | 'restart',
  agentName: string,
): Promise<number> {
  const response = await fetch(`${url}/rest/v1/rpc/command_agents`, {
    method: 'POST',
    headers: { apikey: serviceKey, authorization: `Bearer ${serviceKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ p_command: cmd, p_agent_name: agentName }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`command ${cmd} ${agentName} failed: ${response.status} ${JSON.stringify(body)}`);
  return Number(body[0].generation);
}
