// What a deployment sets up for alerts, done for the local stack (docs/alerts.md shows the same
// steps for hosted Supabase in the SQL editor): Vault holds the project URL and the secret key that
// the dispatch schedule sends to the `alerts` function; alert_settings holds the dashboard's URL for
// deep links and whether alert URLs may point at private addresses (local receivers).
import { VAULT_PROJECT_URL, VAULT_SECRET_KEY } from '@agent-status/domain';
import type { Queryable } from '@agent-status/stack';

export interface AlertsSetup {
  /** The API's base URL as the database's scheduled jobs reach it. */
  projectUrl: string;
  /** The key the dispatcher accepts (the secret key; today's legacy service-role key works too). */
  secretKey: string;
  dashboardUrl: string | null;
  allowPrivateUrls: boolean;
}

export async function setUpAlerts(db: Queryable, setup: AlertsSetup): Promise<void> {
  await storeVaultSecret(db, VAULT_PROJECT_URL, setup.projectUrl);
  await storeVaultSecret(db, VAULT_SECRET_KEY, setup.secretKey);
  await db.query(`update public.alert_settings set dashboard_url = $1, allow_private_urls = $2`, [
    setup.dashboardUrl,
    setup.allowPrivateUrls,
  ]);
}

/** vault.create_secret, or vault.update_secret when the name exists (the same calls on hosted Vault). */
async function storeVaultSecret(db: Queryable, name: string, value: string): Promise<void> {
  const { rows } = await db.query<{ id: string }>(`select id::text from vault.decrypted_secrets where name = $1`, [
    name,
  ]);
  if (rows.length > 0) await db.query(`select vault.update_secret($1::uuid, $2)`, [rows[0].id, value]);
  else await db.query(`select vault.create_secret($1, $2)`, [value, name]);
}
