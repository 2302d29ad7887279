// Broadcast from the database: realtime.send() (see stack/sql/supabase-bootstrap.sql) NOTIFYs
// 'realtime_broadcast'; this relays each message to the subscribers of its public topic, as
// hosted Realtime does. Private messages need Realtime Authorization, which the stack lacks,
// so they are dropped rather than shown to everyone.
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
    if (message.private || typeof message.topic !== 'string' || typeof message.event !== 'string') return;
    for (const { connection, channel } of hub.channelsOn(`realtime:${message.topic}`)) {
      connection.sendBroadcast(channel, message.event, message.payload);
    }
  });
}
