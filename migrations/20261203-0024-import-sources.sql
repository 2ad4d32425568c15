-- Imports keep where each row came from, as columns: re-importing the same file updates what it created instead of
-- adding it twice, and the identifier no longer rides at the end of a text (where a length limit cut it off).
alter table action_plans add column source_key text check (length(source_key) between 1 and 200);
create unique index action_plans_source_key on action_plans (territory_id, source_key) where source_key is not null;
alter table commitments
  add column source_key text check (length(source_key) between 1 and 200),
  add column source_url text check (source_url ~ '^https?://' and length(source_url) <= 2000);
create unique index commitments_source_key on commitments (plan_id, source_key) where source_key is not null;
alter table milestones add column source_key text check (length(source_key) between 1 and 200);
create unique index milestones_source_key on milestones (commitment_id, source_key) where source_key is not null;

-- commitments imported from OGP's sheet by earlier versions carry their identifier in their text: the first of
-- each plan takes it as its source (later copies, the duplicates of a second import, stay without)
update commitments c set source_key = 'ogp:' || f.id
  from (select distinct on (plan_id, id) commitment_id, id
        from (select c2.id as commitment_id, c2.plan_id, substring(c2.description from 'Source : engagement OGP ([A-Za-z0-9_-]+)') as id, c2.position
              from commitments c2) s
        where id is not null order by plan_id, id, position) f
  where c.id = f.commitment_id;

-- A file uploaded for an import, kept between its preview and its confirmation (pruned after a day).
create table pending_imports (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid references territories (id),
  user_id uuid not null references users (id),
  kind text not null check (length(kind) <= 60),
  filename text not null check (length(filename) <= 300),
  bytes bytea not null,
  options jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index pending_imports_created on pending_imports (created_at);
