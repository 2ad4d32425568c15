-- Whether the content an activity announces is hidden by moderation now, kept on the activity by the module that
-- hides or restores it, so that the mails need not look into that module's tables.
alter table activities add column source_hidden boolean not null default false;
update activities a set source_hidden = true
  where exists (select 1 from contributions c where a.source = 'contribution:' || c.id and c.hidden_at is not null)
     or exists (select 1 from contribution_comments m where a.source = 'comment:' || m.id and m.hidden_at is not null)
     or exists (select 1 from text_amendments x where a.source = 'amendment:' || x.id and x.hidden_at is not null);
create index activities_source on activities (source) where source is not null;
