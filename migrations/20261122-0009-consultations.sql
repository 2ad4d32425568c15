-- Consultations of a territory: a question put to citizens, their contributions (ideas, opinions, critiques),
-- supports and threaded comments, then the territory's synthesis and its answer on each contribution.

create table consultations (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  title text not null check (length(title) between 3 and 200),
  question text not null check (length(question) between 3 and 1000),
  context text not null default '' check (length(context) <= 20000),
  opens_on date not null,
  closes_on date not null,
  commitment_id uuid references commitments (id),
  -- draft: staff only; published: the phase follows the dates (upcoming, open, closed); answered: synthesis out
  status text not null default 'draft' check (status in ('draft', 'published', 'answered')),
  synthesis text check (length(synthesis) <= 50000),
  answered_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (closes_on >= opens_on)
);
create index consultations_territory on consultations (territory_id, opens_on desc);

create table contributions (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references consultations (id),
  territory_id uuid not null references territories (id),
  author_id uuid references users (id),
  kind text not null check (kind in ('idea', 'opinion', 'critique')),
  title text not null check (length(title) between 3 and 200),
  body text not null check (length(body) between 1 and 10000),
  -- the territory's answer: retained or not, why, and where it led
  decision text check (decision in ('retained', 'not_retained')),
  answer text check (length(answer) <= 10000),
  answered_by uuid references users (id),
  answered_at timestamptz,
  commitment_id uuid references commitments (id),
  milestone_id uuid references milestones (id),
  support_count integer not null default 0 check (support_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index contributions_consultation on contributions (consultation_id, support_count desc, created_at);
create index contributions_commitment on contributions (commitment_id) where commitment_id is not null;

-- One support per person and contribution: the primary key makes a second one impossible, even when two
-- requests race.
create table contribution_supports (
  contribution_id uuid not null references contributions (id),
  user_id uuid not null references users (id),
  territory_id uuid not null references territories (id),
  created_at timestamptz not null default now(),
  primary key (contribution_id, user_id)
);
create index contribution_supports_user on contribution_supports (user_id);

create table contribution_comments (
  id uuid primary key default gen_random_uuid(),
  contribution_id uuid not null references contributions (id),
  territory_id uuid not null references territories (id),
  parent_id uuid references contribution_comments (id),
  author_id uuid references users (id),
  body text not null check (length(body) between 1 and 5000),
  created_at timestamptz not null default now()
);
create index contribution_comments_contribution on contribution_comments (contribution_id, created_at);
