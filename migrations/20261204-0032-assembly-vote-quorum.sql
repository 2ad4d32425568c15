-- A quorum per vote: the share of the active panel that must take part (for, against or abstain) for a vote to
-- adopt anything. Each assembly sets its rule (50 % for new assemblies; assemblies created before this migration
-- keep the rule they ran under: none); the organisers may set another share when they open a vote, and the share,
-- the panel's size and whether the quorum was met are kept with the result.
alter table assemblies add column quorum_percent integer not null default 0 check (quorum_percent between 0 and 100);
alter table assemblies alter column quorum_percent set default 50;
alter table assembly_proposals add column quorum_percent integer check (quorum_percent between 0 and 100);
alter table assembly_proposals add column panel_size_at_close integer;
alter table assembly_proposals add column quorum_met boolean;
alter table assembly_amendments add column quorum_percent integer check (quorum_percent between 0 and 100);
alter table assembly_amendments add column panel_size_at_close integer;
alter table assembly_amendments add column quorum_met boolean;
