-- The "most recent" order of a consultation's contributions pages through an index too (100,000 contributions).
create index contributions_consultation_recent on contributions (consultation_id, created_at desc, id);
