// Broadcast from the database: realtime.send() (see stack/sql/supabase-bootstrap.sql) NOTIFYs
// 'realtime_broadcast'; this relays each message to the subscribers of its topic, as hosted Realtime
// does: a private message to the private channels of the topic (whose read policy was checked at join),
// a public one to the public channels. A message too large for a notification (8,000 bytes) waits in
// realtime.messages, and the notification names its row: read once, then deleted.
import type { StackContext } from '../types.ts';
import type { Hub } from './connection.ts';

export const DATABASE_BROADCAST_CHANNEL = 'realtime_broadcast';

interface DatabaseBroadcast {
  topic: string;
  event: string;
  payload: unknown;
  private: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function relayDatabaseBroadcasts(ctx: StackContext, hub: Hub): Promise<() => Promise<void>> {
  const deliver = (message: DatabaseBroadcast) => {
    if (typeof message.topic !== 'string' || typeof message.event !== 'string') return;
    for (const { connection, channel } of hub.channelsOn(`realtime:${message.topic}`, message.private === true)) {
      connection.sendBroadcast(channel, message.event, message.payload);
    }
  };
  // Notifications arrive in commit order; a stored message is read before the next is delivered.
  let queue: Promise<void> = Promise.resolve();
  return ctx.db.listen(DATABASE_BROADCAST_CHANNEL, (raw) => {
    let message: DatabaseBroadcast | { stored: string };
    try {
      message = JSON.parse(raw) as DatabaseBroadcast | { stored: string };
    } catch {
      ctx.log('realtime', `ignored a malformed database broadcast: ${raw.slice(0, 100)}`);
      return;
    }
    queue = queue
      .then(async () => {
        if (!('stored' in message)) return deliver(message);
        if (typeof message.stored !== 'string' || !UUID.test(message.stored)) return;
        const { rows } = await ctx.db
          .query<DatabaseBroadcast>(
            'delete from realtime.messages where id = $1 returning topic, event, payload, private',
            [message.stored],
          )
          .catch((error: unknown) => {
            ctx.log('realtime', `could not read a stored database broadcast: ${String(error)}`);
            return { rows: [] as DatabaseBroadcast[] };
          });
        if (rows[0]) deliver(rows[0]);
      })
      .catch((error: unknown) => ctx.log('realtime', `a database broadcast was not relayed: ${String(error)}`));
  });
}
