-- The columns each frozen table had when a day was frozen (JSON: table → column names), so that a
-- snapshot still hashes to its recorded value after a later migration adds a column to the marts.
ALTER TABLE freezes ADD COLUMN columns VARCHAR;
