-- Public questions of citizens to a territory's elected officials (a named one, or the executive), moderated
-- before publication, supported by others, answered in public.

create table official_questions (
  id uuid primary key default gen_random_uuid(),
  territory_id uuid not null references territories (id),
  author_id uuid references users (id),
  -- a named elected official of the territory; null: the executive as a whole
  addressee_id uuid references users (id),
  title text not null check (length(title) between 3 and 200),
  body text not null check (length(body) between 1 and 5000),
  status text not null default 'pending' check (status in ('pending', 'published', 'rejected', 'answered')),
  moderated_by uuid references users (id),
  moderated_at timestamptz,
  rejection_reason text check (length(rejection_reason) <= 2000),
  published_at timestamptz,
  answer text check (length(answer) <= 10000),
  answered_by uuid references users (id),
  answered_at timestamptz,
  support_count integer not null default 0 check (support_count >= 0),
  created_at timestamptz not null default now(),
  check ((status = 'answered') = (answer is not null))
);
create index official_questions_territory on official_questions (territory_id, status, published_at desc);

create table question_supports (
  question_id uuid not null references official_questions (id),
  user_id uuid not null references users (id),
  territory_id uuid not null references territories (id),
  created_at timestamptz not null default now(),
  primary key (question_id, user_id)
);
