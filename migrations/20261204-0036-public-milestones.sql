-- The plans module's published view of milestones: those of public commitments (a published or closed plan), for
-- the other modules that link to a milestone or name it (an answer to a contribution).
create view public_milestones as
  select m.id, m.commitment_id, m.territory_id, m.title, m.due_date
  from milestones m join public_commitments c on c.id = m.commitment_id;
