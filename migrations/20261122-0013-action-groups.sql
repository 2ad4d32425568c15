-- Groupes Action Projet: citizens, citizen project leaders and staff working on one commitment of the plan.

create table action_groups (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  commitment_id uuid not null references commitments (id),
  title text not null check (length(title) between 3 and 200),
  purpose text not null check (length(purpose) between 1 and 10000),
  coordinator_id uuid references users (id),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index action_groups_commitment on action_groups (commitment_id);

create table action_group_members (
  group_id uuid not null references action_groups (id),
  user_id uuid not null references users (id),
  territory_id uuid not null references territories (id),
  joined_at timestamptz not null default now(),
  left_at timestamptz,
  primary key (group_id, user_id)
);

-- Meeting notes: drafted among members, then published for everyone.
create table action_group_notes (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references action_groups (id),
  territory_id uuid not null references territories (id),
  author_id uuid references users (id),
  meeting_date date not null,
  body text not null check (length(body) between 1 and 50000),
  status text not null default 'draft' check (status in ('draft', 'published')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index action_group_notes_group on action_group_notes (group_id, meeting_date desc);

create table action_group_actions (
  id uuid primary key default gen_random_uuid(),
  group_id uuid not null references action_groups (id),
  territory_id uuid not null references territories (id),
  title text not null check (length(title) between 3 and 300),
  owner_id uuid references users (id),
  due_date date,
  status text not null default 'todo' check (status in ('todo', 'doing', 'done')),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index action_group_actions_group on action_group_actions (group_id, due_date);
