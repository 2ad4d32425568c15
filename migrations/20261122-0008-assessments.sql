-- Independent assessment of action plans, on the scales of OGP's Independent Reporting Mechanism, in
-- OGP Local's two moments: the inception assessment of a plan, the end-of-commitment assessment.

-- Reviewers appointed by the network's team for one plan. A reviewer declares conflicts of interest.
create table plan_reviewers (
  plan_id uuid not null references action_plans (id),
  territory_id uuid not null references territories (id),
  user_id uuid not null references users (id),
  appointed_by uuid references users (id),
  appointed_at timestamptz not null default now(),
  conflicts_declared_at timestamptz,
  has_conflict boolean,
  conflicts_statement text not null default '' check (length(conflicts_statement) <= 5000),
  revoked_at timestamptz,
  primary key (plan_id, user_id)
);
create index plan_reviewers_user on plan_reviewers (user_id) where revoked_at is null;
create index plan_reviewers_territory on plan_reviewers (territory_id, user_id) where revoked_at is null;

create table assessments (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  plan_id uuid not null references action_plans (id),
  moment text not null check (moment in ('inception', 'end_of_term')),
  status text not null default 'draft' check (status in ('draft', 'right_of_reply', 'published')),
  -- 'ogp' for ratings imported from OGP's commitment sheet (the IRM's own reports)
  source text not null default 'platform' check (source in ('platform', 'ogp')),
  cocreation_level text check (cocreation_level in ('yes', 'partly', 'no')),
  cocreation_justification text not null default '' check (length(cocreation_justification) <= 20000),
  summary text not null default '' check (length(summary) <= 20000),
  sent_at timestamptz,
  reply_due date,
  territory_reply text check (length(territory_reply) <= 20000),
  reply_by uuid references users (id),
  replied_at timestamptz,
  published_at timestamptz,
  published_by uuid references users (id),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (plan_id, moment)
);
create index assessments_published on assessments (moment, published_at) where status = 'published';

create table commitment_assessments (
  assessment_id uuid not null references assessments (id),
  commitment_id uuid not null references commitments (id),
  territory_id uuid not null references territories (id),
  -- inception
  verifiable boolean,
  verifiable_justification text not null default '',
  -- value → { "relevant": true|false, "justification": "…" }
  relevance jsonb not null default '{}',
  potential_impact text check (potential_impact in ('none', 'minor', 'moderate', 'transformative')),
  impact_justification text not null default '',
  -- end of commitment
  completion text check (completion in ('not_started', 'limited', 'substantial', 'complete', 'withdrawn')),
  completion_justification text not null default '',
  diog_overall text check (diog_overall in ('worsened', 'did_not_change', 'marginal', 'major', 'outstanding')),
  -- value → one of the levels above or 'not_applicable'
  diog_values jsonb not null default '{}',
  diog_justification text not null default '',
  early_results text not null default '',
  lessons text not null default '',
  recommendations text not null default '',
  evidence_links text[] not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (assessment_id, commitment_id)
);

-- A published report changes only through a dated, visible erratum.
create table assessment_errata (
  id uuid primary key default gen_random_uuid(),
  assessment_id uuid not null references assessments (id),
  territory_id uuid not null references territories (id),
  commitment_id uuid references commitments (id),
  text text not null check (length(text) between 1 and 5000),
  author_id uuid references users (id),
  created_at timestamptz not null default now()
);
create index assessment_errata_assessment on assessment_errata (assessment_id, created_at);

create function assessments_published_are_final() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    if old.status = 'published' then
      raise exception 'a published assessment is kept for good' using errcode = '55000';
    end if;
    return old;
  end if;
  if old.status = 'published' then
    raise exception 'a published assessment changes only through an erratum' using errcode = '55000';
  end if;
  return new;
end
$$;
create trigger assessments_final before update or delete on assessments
  for each row execute function assessments_published_are_final();

create function commitment_assessments_follow_report() returns trigger language plpgsql as $$
declare
  report_status text;
begin
  select status into report_status from assessments
    where id = case when tg_op = 'DELETE' then old.assessment_id else new.assessment_id end;
  if report_status = 'published' then
    raise exception 'a published assessment changes only through an erratum' using errcode = '55000';
  end if;
  if tg_op = 'DELETE' then return old; end if;
  return new;
end
$$;
create trigger commitment_assessments_final before insert or update or delete on commitment_assessments
  for each row execute function commitment_assessments_follow_report();

-- errata are never changed nor removed
create function assessment_errata_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'an erratum is kept as written' using errcode = '55000';
end
$$;
create trigger assessment_errata_append_only before update or delete on assessment_errata
  for each row execute function assessment_errata_append_only();
