// PM2 process file for one agent worker (docs/running-agents.md): `pm2 start ecosystem.config.cjs`.
// The worker reads SUPABASE_URL, SUPABASE_PUBLISHABLE_KEY and AGENT_TOKEN from the environment or from
// .env in its working directory (mode 0600); nothing secret is written here.
module.exports = {
  apps: [
    {
      name: 'my-agent',
      script: 'agent.mjs',
      cwd: __dirname,
      interpreter: 'node',
      // One process: each worker is one agent, and two workers with one token would fight over it.
      instances: 1,
      exec_mode: 'fork',
      autorestart: true,
      // Crashes are restarted after 100 ms, 150 ms, 225 ms … up to 15 s; 15 quick exits in a row stop it.
      exp_backoff_restart_delay: 100,
      max_restarts: 15,
      min_uptime: '10s',
      // PM2 sends SIGINT, then SIGKILL after kill_timeout (default 1.6 s): give runAgent its 5 s to report "stopped".
      kill_timeout: 10000,
      env: {
        NODE_ENV: 'production',
      },
    },
  ],
};
