-- The membership a territory's page shows: the network or the programme, since when, and its convention of
-- objectives. Owned by the membership module; the territories module reads this view, never the table. The
-- contacts, the contribution and the decision note stay out.
create view public_memberships as
  select territory_id, status, decided_at, convention_start, convention_end, convention_document_url, signatory
  from programme_memberships
  where status in ('member', 'in_programme');
