-- Reports of content by anyone signed in, and moderation: hidden content keeps its row (and its audit
-- trail) but shows only the public reason.

alter table contributions add column hidden_at timestamptz;
alter table contributions add column hidden_reason text check (length(hidden_reason) <= 1000);
alter table contributions add column hidden_by uuid references users (id);
alter table contribution_comments add column hidden_at timestamptz;
alter table contribution_comments add column hidden_reason text check (length(hidden_reason) <= 1000);
alter table contribution_comments add column hidden_by uuid references users (id);

create table content_reports (
  subject_type text not null check (subject_type in ('contribution', 'comment')),
  subject_id uuid not null,
  territory_id uuid not null references territories (id),
  reporter_id uuid not null references users (id),
  reason text not null check (length(reason) between 1 and 1000),
  created_at timestamptz not null default now(),
  -- one report per person and content: a threshold counts distinct people
  primary key (subject_type, subject_id, reporter_id)
);
create index content_reports_territory on content_reports (territory_id, created_at desc);
