-- Secret ballots that no column, system column or audit row links to a person. A ballot is written in the voter's
-- transaction (so it is never lost) but sealed: AES-256-GCM of a fixed-length choice under a key derived from the
-- server's secret, which the database does not hold. The vote's close opens them, counts them on the subject row
-- and deletes them; the voters table keeps only who voted. See docs/architecture.md, "Security model".
create table assembly_sealed_ballots (
  id uuid primary key default gen_random_uuid(),
  subject_id uuid not null,
  territory_id uuid references territories (id),
  sealed bytea not null check (length(sealed) = 44)
);
create index assembly_sealed_ballots_subject on assembly_sealed_ballots (subject_id);

-- the running counts shared their row version (xmin) with the last voter's row: those of closed votes are kept on
-- the subject row already; the counts of votes still open are read once more when they close
delete from assembly_ballot_counts b
  where not exists (select 1 from assembly_proposals p where p.id = b.subject_id and p.status = 'voting')
    and not exists (select 1 from assembly_amendments a where a.id = b.subject_id and a.status = 'voting');
