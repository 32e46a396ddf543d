-- model: int_violations_classified
-- A recurrence came back after its site was rectified: it was first seen after fixed_before, and it
-- is not the violation it recurs of.
SELECT v.as_of, v.violation_id, v.recurrence_of, v.fixed_before, v.first_seen
FROM int_violations_classified v
WHERE v.recurrence_of IS NOT NULL
  AND (v.fixed_before IS NULL OR v.first_seen <= v.fixed_before OR v.recurrence_of = v.violation_id)
