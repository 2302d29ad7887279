-- Channel input: clear errors with SQLSTATEs PostgREST answers with 400 (22023, 22P02).
begin;
select no_plan();

select tests.as_user('operator');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('x', 'webhook', 'example.com/hook')$$, '22023',
                 'url must be an http:// or https:// URL with a host, e.g. https://example.com/hook (got "example.com/hook")', 'no scheme');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('x', 'webhook', 'https://exa mple.com/')$$, '22023', null, 'a space');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('x', 'webhook', 'https://user:pw@example.com/')$$, '22023',
                 'url must not contain a user name or password', 'credentials in the URL');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('x', 'webhook', 'https://example.com:99999/')$$, '22023',
                 'url has an invalid port 99999', 'a bad port');
select throws_ok(format($$insert into public.alert_channels (name, kind, url) values ('x', 'webhook', %L)$$, u), '22023', null,
                 format('%s is refused', u))
  from unnest(array['http://127.0.0.1/', 'http://127.1.2.3:8080/', 'http://10.1.1.1/', 'http://172.20.0.1/', 'http://192.168.0.10/',
                    'http://169.254.169.254/', 'http://[::1]/', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://0.0.0.0/',
                    'http://localhost:3000/', 'http://api.localhost/', 'http://printer.local/', 'http://metadata.google.internal/',
                    'http://2130706433/', 'http://0x7f000001/', 'http://[::ffff:127.0.0.1]/', 'http://100.64.0.1/',
                    -- the round-three review: octal IPv4 (10.0.0.1 to the sender), IPv4-compatible, -translated,
                    -- site-local, 6to4 and the documentation ranges
                    'http://012.0.0.1:8080/hook', 'http://[::127.0.0.1]/', 'http://[::ffff:0:127.0.0.1]/', 'http://[fec0::1]/',
                    'http://[2002:7f00:1::]/', 'http://192.0.2.1/', 'http://198.51.100.1/', 'http://203.0.113.1/']) as u;
select lives_ok($$insert into public.alert_channels (name, kind, url) values ('public v4', 'webhook', 'https://93.184.216.34/hook')$$, 'a public address');
select lives_ok($$insert into public.alert_channels (name, kind, url) values ('public name', 'slack', 'https://hooks.slack.com/services/T0/B0/x')$$, 'a public name');
select throws_ok($$insert into public.alert_channels (name, kind, url, events) values ('x', 'webhook', 'https://example.com/', '{offline,crashed}')$$, '22023',
                 'events: unknown event "crashed"; use any of: offline, online, error, warning, recovered, stopped_unexpectedly, command', 'unknown event');
select throws_ok($$insert into public.alert_channels (name, kind, url, events) values ('x', 'webhook', 'https://example.com/', '{}')$$, '22023', null, 'no events');
select throws_ok($$insert into public.alert_channels (name, kind, url) values (repeat('n', 10240), 'webhook', 'https://example.com/')$$, '22023',
                 'name must be at most 100 characters (got 10240)', 'a 10 KB name');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('  ', 'webhook', 'https://example.com/')$$, '22023', 'name is required', 'a blank name');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('x', 'pager', 'https://example.com/')$$, '22P02',
                 'invalid input value for enum alert_channel_kind: "pager"', 'unknown kind');
select throws_ok($$insert into public.alert_channels (name, kind, url, repeat_every_minutes) values ('x', 'webhook', 'https://example.com/', 0)$$, '22023', null, 'repeat 0');
select throws_ok($$insert into public.alert_channels (name, kind, url, agent_names) values ('x', 'webhook', 'https://example.com/', '{}')$$, '22023', null, 'empty agent_names');
select throws_ok($$insert into public.alert_channels (name, kind, url, secret) values ('x', 'webhook', 'https://example.com/', repeat('s', 300))$$, '22023',
                 'secret must be at most 256 characters', 'a long secret');
select is((select events from public.alert_channels where name = 'public name'), array(select unnest(app.alert_default_events()) order by 1),
          'events default to app.alert_default_events() (stored sorted)');

-- the deployment may allow private addresses (service role only)
select tests.as_service();
update public.alert_settings set allow_private_urls = true;
select tests.as_user('operator');
select lives_ok($$insert into public.alert_channels (name, kind, url) values ('local', 'webhook', 'http://127.0.0.1:9999/hook')$$, 'allowed when the deployment says so');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('x', 'webhook', 'http://2130706433/')$$, '22023', null, 'odd numeric hosts stay refused');
select throws_ok($$insert into public.alert_channels (name, kind, url) values ('x', 'webhook', 'http://012.0.0.1:8080/hook')$$, '22023',
                 'url host "012.0.0.1" is not a canonical IPv4 address: write it as four decimal numbers without leading zeros',
                 'so do IPv4 addresses with leading zeros (octal to a URL parser)');

select * from finish();
rollback;
