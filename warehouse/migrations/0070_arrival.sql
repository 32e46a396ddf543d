-- Arrival stamps (queries/README.md "As known then"). received_at is the moment a file reached the
-- county, as the campaign's local wall-clock time: the server clock for portal uploads and CLI loads,
-- or a stamp given by hand for a file that arrived earlier on paper or USB (received_given_by names
-- who gave it; NULL for the clock). A figure as of a day counts only batches received by the end of
-- that day. Batches loaded before this migration are taken as received when they were loaded.
ALTER TABLE load_batches ADD COLUMN received_at TIMESTAMP;
ALTER TABLE load_batches ADD COLUMN received_given_by VARCHAR;
UPDATE load_batches SET received_at = loaded_at;
