-- Sessions held on the server, so that signing out, "sign out of every device" and a password change end them
-- (the cookie only names one). The cookie carries a random secret; only its SHA-256 is stored here.
create table user_sessions (
  -- public id, named on the account page's list of devices
  id uuid primary key default gen_random_uuid(),
  token_hash text not null unique check (token_hash ~ '^[0-9a-f]{64}$'),
  user_id uuid not null references users (id),
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  -- what the account page shows to tell devices apart (browser and system), nothing more
  device text not null default '' check (length(device) <= 100)
);
create index user_sessions_user on user_sessions (user_id, last_seen_at desc);

-- Failed sign-ins, counted by address and client, by address alone, and by trusted device: growing delays instead
-- of a lock a stranger could set off. Keys are SHA-256 digests: no address or IP address is kept in clear.
create table signin_throttle (
  key text primary key check (key ~ '^[a-z]+:[0-9a-f]{64}$'),
  failures integer not null check (failures > 0),
  last_failure_at timestamptz not null,
  blocked_until timestamptz
);

-- replaced by signin_throttle: the account lock answered differently for known and unknown addresses
alter table users drop column failed_signin_count, drop column signin_locked_until;
