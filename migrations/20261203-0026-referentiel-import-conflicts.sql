-- What the source said at the last import, beside what the platform publishes: a re-import tells a change at the
-- source from an edit made here, keeps the local edit and lists the field for a moderator when both changed.
alter table referentiel_fiches add column source_content jsonb;
update referentiel_fiches f set source_content = v.content
  from (select distinct on (fiche_id) fiche_id, content from referentiel_versions
        where review_note = 'import' and status = 'published' order by fiche_id, number desc) v
  where v.fiche_id = f.id and f.source_key is not null;

create table referentiel_import_conflicts (
  id uuid primary key default gen_random_uuid(),
  fiche_id uuid not null references referentiel_fiches (id),
  field text not null check (length(field) <= 60),
  source_value jsonb,
  local_value jsonb,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by uuid references users (id),
  resolution text check (resolution in ('source', 'local'))
);
create index referentiel_import_conflicts_open on referentiel_import_conflicts (created_at) where resolved_at is null;
create index referentiel_import_conflicts_fiche on referentiel_import_conflicts (fiche_id);
