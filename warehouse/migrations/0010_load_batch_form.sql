-- etl: which form a batch is, so that a corrected re-submission replaces the right earlier batch.
-- A form is identified by kind, township, form_date, level (村级 / 乡镇) and, for village forms, the
-- village.
ALTER TABLE load_batches ADD COLUMN form_level VARCHAR;
ALTER TABLE load_batches ADD COLUMN form_village VARCHAR;
