-- Action plans, commitments (OGP commitment template), milestones, and the append-only, hash-chained
-- history of progress updates and revisions. Every table carries territory_id (distribution column).

create table action_plans (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  title text not null check (length(title) between 1 and 300),
  period_start date not null,
  period_end date not null,
  cocreation_summary text not null default '' check (length(cocreation_summary) <= 10000),
  status text not null default 'draft' check (status in ('draft', 'submitted', 'validated', 'published', 'closed')),
  -- optimistic locking: every save says which version it started from
  version integer not null default 1,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  validated_at timestamptz,
  validated_by uuid references users (id),
  published_at timestamptz,
  closed_at timestamptz,
  check (period_end >= period_start)
);
create index action_plans_territory on action_plans (territory_id, period_start desc);

create table commitments (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  plan_id uuid not null references action_plans (id),
  position integer not null,
  title text not null check (length(title) between 1 and 300),
  problem text not null default '',
  description text not null default '',
  contribution text not null default '',
  -- relevance to OGP values: access_to_information, civic_participation, public_accountability, technology_innovation
  ogp_values text[] not null default '{}',
  expected_impacts text not null default '',
  lead_actor text not null default '',
  supporting_actors text not null default '',
  themes text[] not null default '{}',
  start_date date,
  end_date date,
  budget_eur numeric(14, 2) check (budget_eur >= 0),
  deliberation_url text check (deliberation_url ~ '^https?://'),
  status text not null default 'non_commence'
    check (status in ('non_commence', 'en_cours', 'en_retard', 'en_pause', 'bloque', 'abandonne', 'termine')),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (end_date is null or start_date is null or end_date >= start_date)
);
create index commitments_plan on commitments (plan_id, position);
create index commitments_territory on commitments (territory_id);

create table milestones (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  commitment_id uuid not null references commitments (id),
  position integer not null,
  title text not null check (length(title) between 1 and 300),
  deliverable text not null default '',
  start_date date,
  due_date date not null,
  responsible text not null default '',
  weight numeric(8, 2) check (weight > 0),
  status text not null default 'non_commence'
    check (status in ('non_commence', 'en_cours', 'en_retard', 'en_pause', 'bloque', 'abandonne', 'termine')),
  progress integer not null default 0 check (progress between 0 and 100),
  completed_on date,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index milestones_commitment on milestones (commitment_id, position);
create index milestones_territory_due on milestones (territory_id, due_date);

-- The public history of a territory: progress updates, corrections and revisions, in one chain.
-- Each entry's hash covers its content and the previous entry's hash (tamper-evidence).
create table history_entries (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  seq integer not null,
  kind text not null check (kind in ('update', 'correction', 'revision')),
  plan_id uuid not null references action_plans (id),
  commitment_id uuid not null references commitments (id),
  milestone_id uuid references milestones (id),
  corrects_id uuid references history_entries (id),
  author_id uuid references users (id),
  recorded_at timestamptz not null,
  -- the entry's public content: status, progress, narrative, evidence links, next steps, or a revision's before/after
  content jsonb not null,
  prev_hash text not null,
  hash text not null,
  unique (territory_id, seq)
);
create index history_entries_commitment on history_entries (commitment_id, seq);

-- The head of each territory's chain, locked by whoever appends, so that entries get consecutive numbers.
create table history_heads (
  territory_id uuid primary key references territories (id),
  last_seq integer not null,
  last_hash text not null
);

-- Append-only: what is published is never rewritten nor removed, whoever asks.
create function history_entries_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'history entries are append-only (% refused)', tg_op using errcode = 'P0001';
end
$$;
create trigger history_entries_no_update before update or delete on history_entries
  for each row execute function history_entries_append_only();
