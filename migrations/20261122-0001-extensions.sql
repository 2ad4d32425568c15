-- Extensions used by search: trigram similarity (typo-tolerant names) and unaccent.
-- Both are "trusted" extensions (PostgreSQL 13+): the database owner may create them.
create extension if not exists pg_trgm;
create extension if not exists unaccent;
