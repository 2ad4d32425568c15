-- Background jobs: a small queue in the database. A worker claims a due job (FOR UPDATE SKIP LOCKED, so that
-- several workers never take the same one), runs it, and marks it done, or failed with a retry later.
create table jobs (
  id bigint generated always as identity primary key,
  kind text not null,
  payload jsonb not null default '{}',
  -- a job that must exist once (the daily digest of one day) carries a key
  unique_key text unique,
  run_at timestamptz not null default now(),
  attempts integer not null default 0,
  locked_until timestamptz,
  last_error text,
  done_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz not null default now()
);
create index jobs_due on jobs (run_at) where done_at is null and failed_at is null;

-- What happened that people may follow: each activity names the subjects it concerns ('territory:<id>',
-- 'commitment:<id>', 'consultation:<id>', 'group:<id>', 'text:<id>'), so that following any of them brings it.
create table activities (
  id bigint generated always as identity primary key,
  territory_id uuid not null references territories (id),
  subjects text[] not null,
  kind text not null,
  title text not null check (length(title) between 1 and 500),
  path text not null check (path like '/%'),
  actor_id uuid references users (id),
  -- the content it announces ('contribution:<id>'), so that content hidden by moderation is not sent
  source text,
  created_at timestamptz not null default now()
);
create index activities_territory on activities (territory_id, created_at desc);
create index activities_created on activities (created_at);

create table follows (
  user_id uuid not null references users (id),
  subject_type text not null check (subject_type in ('territory', 'commitment', 'consultation', 'group', 'text')),
  subject_id uuid not null,
  territory_id uuid not null references territories (id),
  frequency text not null check (frequency in ('immediate', 'daily', 'weekly')),
  created_at timestamptz not null default now(),
  primary key (user_id, subject_type, subject_id)
);
create index follows_subject on follows (subject_type, subject_id);

-- Each activity reaches a person once, by an immediate mail or in a digest, whatever they follow.
create table notification_deliveries (
  user_id uuid not null references users (id),
  activity_id bigint not null references activities (id),
  channel text not null check (channel in ('immediate', 'daily', 'weekly')),
  sent_at timestamptz not null default now(),
  primary key (user_id, activity_id)
);
