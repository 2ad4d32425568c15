-- Contributions brought from another platform (Decidim's proposals and debates): where each came from, so that a
-- second import updates instead of adding; its author as a pseudonym (the source's names are never stored); the
-- votes it had there, kept as a figure (support_count counts them plus the supports given here); its category.
alter table contributions
  add column source_key text check (length(source_key) between 1 and 200),
  add column source_platform text check (length(source_platform) between 1 and 60),
  add column source_author text check (length(source_author) between 1 and 80),
  add column source_votes integer not null default 0 check (source_votes >= 0),
  add column theme text check (length(theme) between 1 and 200);
create unique index contributions_source_key on contributions (consultation_id, source_key) where source_key is not null;

-- Proposals of a citizens' assembly imported from a list (the Convention Citoyenne pour le Climat's): the theme and
-- the objective they answer, and their identifier in the list (a second import updates them).
alter table assembly_proposals
  add column theme text check (length(theme) between 1 and 300),
  add column objective text check (length(objective) between 1 and 2000),
  add column source_key text check (length(source_key) between 1 and 200);
create unique index assembly_proposals_source_key on assembly_proposals (assembly_id, source_key) where source_key is not null;
