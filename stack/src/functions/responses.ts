// Errors the stack answers itself, before or instead of a function, in the shape hosted
// Supabase's functions gateway uses: { "code": …, "message": … }.
import type { ServerResponse } from 'node:http';

export function sendGatewayError(res: ServerResponse, status: number, code: string | number, message: string) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code, message });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
