-- The latest published independent rating of each commitment, for the dashboard to set beside what the territory
-- reports. Owned by the assessments module; others read this view, never its tables. Draft ratings and reports
-- still in the territory's right of reply stay out.
create view public_commitment_verdicts as
  select distinct on (ca.commitment_id)
    ca.commitment_id, a.id as assessment_id, a.plan_id, a.moment, a.source, a.published_at,
    ca.verifiable, ca.potential_impact, ca.potential_results, ca.completion, ca.diog_overall
  from commitment_assessments ca
  join assessments a on a.id = ca.assessment_id
  where a.status = 'published'
  -- a plan has at most one report of each moment, and the end-of-commitment one comes later in its life
  order by ca.commitment_id, a.moment = 'end_of_term' desc, a.published_at desc;
create index commitment_assessments_commitment on commitment_assessments (commitment_id);
