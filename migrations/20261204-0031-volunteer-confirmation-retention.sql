-- A volunteer who registers through the public form confirms their address from the mail they receive, so that
-- nobody can register someone else; only confirmed volunteers enter the draw. A volunteer without e-mail (phone
-- only) is confirmed by the organisers after calling them; imported volunteers are vouched for by the organisers.
-- Registrations made before this migration are kept as they were: confirmed.
alter table assembly_volunteers add column confirmed_at timestamptz;
update assembly_volunteers set confirmed_at = consent_at;
-- the language of the form, for the mails sent to the volunteer (confirmation, drawn or kept in reserve)
alter table assembly_volunteers add column locale text not null default 'fr' check (locale in ('fr', 'en'));
-- name, e-mail, phone and address erased once the assembly's retention period is over (the number, features and
-- the draw stay: the transparency page and its verification need them, and they identify nobody)
alter table assembly_volunteers add column contact_erased_at timestamptz;
create index assembly_volunteers_email on assembly_volunteers (assembly_id, email);

-- Days the volunteers' contact data is kept after the assembly ends (its report published, or its last session).
alter table assemblies add column contact_retention_days integer not null default 180
  check (contact_retention_days between 30 and 1095);
