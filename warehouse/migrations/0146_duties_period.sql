-- 责任分解表 of a 常态化 period: a row's 期别 is the configured period's name ([[period]] name), NULL
-- for the campaign's own items. A file is the whole table of each 期别 its rows name, so a period's
-- table leaves the campaign's rows (and another period's) in force (queries/staging/stg_forms__duties.sql).
ALTER TABLE raw_duties ADD COLUMN period VARCHAR;
