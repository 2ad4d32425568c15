-- The référentiel: fiches of methods & tools, experiences & projects, and actors, with their versions.

-- French full-text search that ignores accents: "ecole" finds "école", "participatif" finds "participation".
-- Idempotent: a database restored from a dump, or a re-run, already has it.
do $$
begin
  if not exists (select 1 from pg_ts_config where cfgname = 'fr_unaccent') then
    create text search configuration fr_unaccent (copy = french);
    alter text search configuration fr_unaccent
      alter mapping for hword, hword_part, word with unaccent, french_stem;
  end if;
end
$$;

-- Roles that are not tied to one territory.
create table platform_roles (
  user_id uuid not null references users (id),
  role text not null check (role in ('referentiel_moderator')),
  granted_by uuid references users (id),
  granted_at timestamptz not null default now(),
  primary key (user_id, role)
);

-- One row a fiche. Its columns hold the *published* content only (null title until a first
-- publication): search, facets, exports and public pages read them and can never show a draft.
create table referentiel_fiches (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('method', 'experience', 'actor')),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 120),
  -- identity of an imported fiche in its source ("participedia:method:145"): re-importing updates it
  source_key text unique,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  published_version integer,
  first_published_at timestamptz,
  published_at timestamptz,
  featured boolean not null default false,
  title text,
  summary text,
  body text,
  content jsonb,
  -- facets, copied from the published content
  subtype text,
  themes text[] not null default '{}',
  method_types text[] not null default '{}',
  iap2 text,
  result text check (result in ('success', 'mixed', 'failure', 'too_early')),
  institution text,
  institution_kind text,
  territory_id uuid references territories (id),
  department_codes text[] not null default '{}',
  region_codes text[] not null default '{}',
  commitment_id uuid references commitments (id),
  licence text,
  -- labels of the vocabulary values, territory and institution names: found by search, weighted low
  search_extra text not null default '',
  search tsvector generated always as (
    setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(summary, '')), 'B')
    || setweight(to_tsvector('fr_unaccent'::regconfig, search_extra), 'C')
    || setweight(to_tsvector('fr_unaccent'::regconfig, left(coalesce(body, ''), 200000)), 'D')
  ) stored,
  -- the same without the body, small enough to stay in the row: relevance is computed on it, so that
  -- ranking thousands of matches does not read every body back from TOAST storage
  search_head tsvector generated always as (
    setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('fr_unaccent'::regconfig, coalesce(summary, '')), 'B')
    || setweight(to_tsvector('fr_unaccent'::regconfig, left(search_extra, 2000)), 'C')
  ) stored,
  check ((published_version is null) = (title is null))
);
create index referentiel_fiches_search on referentiel_fiches using gin (search);
create index referentiel_fiches_published on referentiel_fiches (kind, published_at desc, id) where published_version is not null;
create index referentiel_fiches_recent on referentiel_fiches (published_at desc, id) where published_version is not null;
create index referentiel_fiches_themes on referentiel_fiches using gin (themes);
create index referentiel_fiches_method_types on referentiel_fiches using gin (method_types);
create index referentiel_fiches_territory on referentiel_fiches (territory_id) where territory_id is not null;
-- facet filters: combined with the text and array indexes (bitmap AND), they spare reading rows that another filter drops
create index referentiel_fiches_result on referentiel_fiches (result) where published_version is not null;
create index referentiel_fiches_iap2 on referentiel_fiches (iap2) where published_version is not null;
create index referentiel_fiches_institution on referentiel_fiches (institution) where published_version is not null;
create index referentiel_fiches_regions on referentiel_fiches using gin (region_codes);
create index referentiel_fiches_departments on referentiel_fiches using gin (department_codes);
create index referentiel_fiches_commitment on referentiel_fiches (commitment_id) where commitment_id is not null;
create index referentiel_fiches_title_trgm on referentiel_fiches using gin (lower(title) gin_trgm_ops);

-- Every version of a fiche: drafts, proposals under review, and every published version (kept for good).
create table referentiel_versions (
  id uuid primary key default gen_random_uuid(),
  fiche_id uuid not null references referentiel_fiches (id),
  number integer not null check (number >= 1),
  status text not null check (status in ('draft', 'submitted', 'changes_requested', 'published', 'rejected')),
  content jsonb not null,
  -- null when written by an import run from the command line
  author_id uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  submitted_at timestamptz,
  reviewer_id uuid references users (id),
  reviewed_at timestamptz,
  review_note text check (length(review_note) <= 5000),
  published_at timestamptz,
  -- the published version this one was written from (for its diff)
  base_number integer,
  unique (fiche_id, number)
);
-- one proposal at a time a fiche: a second contributor waits for the first to be reviewed
create unique index referentiel_versions_one_open on referentiel_versions (fiche_id) where status in ('draft', 'submitted', 'changes_requested');
create index referentiel_versions_queue on referentiel_versions (submitted_at) where status = 'submitted';
create index referentiel_versions_author on referentiel_versions (author_id, updated_at desc);

-- A published or rejected version is a record: it is never changed nor deleted.
create function referentiel_versions_keep() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.status in ('published', 'rejected') then
      raise exception 'a % version of a fiche is kept for good', old.status using errcode = '55000';
    end if;
    return old;
  end if;
  if old.status in ('published', 'rejected') then
    raise exception 'a % version of a fiche cannot be changed', old.status using errcode = '55000';
  end if;
  return new;
end
$$;
create trigger referentiel_versions_keep before update or delete on referentiel_versions
  for each row execute function referentiel_versions_keep();

-- Links between published fiches: an experience uses a method, involves an actor; an actor offers a method.
create table referentiel_links (
  from_id uuid not null references referentiel_fiches (id),
  to_id uuid not null references referentiel_fiches (id),
  relation text not null check (relation in ('uses', 'involves', 'offers')),
  primary key (from_id, relation, to_id),
  check (from_id <> to_id)
);
create index referentiel_links_to on referentiel_links (to_id);
