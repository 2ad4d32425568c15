-- Sessions notify their writes too (sign-in, sign-out, the five-minutely "last seen"), so that a web process may
-- keep a session's row between two of them instead of reading it at every request; a session ended anywhere is
-- then dropped at once. No public page shows a session: those notices leave the kept anonymous pages alone.
create or replace function thc_attach_data_change_triggers() returns integer language plpgsql as $$
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
      and c.relname not in ('schema_migrations', 'jobs', 'signin_throttle',
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
