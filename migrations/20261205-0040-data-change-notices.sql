-- Every committed write to a table that public pages read sends a notice on the channel `thc_data_changed`
-- (PostgreSQL delivers NOTIFY at commit, never for a rolled-back transaction). Each web process listens and
-- drops the anonymous pages it keeps in memory, so that a write made by another process, a command line or a
-- background job is visible on the next anonymous read.
create function thc_notify_data_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('thc_data_changed', '');
  return null;
end
$$;

-- Attaches the notice to every table of the schema that lacks it, but those no public page reads and that change
-- all the time (sessions, the job queue, sign-in throttling, mail deliveries, the audit trail, staged imports).
-- Run after the migrations at every start, so that a table added later gets it too.
create function thc_attach_data_change_triggers() returns integer language plpgsql as $$
declare
  missing record;
  attached integer := 0;
begin
  for missing in
    select c.relname
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and n.nspname = current_schema()
      and c.relname not in ('schema_migrations', 'user_sessions', 'jobs', 'signin_throttle',
                            'notification_deliveries', 'audit_events', 'pending_imports')
      and not exists (
        select 1 from pg_trigger t where t.tgrelid = c.oid and t.tgname = 'thc_data_changed'
      )
  loop
    execute format(
      'create trigger thc_data_changed after insert or update or delete or truncate on %I '
      'for each statement execute function thc_notify_data_change()',
      missing.relname
    );
    attached := attached + 1;
  end loop;
  return attached;
end
$$;
