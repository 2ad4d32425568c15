-- The commitments the public may see: those of a published (or closed) plan. Other modules join this view, never
-- the table, when they show or accept a link to a commitment, so that a draft plan's commitments stay private.
create view public_commitments as
  select c.id, c.territory_id, c.plan_id, c.position, c.title, c.status
  from commitments c join action_plans p on p.id = c.plan_id
  where p.status in ('published', 'closed');
