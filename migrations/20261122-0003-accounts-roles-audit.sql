create table users (
  id uuid primary key default gen_random_uuid(),
  -- stored trimmed and lower-cased; null once the account is deleted (anonymised)
  email text,
  display_name text check (length(display_name) between 1 and 100),
  password_hash text,
  email_confirmed_at timestamptz,
  is_platform_admin boolean not null default false,
  locale text not null default 'fr' check (locale in ('fr', 'en')),
  failed_signin_count integer not null default 0,
  signin_locked_until timestamptz,
  -- bumped on password change and deletion: sessions carrying an older value are ended
  session_version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_signin_at timestamptz,
  deleted_at timestamptz,
  check (deleted_at is not null or (email is not null and display_name is not null))
);
create unique index users_email_unique on users (email) where email is not null;

-- Per-territory roles; a person may hold several roles in several territories.
create table territory_roles (
  territory_id uuid not null references territories (id),
  user_id uuid not null references users (id),
  role text not null check (role in ('editor', 'elected', 'reviewer', 'moderator')),
  granted_by uuid references users (id),
  granted_at timestamptz not null default now(),
  primary key (territory_id, user_id, role)
);
create index territory_roles_user on territory_roles (user_id);

-- Who did what, when, with the state before and after. Written in the transaction of the change.
create table audit_events (
  id bigint generated always as identity primary key,
  territory_id uuid,
  actor_id uuid,
  action text not null,
  subject_type text not null,
  subject_id text,
  before jsonb,
  after jsonb,
  at timestamptz not null default now()
);
create index audit_events_territory on audit_events (territory_id, at desc);
create index audit_events_subject on audit_events (subject_type, subject_id);
