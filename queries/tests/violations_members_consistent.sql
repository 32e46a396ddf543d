-- model: int_violations
-- Each violation's id is one of its members, and first_seen is the earliest member's.
SELECT v.as_of, v.violation_id
FROM int_violations v
LEFT JOIN int_violation_members m ON m.as_of = v.as_of AND m.record_id = v.violation_id AND m.violation_id = v.violation_id
WHERE m.record_id IS NULL OR m.first_seen <> v.first_seen
