-- Co-construction of a text (a charter, a regulation): the territory publishes a draft in articles, citizens
-- propose amendments to an article and vote for or against them, then the territory publishes new versions,
-- the last one final, each amendment's fate (accepted, merged, rejected with a reason) recorded with the
-- version that decided it. Every version stays, so that diffs between them are public.

create table cocreated_texts (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  title text not null check (length(title) between 3 and 200),
  summary text not null default '' check (length(summary) <= 20000),
  opens_on date not null,
  closes_on date not null,
  commitment_id uuid references commitments (id),
  -- draft: staff only, articles editable; published: amendments and votes follow the dates; final: closed for good
  status text not null default 'draft' check (status in ('draft', 'published', 'final')),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (closes_on >= opens_on)
);
create index cocreated_texts_territory on cocreated_texts (territory_id, opens_on desc);

-- An article keeps its identity across versions; its wording lives in text_article_versions.
create table text_articles (
  id uuid primary key default gen_random_uuid(),
  text_id uuid not null references cocreated_texts (id),
  territory_id uuid not null references territories (id),
  created_at timestamptz not null default now()
);
create index text_articles_text on text_articles (text_id);

-- Version 1 is the draft put to amendment (editable while the text is a draft); later versions are published by
-- the territory and never change.
create table text_versions (
  text_id uuid not null references cocreated_texts (id),
  number integer not null check (number >= 1),
  territory_id uuid not null references territories (id),
  is_final boolean not null default false,
  note text not null default '' check (length(note) <= 10000),
  published_by uuid references users (id),
  published_at timestamptz,
  primary key (text_id, number)
);

create table text_article_versions (
  text_id uuid not null,
  number integer not null,
  article_id uuid not null references text_articles (id),
  territory_id uuid not null references territories (id),
  position integer not null,
  heading text not null check (length(heading) between 1 and 300),
  body text not null check (length(body) <= 50000),
  primary key (text_id, number, article_id),
  foreign key (text_id, number) references text_versions (text_id, number)
);

create table text_amendments (
  id uuid primary key default gen_random_uuid(),
  text_id uuid not null references cocreated_texts (id),
  article_id uuid not null references text_articles (id),
  territory_id uuid not null references territories (id),
  author_id uuid references users (id),
  -- the version whose wording the amendment changes, and the wording it proposes instead
  base_version integer not null,
  proposed_body text not null check (length(proposed_body) between 1 and 50000),
  justification text not null check (length(justification) between 1 and 5000),
  votes_for integer not null default 0 check (votes_for >= 0),
  votes_against integer not null default 0 check (votes_against >= 0),
  decision text check (decision in ('accepted', 'merged', 'rejected')),
  decision_reason text check (length(decision_reason) <= 5000),
  decided_in integer,
  decided_by uuid references users (id),
  created_at timestamptz not null default now(),
  hidden_at timestamptz,
  hidden_reason text,
  hidden_by uuid references users (id),
  check (decision is null or decided_in is not null),
  check (decision <> 'rejected' or length(trim(decision_reason)) > 0)
);
create index text_amendments_text on text_amendments (text_id, article_id, created_at);

-- One vote per person and amendment: the primary key makes a second one impossible, even when requests race.
create table text_amendment_votes (
  amendment_id uuid not null references text_amendments (id),
  user_id uuid not null references users (id),
  territory_id uuid not null references territories (id),
  in_favour boolean not null,
  created_at timestamptz not null default now(),
  primary key (amendment_id, user_id)
);
create index text_amendment_votes_user on text_amendment_votes (user_id);

-- Amendments can be reported and hidden like contributions and comments.
alter table text_amendments add constraint text_amendments_hidden_reason_length check (length(hidden_reason) <= 1000);
alter table content_reports drop constraint content_reports_subject_type_check;
alter table content_reports add constraint content_reports_subject_type_check check (subject_type in ('contribution', 'comment', 'amendment'));
