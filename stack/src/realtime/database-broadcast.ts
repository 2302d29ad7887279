// Broadcast from the database: realtime.send() (see stack/sql/supabase-bootstrap.sql) NOTIFYs
// 'realtime_broadcast'; this relays each message to the subscribers of its topic, as hosted Realtime
// does: a private message to the private channels of the topic (whose read policy was checked at join),
// a public one to the public channels.
import type { StackContext } from '../types.ts';
import type { Hub } from './connection.ts';

export const DATABASE_BROADCAST_CHANNEL = 'realtime_broadcast';

interface DatabaseBroadcast {
  topic: string;
  event: string;
  payload: unknown;
  private: boolean;
}

export async function relayDatabaseBroadcasts(ctx: StackContext, hub: Hub): Promise<() => Promise<void>> {
  return ctx.db.listen(DATABASE_BROADCAST_CHANNEL, (raw) => {
    let message: DatabaseBroadcast;
    try {
      message = JSON.parse(raw) as DatabaseBroadcast;
    } catch {
      ctx.log('realtime', `ignored a malformed database broadcast: ${raw.slice(0, 100)}`);
      return;
    }
    if (typeof message.topic !== 'string' || typeof message.event !== 'string') return;
    for (const { connection, channel } of hub.channelsOn(`realtime:${message.topic}`, message.private === true)) {
      connection.sendBroadcast(channel, message.event, message.payload);
    }
  });
}
