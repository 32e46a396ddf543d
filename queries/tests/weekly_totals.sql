-- model: mart_campaign_weekly
-- The weeks add up to the marts they count (for what lies inside the weeks shown).
SELECT 'items_rectified' AS figure, w.n, m.n AS mart
FROM (SELECT sum(items_rectified) AS n FROM mart_campaign_weekly) w,
     (SELECT count(*) AS n FROM mart_ledger l, stg_config__parameters p
      WHERE l.status_as_of = '已整改' AND l.rectified_on >= iso_monday(least(p.data_from, p.as_of))) m
WHERE w.n <> m.n
UNION ALL
SELECT 'cases_filed', w.n, m.n
FROM (SELECT sum(cases_filed) AS n FROM mart_campaign_weekly) w,
     (SELECT count(*) AS n FROM mart_cases_pipeline c, stg_config__parameters p
      WHERE c.filed_on >= iso_monday(least(p.data_from, p.as_of))) m
WHERE w.n <> m.n
UNION ALL
SELECT 'area_restored_mu', w.n, m.n
FROM (SELECT sum(area_restored_mu) AS n FROM mart_campaign_weekly) w,
     (SELECT coalesce(sum(accepted_mu), 0) AS n FROM mart_restoration r, stg_config__parameters p
      WHERE r.accepted_on >= iso_monday(least(p.data_from, p.as_of))) m
WHERE w.n <> m.n
UNION ALL
SELECT 'fines_decided_yuan', w.n, m.n
FROM (SELECT sum(fines_yuan) + sum(confiscated_yuan) AS n FROM mart_campaign_weekly) w,
     (SELECT coalesce(sum(decided_yuan), 0) AS n FROM mart_fines) m
WHERE w.n <> m.n
UNION ALL
SELECT 'fines_collected_yuan', w.n, m.n
FROM (SELECT sum(fines_collected_yuan) AS n FROM mart_campaign_weekly) w,
     (SELECT coalesce(sum(collected_yuan), 0) AS n FROM mart_fines) m
WHERE w.n <> m.n
