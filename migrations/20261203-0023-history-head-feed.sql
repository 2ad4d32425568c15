-- A public, dated, append-only feed of each territory's chain head (RFC 8785 canonical JSON, hashed), published at
-- most hourly when the chain grew. Whoever keeps one entry can later prove that the chain still holds it: a deleted
-- or rewritten entry, even with its head row adjusted behind the platform's back, no longer matches.
create table history_head_publications (
  territory_id uuid not null references territories (id),
  -- the chain's length and last hash at publication
  seq integer not null check (seq > 0),
  hash text not null check (hash ~ '^[0-9a-f]{64}$'),
  published_at timestamptz not null,
  -- SHA-256 of the previous publication's canonical JSON (null for the territory's first): the feed is a chain too
  previous text check (previous ~ '^[0-9a-f]{64}$'),
  -- SHA-256 of this publication's canonical JSON
  digest text not null check (digest ~ '^[0-9a-f]{64}$'),
  primary key (territory_id, seq)
);
create index history_head_publications_recent on history_head_publications (published_at desc);

create function history_head_publications_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'published chain heads are append-only (% refused)', tg_op using errcode = 'P0001';
end
$$;
create trigger history_head_publications_no_update before update or delete on history_head_publications
  for each row execute function history_head_publications_append_only();
