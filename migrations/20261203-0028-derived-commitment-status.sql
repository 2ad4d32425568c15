-- A commitment's status is no longer typed: it follows its milestones (not started → in progress → late → done),
-- computed on reading because "late" depends on the day. Staff set by hand only what milestones cannot say —
-- paused, blocked, abandoned — and say why, publicly. The old column, which drifted from the milestones, goes.
alter table commitments
  add column held_status text check (held_status in ('en_pause', 'bloque', 'abandonne')),
  add column held_reason text check (length(held_reason) between 1 and 2000),
  add column held_at timestamptz,
  add constraint commitments_held_reason check (held_status is not null or (held_reason is null and held_at is null));
update commitments set held_status = status, held_at = updated_at where status in ('en_pause', 'bloque', 'abandonne');

drop view public_commitments;
alter table commitments drop column status;

-- The status shown for a commitment on a given day; plans/progress.ts derivedCommitmentStatus() says the same in
-- TypeScript, and a test holds both to every combination of milestones.
create function commitment_status(commitment uuid, today date) returns text language sql stable as $$
  select case
    when c.held_status is not null then c.held_status
    when count(m.id) = 0 then 'non_commence'
    when count(m.id) filter (where m.status <> 'abandonne') = 0 then 'abandonne'
    when bool_and(m.status = 'termine') filter (where m.status <> 'abandonne') then 'termine'
    when bool_or(m.status = 'en_retard' or (m.status not in ('termine', 'abandonne') and m.due_date < today)) then 'en_retard'
    when bool_or(m.status <> 'non_commence' or m.progress > 0) filter (where m.status <> 'abandonne') then 'en_cours'
    else 'non_commence'
  end
  from commitments c left join milestones m on m.commitment_id = c.id
  where c.id = commitment
  group by c.id, c.held_status
$$;

create view public_commitments as
  select c.id, c.territory_id, c.plan_id, c.position, c.title
  from commitments c join action_plans p on p.id = c.plan_id
  where p.status in ('published', 'closed');
