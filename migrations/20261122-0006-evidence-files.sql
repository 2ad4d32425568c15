-- Files attached to progress updates as evidence. The bytes live in the file store (DATA_DIR/files by
-- default), named by their SHA-256; the update's content carries that digest, so the hash chain covers
-- the evidence itself, not only its name.
create table evidence_files (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  filename text not null check (length(filename) between 1 and 200),
  content_type text not null,
  size_bytes integer not null check (size_bytes > 0),
  uploaded_by uuid references users (id),
  uploaded_at timestamptz not null default now()
);
create index evidence_files_territory on evidence_files (territory_id);
