import type { SupabaseClient } from '@supabase/supabase-js';
import { isLoopbackHost } from '@agent-status/stack';

export interface DemoUser {
  email: string;
  password: string;
  role: 'operator' | 'viewer';
}

/**
 * Fixed, well-known demo logins for a local stack only (printed on every start; they protect
 * nothing). Override with DEMO_OPERATOR_PASSWORD / DEMO_VIEWER_PASSWORD.
 */
export function demoUsers(env: NodeJS.ProcessEnv = process.env): DemoUser[] {
  return [
    {
      email: 'operator@agent-status.local',
      password: env.DEMO_OPERATOR_PASSWORD || DEFAULT_PASSWORDS.DEMO_OPERATOR_PASSWORD,
      role: 'operator',
    },
    {
      email: 'viewer@agent-status.local',
      password: env.DEMO_VIEWER_PASSWORD || DEFAULT_PASSWORDS.DEMO_VIEWER_PASSWORD,
      role: 'viewer',
    },
  ];
}

const DEFAULT_PASSWORDS = {
  DEMO_OPERATOR_PASSWORD: 'operator-demo-password',
  DEMO_VIEWER_PASSWORD: 'viewer-demo-password',
} as const;

/**
 * Why npm start must not serve on `host` with these demo passwords, or undefined: the default ones are
 * public (in this file and printed on every start), so on an address other machines reach, both must be
 * set. (The stack refuses its own public default keys there itself.)
 */
export function demoPasswordProblem(host: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (isLoopbackHost(host)) return undefined;
  const unset = Object.entries(DEFAULT_PASSWORDS)
    .filter(([name, value]) => !env[name] || env[name] === value)
    .map(([name]) => name);
  if (unset.length === 0) return undefined;
  return (
    `STACK_HOST=${host} is not a loopback address, but the demo logins would use their public default passwords: ` +
    `set ${unset.join(' and ')} to passwords of your own, or listen on 127.0.0.1.`
  );
}

/** Creates each demo user, or resets the password and role of one that exists (admin API, service role). */
export async function ensureDemoUsers(service: SupabaseClient, users: DemoUser[]): Promise<void> {
  const { data, error } = await service.auth.admin.listUsers({ perPage: 1000 });
  if (error) throw new Error(`listing users failed: ${error.message}`);
  for (const user of users) {
    const existing = data.users.find((u) => u.email === user.email);
    const attributes = { password: user.password, email_confirm: true, app_metadata: { role: user.role } };
    const result = existing
      ? await service.auth.admin.updateUserById(existing.id, attributes)
      : await service.auth.admin.createUser({ email: user.email, ...attributes });
    if (result.error) throw new Error(`demo user ${user.email}: ${result.error.message}`);
  }
}
