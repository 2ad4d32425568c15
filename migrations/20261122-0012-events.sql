-- Public meetings of a territory and the network's events (field visits, peer seminars, video conferences),
-- with registration, a waiting list, cancellation, reminders and minutes.

create table events (
  id uuid primary key default gen_random_uuid(),
  -- null for an event of the network itself
  territory_id uuid references territories (id),
  kind text not null check (kind in ('public_meeting', 'debate', 'workshop', 'field_visit', 'peer_seminar', 'video_conference', 'discovery_session')),
  title text not null check (length(title) between 3 and 200),
  description text not null default '' check (length(description) <= 20000),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  place text not null default '' check (length(place) <= 500),
  online_url text check (online_url ~ '^https?://'),
  audience text not null default '' check (length(audience) <= 500),
  capacity integer check (capacity > 0),
  status text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
  cancellation_reason text check (length(cancellation_reason) <= 2000),
  minutes text check (length(minutes) <= 50000),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index events_territory on events (territory_id, starts_at);
create index events_upcoming on events (starts_at) where status = 'scheduled';

create table event_registrations (
  event_id uuid not null references events (id),
  user_id uuid not null references users (id),
  status text not null check (status in ('registered', 'waiting', 'cancelled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  reminded_at timestamptz,
  primary key (event_id, user_id)
);
create index event_registrations_waiting on event_registrations (event_id, created_at) where status = 'waiting';
