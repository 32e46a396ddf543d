-- Columns the marts gained after 0071: the frozen snapshots keep every column of their mart.
ALTER TABLE frozen_violations ADD COLUMN area_mu DOUBLE;
ALTER TABLE frozen_ledger ADD COLUMN reported_on DATE;
ALTER TABLE frozen_ledger ADD COLUMN lon DOUBLE;
ALTER TABLE frozen_ledger ADD COLUMN lat DOUBLE;
