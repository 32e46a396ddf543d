-- Violations with their detection, as of each date. A problem matches a violation when it names any
-- member (or a member names it), or when it belongs to the violation's township and lies within
-- match_radius_m of any member; a recurrence is matched only by problems reported after its site was
-- rectified (fixed_before). matched: a problem on the list known as of the date matches.
-- Detection is judged on the list as it stood at the end of the violation's detection deadline day
-- (int_violation_rounds: the campaign's, or its 常态化 period's; README "Detection by arrival"): detected_by is the earliest (then smallest id) matching problem of the
-- violation's township on that list, reported ≤ the deadline. A matching problem that reached the
-- county later, or whose matching content came with a later correction, does not detect (迟报).
-- The detection_status is new_after_rectification (first_seen > rectification_end, outside every
-- period), not_due
-- (first_seen > deadline, or the date < deadline), detected or missed. match_reason says in words how the violation
-- and its problem correspond: 编号对应 (by reference), 距离对应 (within the radius), or why a matching
-- problem came too late (迟报: on time on paper, arrived after the deadline; 补报: dated after it);
-- late_problem is that problem.
-- unique: as_of, violation_id
-- not_null: as_of, violation_id, township, first_seen, detection_status, matched, problems
-- accepted_values: detection_status = detected, missed, not_due, new_after_rectification
-- relationships: detected_by -> int_problem_matches.problem_id
WITH p AS (
    SELECT * FROM stg_config__parameters
),
vm AS (
    -- problem lines matching a member of each violation: by reference to any member, or by
    -- distance to any member when the problem belongs to the violation's township
    SELECT m.as_of, m.violation_id, pm.batch_id, pm.source_row, pm.problem_id, bool_or(pm.by_reference) AS by_ref
    FROM int_violation_members m
    JOIN int_violations v ON v.as_of = m.as_of AND v.violation_id = m.violation_id
    JOIN int_problem_matches pm ON pm.record_id = m.record_id
    GROUP BY m.as_of, m.violation_id, pm.batch_id, pm.source_row, pm.problem_id
),
listed AS (
    -- the matching problems on a list: as known on the date itself (known_on = as_of) or at the
    -- violation's deadline (known_on = its round's detection_deadline)
    SELECT vm.as_of, vm.violation_id, pl.known_on, pl.problem_id, pl.township AS problem_township,
        pl.reported_on, pl.received_at,
        CASE WHEN vm.by_ref THEN '编号对应' ELSE '距离对应' END AS reason
    FROM vm
    JOIN int_violations v ON v.as_of = vm.as_of AND v.violation_id = vm.violation_id
    JOIN int_violation_rounds rd ON rd.as_of = vm.as_of AND rd.violation_id = vm.violation_id
    JOIN int_problems_listed pl ON pl.batch_id = vm.batch_id AND pl.source_row = vm.source_row
        AND (pl.known_on = vm.as_of OR pl.known_on = rd.detection_deadline)
    WHERE (vm.by_ref OR pl.township = v.township)
      AND (v.fixed_before IS NULL OR pl.reported_on > v.fixed_before)
),
det AS (
    SELECT v.as_of, v.violation_id,
        first(l.problem_id ORDER BY l.reported_on, l.problem_id)
            FILTER (WHERE l.known_on = rd.detection_deadline AND l.problem_township = v.township
                    AND l.reported_on <= rd.detection_deadline) AS detected_by,
        first(l.reason ORDER BY l.reported_on, l.problem_id)
            FILTER (WHERE l.known_on = rd.detection_deadline AND l.problem_township = v.township
                    AND l.reported_on <= rd.detection_deadline) AS detected_reason,
        first(l.reason ORDER BY l.reported_on, l.problem_id) FILTER (WHERE l.known_on = v.as_of) AS first_reason,
        first(l.problem_id ORDER BY l.reported_on, l.problem_id)
            FILTER (WHERE l.known_on = v.as_of AND l.problem_township = v.township) AS town_problem,
        first(l.reported_on ORDER BY l.reported_on, l.problem_id)
            FILTER (WHERE l.known_on = v.as_of AND l.problem_township = v.township) AS town_reported_on,
        first(l.received_at ORDER BY l.reported_on, l.problem_id)
            FILTER (WHERE l.known_on = v.as_of AND l.problem_township = v.township) AS town_received_at,
        count(DISTINCT l.problem_id) FILTER (WHERE l.known_on = v.as_of) AS problems
    FROM int_violations v
    JOIN int_violation_rounds rd ON rd.as_of = v.as_of AND rd.violation_id = v.violation_id
    LEFT JOIN listed l ON l.as_of = v.as_of AND l.violation_id = v.violation_id
    GROUP BY v.as_of, v.violation_id
),
classified AS (
    SELECT v.*, d.detected_by, d.detected_reason, d.first_reason, d.town_problem, d.town_reported_on,
        d.town_received_at, d.problems, rd.detection_deadline AS round_deadline,
        CASE
            WHEN rd.period IS NULL AND v.first_seen > p.rectification_end THEN 'new_after_rectification'
            WHEN v.first_seen > rd.detection_deadline OR v.as_of < rd.detection_deadline THEN 'not_due'
            WHEN d.detected_by IS NOT NULL THEN 'detected'
            ELSE 'missed'
        END AS detection_status
    FROM int_violations v
    CROSS JOIN p
    JOIN det d ON d.as_of = v.as_of AND d.violation_id = v.violation_id
    JOIN int_violation_rounds rd ON rd.as_of = v.as_of AND rd.violation_id = v.violation_id
)
SELECT c.as_of, c.violation_id, c.township, c.village, c.category, c.first_seen, c.verified_on,
    c.sources, c.source_refs, c.lon, c.lat, c.members, c.recurrence_of, c.fixed_before, c.area_mu,
    c.detected_by,
    c.detection_status,
    c.round_deadline AS detection_deadline,
    CASE
        WHEN c.detection_status = 'missed' AND c.town_problem IS NOT NULL AND c.town_reported_on <= c.round_deadline THEN
            '迟报：表上日期 ' || strftime(c.town_reported_on, '%m-%d') || '，' || strftime(c.town_received_at, '%m-%d')
            || ' 才报送，晚于 ' || strftime(c.round_deadline, '%m-%d') || ' 截止'
        WHEN c.detection_status = 'missed' AND c.town_problem IS NOT NULL THEN
            '补报：表上日期 ' || strftime(c.town_reported_on, '%m-%d') || '，晚于 ' || strftime(c.round_deadline, '%m-%d') || ' 截止'
        ELSE coalesce(c.detected_reason, c.first_reason)
    END AS match_reason,
    CASE WHEN c.detection_status = 'missed' THEN c.town_problem END AS late_problem,
    c.problems > 0 AS matched,
    c.problems
FROM classified c
CROSS JOIN p
