// SQL the deploy runs in the project's database through `supabase db query`: values are written as
// literals (the CLI takes a file, not parameters), quoted here and nowhere else.
import { VAULT_PROJECT_URL, VAULT_SECRET_KEY } from '@agent-status/domain';

/** A string as an SQL literal (standard_conforming_strings is on in every Supabase database). */
export function literal(value: string): string {
  if (value.includes('\0')) throw new Error('a value for SQL must not contain a NUL character');
  return `'${value.replaceAll("'", "''")}'`;
}

/** Creates or updates one Vault secret by name (vault.create_secret / vault.update_secret, as on hosted Vault). */
function storeVaultSecret(name: string, value: string): string {
  return `  select id into existing from vault.decrypted_secrets where name = ${literal(name)};
  if existing is null then
    perform vault.create_secret(${literal(value)}, ${literal(name)});
  else
    perform vault.update_secret(existing, ${literal(value)});
  end if;`;
}

/**
 * What the alerts schedule reads (the project URL and the secret key, from Vault) and where alerts link
 * to (the dashboard's URL). One statement (`supabase db query` runs one), atomic, idempotent.
 */
export function alertsSetupSql(setup: { projectUrl: string; secretKey: string; dashboardUrl: string }): string {
  return [
    'do $setup$',
    'declare existing uuid;',
    'begin',
    storeVaultSecret(VAULT_PROJECT_URL, setup.projectUrl),
    storeVaultSecret(VAULT_SECRET_KEY, setup.secretKey),
    `  update public.alert_settings set dashboard_url = ${literal(setup.dashboardUrl)};`,
    'end',
    '$setup$',
    '',
  ].join('\n');
}
