-- A published consultation can be edited, extended or closed early by the territory's staff; every change is kept
-- in a public, append-only list shown on the consultation's page (what changed, before and after, and why).
alter table consultations add column closed_early_at timestamptz;

create table consultation_changes (
  id bigint generated always as identity primary key,
  consultation_id uuid not null references consultations (id),
  territory_id uuid not null references territories (id),
  changed_at timestamptz not null default now(),
  -- [{ "field": "title" | "question" | "context" | "opensOn" | "closesOn" | "commitmentId" | "closedEarly", "before", "after" }]
  changes jsonb not null check (jsonb_typeof(changes) = 'array' and jsonb_array_length(changes) > 0),
  reason text not null default '' check (length(reason) <= 2000)
);
create index consultation_changes_consultation on consultation_changes (consultation_id, id);

create function consultation_changes_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'a consultation''s changes are kept as recorded' using errcode = '55000';
end
$$;
create trigger consultation_changes_append_only before update or delete on consultation_changes
  for each row execute function consultation_changes_append_only();
