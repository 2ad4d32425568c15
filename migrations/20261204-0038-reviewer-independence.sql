-- An independent reviewer of one of a territory's plans cannot also act for that territory (editor or elected).
-- The roles belong to the kernel and the reviewers to the assessments module: the rule is kept here, once, for
-- every way a role is granted (the admin page, the command line), instead of in a module reading the other's table.
create function refuse_reviewer_as_staff() returns trigger language plpgsql as $$
begin
  if new.role in ('editor', 'elected') and exists (
    select 1 from plan_reviewers r
    where r.territory_id = new.territory_id and r.user_id = new.user_id and r.revoked_at is null
  ) then
    raise exception 'an independent reviewer of this territory cannot act for it' using errcode = 'TH001';
  end if;
  return new;
end $$;
create trigger territory_roles_reviewer_independence before insert or update on territory_roles
  for each row execute function refuse_reviewer_as_staff();
