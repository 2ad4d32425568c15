-- The IRM's scales as its sheet writes them, whole: a completion "unclear" (early progress reports), a results
-- overall "no early results to report yet", and the newer action-plan reviews' "potential for results" (which replaced
-- the potential impact from 2021).
alter table commitment_assessments drop constraint commitment_assessments_completion_check;
alter table commitment_assessments add constraint commitment_assessments_completion_check
  check (completion in ('not_started', 'limited', 'substantial', 'complete', 'withdrawn', 'unclear'));
alter table commitment_assessments drop constraint commitment_assessments_diog_overall_check;
alter table commitment_assessments add constraint commitment_assessments_diog_overall_check
  check (diog_overall in ('worsened', 'did_not_change', 'marginal', 'major', 'outstanding', 'no_early_results'));
alter table commitment_assessments add column potential_results text check (potential_results in ('unclear', 'modest', 'substantial'));
