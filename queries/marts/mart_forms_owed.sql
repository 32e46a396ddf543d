-- Forms owed (应报未报), as known at the run's as-of: every confirmed village owes its 村级摸底自查表
-- by the end of the village self-check (village_list_due), every township its 乡镇全面复查表 by the
-- detection deadline, and in each 常态化 period that has begun its 乡镇排查表 by the period's detection
-- deadline (a form dated within the period). received_at is the arrival of the first such form (a
-- later correction does not move it); owed while none has arrived by the end of as_of, overdue when
-- still owed after the due day, late when it arrived after the due day. A township's home page lists
-- what it still owes.
-- unique: township, village, form
-- not_null: township, form, due_on, owed, overdue, late
WITH p AS (
    SELECT * FROM stg_config__parameters
),
batches AS (
    -- inspection forms that had arrived by the end of as_of, with the period their date falls in
    SELECT b.township, b.form_level, coalesce(b.form_village, '') AS village, b.known_from, pe.name AS period
    FROM stg_etl__batches b CROSS JOIN p
    LEFT JOIN stg_config__periods pe ON b.form_date BETWEEN pe.start_on AND pe.end_on
    WHERE b.kind = 'inspection' AND b.township IS NOT NULL
      AND b.known_from < CAST(p.as_of AS TIMESTAMP) + INTERVAL 1 DAY
),
arrived AS (
    SELECT township, form_level, village, coalesce(period, '') AS period, min(known_from) AS received_at
    FROM batches
    GROUP BY ALL
),
due AS (
    SELECT v.township, v.village, '村级' AS form_level, '村级摸底自查表' AS form, p.village_list_due AS due_on, '' AS period
    FROM stg_config__villages v CROSS JOIN p
    WHERE v.confirmed
    UNION ALL
    SELECT t.township, NULL, '乡镇', '乡镇全面复查表', p.detection_deadline, ''
    FROM stg_config__townships t CROSS JOIN p
    UNION ALL
    SELECT t.township, NULL, '乡镇', pe.name || '乡镇排查表', pe.detection_deadline, pe.name
    FROM stg_config__townships t CROSS JOIN p
    JOIN stg_config__periods pe ON pe.start_on <= p.as_of
)
SELECT d.township, d.village, d.form, d.due_on, a.received_at,
    a.received_at IS NULL                                                          AS owed,
    a.received_at IS NULL AND p.as_of > d.due_on                                   AS overdue,
    coalesce(a.received_at >= CAST(d.due_on AS TIMESTAMP) + INTERVAL 1 DAY, false) AS late
FROM due d CROSS JOIN p
LEFT JOIN arrived a ON a.township = d.township AND a.form_level = d.form_level AND a.village = coalesce(d.village, '')
    AND a.period = d.period
ORDER BY d.township, d.due_on, d.form, d.village
