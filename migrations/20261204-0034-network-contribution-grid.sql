-- The contribution grid tells joining the network alone from the THC programme (which includes the network and
-- its support): the network's rows carry the level 'reseau' (no support level applies). Their amounts, like the
-- programme's, are placeholders for the network's team to set.
alter table contribution_grid drop constraint contribution_grid_support_level_check;
alter table contribution_grid add constraint contribution_grid_support_level_check check (support_level in ('reseau', 'essentiel', 'renforce'));
insert into contribution_grid (territory_kind, population_min, population_max, support_level, amount_eur)
select territory_kind, population_min, population_max, 'reseau', round(amount_eur / 2, -1)
from contribution_grid where support_level = 'essentiel'
on conflict do nothing;
