-- Joining the network and the THC programme: requests, decisions, conventions of objectives.

-- The financial contribution grid: by kind of territory, population band and support level.
-- The amounts seeded here are placeholders for the network's team to set (admin page /admin/adhesions/grille).
create table contribution_grid (
  territory_kind text not null check (territory_kind in ('commune', 'intercommunalite', 'departement', 'region', 'autre')),
  population_min integer not null check (population_min >= 0),
  population_max integer, -- exclusive; null: no upper bound
  support_level text not null check (support_level in ('essentiel', 'renforce')),
  amount_eur numeric(12, 2) not null check (amount_eur >= 0),
  updated_at timestamptz not null default now(),
  primary key (territory_kind, population_min, support_level),
  check (population_max is null or population_max > population_min)
);

insert into contribution_grid (territory_kind, population_min, population_max, support_level, amount_eur)
select kind, band.min, band.max, level.name, round(band.base * kind_factor * level.factor, -1)
from (values ('commune', 1.0), ('intercommunalite', 1.5), ('departement', 3.0), ('region', 4.0), ('autre', 1.0)) as k(kind, kind_factor),
     (values (0, 2000, 300), (2000, 10000, 800), (10000, 50000, 2000), (50000, 200000, 4500), (200000, null, 9000)) as band(min, max, base),
     (values ('essentiel', 1.0), ('renforce', 2.0)) as level(name, factor);

create table programme_memberships (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null unique references territories (id),
  -- what the territory asked for: joining the network, or the THC programme (which includes the network)
  requested_scope text not null check (requested_scope in ('network', 'programme')),
  status text not null default 'candidate' check (status in ('candidate', 'member', 'in_programme', 'left', 'declined')),
  -- private: how the network's team reaches the territory
  contact_name text not null check (length(contact_name) between 1 and 200),
  contact_email text not null,
  contact_role text not null default '',
  -- public: the executive's political commitment, and who signed it
  political_commitment text not null check (length(political_commitment) between 1 and 10000),
  signatory text not null check (length(signatory) between 1 and 300),
  requested_by uuid references users (id),
  requested_at timestamptz not null default now(),
  decided_by uuid references users (id),
  decided_at timestamptz,
  decision_note text not null default '',
  -- convention of objectives, once accepted
  convention_start date,
  convention_end date,
  convention_document_url text check (convention_document_url ~ '^https?://'),
  support_level text check (support_level in ('essentiel', 'renforce')),
  contribution_eur numeric(12, 2) check (contribution_eur >= 0),
  left_at timestamptz,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  check (convention_end is null or convention_start is null or convention_end >= convention_start)
);
create index programme_memberships_status on programme_memberships (status);
