-- The territory registry: the official geography (COG) and territories created by hand (kind "autre").
-- A reference table: small, read everywhere; with Citus it is replicated to every node.
create table territories (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('commune', 'epci', 'ept', 'departement', 'region', 'autre')),
  -- INSEE code for communes, départements and régions; SIREN for EPCI and EPT; a slug for "autre"
  code text not null check (code ~ '^[A-Za-z0-9-]{1,64}$'),
  name text not null check (length(name) between 1 and 200),
  -- lower-case, accent-free, punctuation-free form of the name, written by the application,
  -- so that search is accent-insensitive without an immutable unaccent() in an index
  name_search text not null,
  -- nature of an EPCI (CC, CA, CU, METRO, MET69); null otherwise
  epci_nature text,
  -- metro, drom or com (collectivité d'outre-mer) for the COG's départements and régions and communes
  zone text check (zone in ('metro', 'drom', 'com')),
  population integer check (population >= 0),
  source text not null check (source in ('cog', 'manual')),
  -- a COG territory that disappeared from a later COG (merged communes): kept, since data points to it
  retired_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (kind, code)
);
create index territories_name_search_trgm on territories using gin (name_search gin_trgm_ops);
create index territories_population on territories (population desc nulls last);

-- commune → EPCI / EPT → département → région; an EPCI may span several départements.
create table territory_parents (
  territory_id uuid not null references territories (id) on delete cascade,
  parent_id uuid not null references territories (id) on delete cascade,
  primary key (territory_id, parent_id),
  check (territory_id <> parent_id)
);
create index territory_parents_parent on territory_parents (parent_id);

-- What a territory's staff say of it on its public page.
create table territory_profiles (
  territory_id uuid primary key references territories (id) on delete cascade,
  presentation text not null default '' check (length(presentation) <= 5000),
  website text check (website ~ '^https?://'),
  public_contact_email text,
  updated_by uuid,
  updated_at timestamptz not null default now()
);
