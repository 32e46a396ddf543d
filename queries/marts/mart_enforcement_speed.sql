-- 发现一起、查处一起: how fast violations become cases, per township and channel, as of the run's
-- as-of. A violation's channel is that of the record first seen (its violation_id's member: 卫片,
-- 用电, 举报, 案件, 线索, 复查). It has a case when an enforcement case is one of its members
-- (int_violation_members, channel 案件); its 立案 and 移送 (移送公安) are the done dates of its
-- required actions 立案 and 移送公安 (mart_violation_actions: the earliest of its cases' stages 立案
-- and 公安受案 known and dated by the as-of), so 发现一起、查处一起 reads the one list of actions. days_to_filed / days_to_transfer: calendar
-- days from first_seen, averaged (one decimal) and at most, over the violations that got there;
-- case_share = with_case / violations (NULL when none).
-- unique: township, channel
-- not_null: township, channel, violations, with_case, filed, transferred
-- relationships: township -> stg_config__townships.township
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
v AS (
    SELECT v.violation_id, v.township, v.first_seen
    FROM mart_violations v
),
m AS (
    SELECT m.violation_id, m.record_id, m.channel
    FROM int_violation_members m
    JOIN p ON p.as_of = m.as_of
),
ch AS (
    SELECT v.*, coalesce(f.channel, '其他') AS channel
    FROM v
    LEFT JOIN m f ON f.violation_id = v.violation_id AND f.record_id = v.violation_id
),
cs AS (
    SELECT violation_id, min(done_on) FILTER (WHERE action = 'filed') AS filed_on,
        min(done_on) FILTER (WHERE action = 'transfer') AS to_police_on,
        count(records) FILTER (WHERE action = 'filed') > 0 AS has_case
    FROM mart_violation_actions
    GROUP BY violation_id
),
j AS (
    SELECT ch.township, ch.channel, ch.violation_id, coalesce(cs.has_case, false) AS has_case,
        date_diff('day', ch.first_seen, cs.filed_on) AS d_filed,
        date_diff('day', ch.first_seen, cs.to_police_on) AS d_transfer
    FROM ch
    LEFT JOIN cs ON cs.violation_id = ch.violation_id
)
SELECT township, channel,
    CAST(count(*) AS INTEGER) AS violations,
    CAST(count(*) FILTER (WHERE has_case) AS INTEGER) AS with_case,
    round(count(*) FILTER (WHERE has_case) / nullif(count(*), 0), 3) AS case_share,
    CAST(count(d_filed) AS INTEGER) AS filed,
    round(avg(d_filed), 1) AS avg_days_to_filed,
    CAST(max(d_filed) AS INTEGER) AS max_days_to_filed,
    CAST(count(d_transfer) AS INTEGER) AS transferred,
    round(avg(d_transfer), 1) AS avg_days_to_transfer,
    CAST(max(d_transfer) AS INTEGER) AS max_days_to_transfer
FROM j
GROUP BY township, channel
ORDER BY township, channel
