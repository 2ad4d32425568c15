-- The data-change notice names the table written (its payload), so that what is read from tables seldom written
-- (the territory registry behind the name search) is kept across writes to the others. An empty payload, as
-- before, still means "anything may have changed".
create or replace function thc_notify_data_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('thc_data_changed', TG_TABLE_NAME);
  return null;
end
$$;
