import type { SupabaseClient } from '@supabase/supabase-js';

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
    { email: 'operator@agent-status.local', password: env.DEMO_OPERATOR_PASSWORD || 'operator-demo-password', role: 'operator' },
    { email: 'viewer@agent-status.local', password: env.DEMO_VIEWER_PASSWORD || 'viewer-demo-password', role: 'viewer' },
  ];
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
