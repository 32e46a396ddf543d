-- The 责任分解表 as of the run's as-of: one row per ledger item (mart_ledger's items) with its row of
-- the 责任分解表 known then, blank when it has none. deadline is the one every figure uses (the
-- item's 整改时限 when given), default_deadline the one it would have without it. duty_period is the
-- 期别 of the item's row: a 常态化 period's name, '' for the campaign's table, NULL without a row.
-- unique: item_id
-- not_null: item_id, kind, township, deadline, default_deadline, status_as_of
-- accepted_values: duty_class = 重点, 一般
SELECT l.item_id, l.kind, l.township, l.village, l.category, l.reported_on, l.duty_class, l.duty_unit, u.short_name AS unit_short,
    l.duty_person, l.duty_requirement, l.duty_deadline, l.duty_period, l.deadline, l.default_deadline, l.status_as_of, l.rectified_on,
    l.overdue, l.reopened_on
FROM int_ledger_items l
JOIN stg_config__parameters p ON p.as_of = l.as_of
LEFT JOIN stg_config__units u ON u.unit = l.duty_unit
LEFT JOIN stg_config__townships t ON t.township = l.township
ORDER BY t.sort_order, l.duty_class = '重点' DESC, l.deadline, l.item_id
