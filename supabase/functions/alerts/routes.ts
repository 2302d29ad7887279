// The routes of the `alerts` function. Hosted Supabase and the local stack deliver URLs whose path
// starts with /alerts; some proxies keep the /functions/v1 prefix. Both are accepted.
export type AlertsRoute = 'dispatch' | 'test';

const ROUTE = /^(?:\/functions\/v1)?\/alerts\/(dispatch|test)\/*$/;

export function findAlertsRoute(pathname: string): AlertsRoute | undefined {
  return ROUTE.exec(pathname)?.[1] as AlertsRoute | undefined;
}
