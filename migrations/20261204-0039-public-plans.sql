-- The plans module's published view of action plans: those published or closed, for the other modules that name a
-- plan (an assessment's report, the open data of ratings) without reading the plans' own table.
create view public_action_plans as
  select p.id, p.territory_id, p.title, p.status, p.period_start, p.period_end
  from action_plans p
  where p.status in ('published', 'closed');
