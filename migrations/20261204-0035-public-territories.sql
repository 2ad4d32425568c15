-- The territories module's published view: what other modules may join to name a territory or build its path.
-- Every territory of the registry is public; the view keeps the other modules off the table itself (and its
-- search columns), so that the registry's shape can change in one place.
create view public_territories as
  select id, kind, code, name, population from territories;
