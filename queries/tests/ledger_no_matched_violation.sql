-- model: int_ledger_items
-- A violation is a ledger item only when no problem matches it.
SELECT i.as_of, i.item_id
FROM int_ledger_items i
JOIN int_violations_classified v ON v.as_of = i.as_of AND v.violation_id = i.item_id
WHERE i.kind = 'violation' AND v.matched
