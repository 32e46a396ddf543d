-- One row per violation as of each date: township, village and point of the first-seen member,
-- first_seen the earliest, category the first non-empty in member order of the records that state one
-- (an imagery patch's, inferred from its change, only when no other member has one); sources and source_refs
-- list every member's channel and id in member order (first seen, channel order, id), joined by ','.
-- verified_on is the day the violation first existed (its earliest member's verification).
-- recurrence_of names the rectified violation (or item) whose site this one came back to, and
-- fixed_before the day that site was rectified (int_violation_members); area_mu the area of its
-- imagery patches (亩).
-- unique: as_of, violation_id
-- not_null: as_of, violation_id, township, first_seen, verified_on, sources, source_refs, members
SELECT
    as_of,
    violation_id,
    first(township ORDER BY first_seen, channel_order, record_id) AS township,
    first(village ORDER BY first_seen, channel_order, record_id) AS village,
    coalesce(first(category ORDER BY first_seen, channel_order, record_id) FILTER (WHERE category IS NOT NULL AND category <> '' AND channel <> '卫片'),
        first(category ORDER BY first_seen, channel_order, record_id) FILTER (WHERE category IS NOT NULL AND category <> '')) AS category,
    min(first_seen) AS first_seen,
    min(verified_on) AS verified_on,
    string_agg(channel, ',' ORDER BY first_seen, channel_order, record_id) AS sources,
    string_agg(record_id, ',' ORDER BY first_seen, channel_order, record_id) AS source_refs,
    first(lon ORDER BY first_seen, channel_order, record_id) AS lon,
    first(lat ORDER BY first_seen, channel_order, record_id) AS lat,
    count(*) AS members,
    max(recurrence_of) AS recurrence_of,
    max(fixed_before) AS fixed_before,
    sum(area_mu) AS area_mu
FROM int_violation_members
GROUP BY as_of, violation_id
