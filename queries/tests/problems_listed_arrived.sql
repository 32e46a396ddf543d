-- model: int_problems_listed
-- A problem counts on a date only when its form had arrived by the end of that date and it was
-- reported by then.
SELECT l.known_on, l.problem_id, l.received_at, l.reported_on
FROM int_problems_listed l
WHERE l.received_at >= CAST(l.known_on AS TIMESTAMP) + INTERVAL 1 DAY OR l.reported_on > l.known_on
