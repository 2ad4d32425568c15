-- Citizens' assemblies: recruitment of volunteers, the transparent draw of a panel, deliberation (sessions, hearings,
-- working groups, proposals, amendments, secret votes), the final report and the decision-maker's answers.
-- territory_id is null for an assembly convened by the State; every table carries the assembly's territory_id.

create table assemblies (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid references territories (id),
  title text not null check (length(title) between 3 and 200),
  purpose text not null check (length(purpose) between 1 and 20000),
  panel_size integer not null check (panel_size between 2 and 1000),
  -- at most one volunteer per address on the panel
  one_per_household boolean not null default false,
  -- draft: organisers prepare; recruiting: the volunteer form is open; closed: pool frozen; drawn: panel known
  phase text not null default 'draft' check (phase in ('draft', 'recruiting', 'closed', 'drawn')),
  -- majority needed to adopt a proposal or an amendment: simple (for > against), two_thirds (for ≥ 2/3 of cast),
  -- absolute (for > half of the panel's active members)
  majority text not null default 'simple' check (majority in ('simple', 'two_thirds', 'absolute')),
  report text check (length(report) <= 200000),
  report_published_at timestamptz,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index assemblies_territory on assemblies (territory_id, created_at desc);

create table assembly_quotas (
  assembly_id uuid not null references assemblies (id),
  territory_id uuid references territories (id),
  position integer not null,
  category text not null check (length(category) between 1 and 100),
  feature text not null check (length(feature) between 1 and 100),
  -- share of the population with this feature, in percent, when known (quotas are computed from it)
  population_share numeric(6, 3) check (population_share between 0 and 100),
  min integer not null check (min >= 0),
  max integer not null check (max >= min),
  primary key (assembly_id, category, feature)
);

create table assembly_volunteers (
  id uuid primary key default gen_random_uuid(),
  assembly_id uuid not null references assemblies (id),
  territory_id uuid references territories (id),
  -- public, stable number of the volunteer in this pool (the lottery lists numbers, never names)
  number integer not null,
  -- feature in each quota category
  features jsonb not null,
  -- private: seen by the organisers only, never in public pages or open data
  full_name text not null check (length(full_name) between 1 and 200),
  email text check (length(email) <= 320),
  phone text check (length(phone) <= 40),
  address text check (length(address) <= 500),
  household_key text,
  source text not null check (source in ('form', 'import')),
  consent_at timestamptz not null,
  withdrawn_at timestamptz,
  created_at timestamptz not null default now(),
  unique (assembly_id, number)
);
create index assembly_volunteers_household on assembly_volunteers (assembly_id, household_key);

-- The prepared draw: LEXIMIN probabilities, LEGACY estimate, the lottery of m panels and the randomness
-- commitment; then the reveal and the drawn index. One per assembly.
create table assembly_draws (
  assembly_id uuid primary key references assemblies (id),
  territory_id uuid references territories (id),
  pool_size integer not null,
  -- probabilities per volunteer number, statistics and the lottery itself (panels of volunteer numbers)
  leximin jsonb not null,
  legacy jsonb not null,
  lottery jsonb not null,
  lottery_digest text not null,
  panel_count integer not null check (panel_count between 1 and 100000),
  max_deviation double precision not null,
  prepared_at timestamptz not null default now(),
  -- the organisers' commitment: the SHA-256 of a secret revealed afterwards, or an announced public source
  randomness_kind text check (randomness_kind in ('secret_hash', 'public_source')),
  randomness_commitment text check (length(randomness_commitment) <= 2000),
  committed_at timestamptz,
  randomness text check (length(randomness) <= 2000),
  revealed_at timestamptz,
  drawn_index integer,
  check ((randomness is null) = (revealed_at is null)),
  check (committed_at is null or committed_at >= prepared_at)
);

create table assembly_members (
  id uuid primary key default gen_random_uuid(),
  assembly_id uuid not null references assemblies (id),
  territory_id uuid references territories (id),
  volunteer_id uuid not null references assembly_volunteers (id),
  -- the account the member votes with, once they accepted their invitation
  user_id uuid references users (id),
  status text not null default 'active' check (status in ('active', 'dropped')),
  -- 'draw' for the drawn panel, or the replacement's number (1, 2, …) and whom it replaced
  replacement_number integer,
  replaces uuid references assembly_members (id),
  dropped_at timestamptz,
  drop_reason text check (length(drop_reason) <= 500),
  created_at timestamptz not null default now(),
  unique (assembly_id, volunteer_id),
  unique (assembly_id, user_id)
);

create table assembly_sessions (
  id uuid primary key default gen_random_uuid(),
  assembly_id uuid not null references assemblies (id),
  territory_id uuid references territories (id),
  title text not null check (length(title) between 3 and 200),
  starts_on date not null,
  ends_on date not null,
  place text not null default '' check (length(place) <= 300),
  programme text not null default '' check (length(programme) <= 20000),
  check (ends_on >= starts_on)
);
create index assembly_sessions_assembly on assembly_sessions (assembly_id, starts_on);

create table assembly_hearings (
  id uuid primary key default gen_random_uuid(),
  assembly_id uuid not null references assemblies (id),
  territory_id uuid references territories (id),
  session_id uuid references assembly_sessions (id),
  expert text not null check (length(expert) between 2 and 200),
  affiliation text not null default '' check (length(affiliation) <= 300),
  topic text not null check (length(topic) between 3 and 300),
  viewpoint text not null default '' check (length(viewpoint) <= 2000),
  documents text not null default '' check (length(documents) <= 5000),
  created_at timestamptz not null default now()
);
create index assembly_hearings_assembly on assembly_hearings (assembly_id, created_at);

create table assembly_groups (
  id uuid primary key default gen_random_uuid(),
  assembly_id uuid not null references assemblies (id),
  territory_id uuid references territories (id),
  name text not null check (length(name) between 2 and 200),
  mandate text not null default '' check (length(mandate) <= 5000),
  unique (assembly_id, name)
);

create table assembly_group_members (
  group_id uuid not null references assembly_groups (id),
  member_id uuid not null references assembly_members (id),
  territory_id uuid references territories (id),
  primary key (group_id, member_id)
);

create table assembly_proposals (
  id uuid primary key default gen_random_uuid(),
  assembly_id uuid not null references assemblies (id),
  territory_id uuid references territories (id),
  group_id uuid references assembly_groups (id),
  number integer not null,
  title text not null check (length(title) between 3 and 300),
  body text not null check (length(body) between 1 and 50000),
  -- drafted (by its group) → amending (members propose amendments) → voting → adopted | rejected
  status text not null default 'drafted' check (status in ('drafted', 'amending', 'voting', 'adopted', 'rejected')),
  version integer not null default 1,
  votes_for integer,
  votes_against integer,
  votes_abstain integer,
  -- the decision-maker's public answer to an adopted proposal
  answer text check (answer in ('accepted', 'modified', 'rejected', 'referred')),
  answer_text text check (length(answer_text) <= 20000),
  answered_at timestamptz,
  commitment_id uuid references commitments (id),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (assembly_id, number)
);

create table assembly_amendments (
  id uuid primary key default gen_random_uuid(),
  proposal_id uuid not null references assembly_proposals (id),
  assembly_id uuid not null references assemblies (id),
  territory_id uuid references territories (id),
  author_member_id uuid references assembly_members (id),
  body text not null check (length(body) between 1 and 50000),
  reason text not null default '' check (length(reason) <= 5000),
  -- the proposal's version it amends
  based_on integer not null,
  status text not null default 'proposed' check (status in ('proposed', 'voting', 'adopted', 'rejected')),
  votes_for integer,
  votes_against integer,
  votes_abstain integer,
  created_at timestamptz not null default now()
);
create index assembly_amendments_proposal on assembly_amendments (proposal_id, created_at);

-- Secret ballot: who voted (so that no one votes twice) and the running counts, with no link between the two.
create table assembly_ballot_voters (
  subject_id uuid not null,
  member_id uuid not null references assembly_members (id),
  territory_id uuid references territories (id),
  primary key (subject_id, member_id)
);
create table assembly_ballot_counts (
  subject_id uuid not null,
  choice text not null check (choice in ('for', 'against', 'abstain')),
  territory_id uuid references territories (id),
  count integer not null default 0,
  primary key (subject_id, choice)
);
