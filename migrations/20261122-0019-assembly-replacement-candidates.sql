-- The volunteers (by number) a replacement was drawn among, published with it so that anyone can redo the draw.
alter table assembly_members add column replacement_candidates integer[];
