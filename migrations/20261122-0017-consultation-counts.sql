-- A consultation keeps the number of its contributions (moved in the contribution's transaction): its page shows
-- the total without counting 100,000 rows at each visit.
alter table consultations add column contribution_count integer not null default 0 check (contribution_count >= 0);
update consultations c set contribution_count = (select count(*) from contributions k where k.consultation_id = c.id);

-- Pages of contributions read their ids from the index alone, then fetch those 50 rows.
drop index contributions_consultation;
create index contributions_consultation on contributions (consultation_id, support_count desc, created_at, id);
