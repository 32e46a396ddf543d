-- The meters' customer types (用电类别) with the thresholds the power rules apply to their meters:
-- a configured type ([[power.customer_type]], e.g. 非煤矿山, 危化企业) its own, a built-in type the
-- [power] ones (stg_config__parameters).
-- unique: customer_type
-- not_null: customer_type, builtin, night_ratio, night_min_kwh, surge_ratio, surge_min_increase_kwh
SELECT t.customer_type, t.builtin,
    coalesce(t.night_ratio, p.night_ratio)                       AS night_ratio,
    coalesce(t.night_min_kwh, p.night_min_kwh)                   AS night_min_kwh,
    coalesce(t.surge_ratio, p.surge_ratio)                       AS surge_ratio,
    coalesce(t.surge_min_increase_kwh, p.surge_min_increase_kwh) AS surge_min_increase_kwh,
    t.sort_order
FROM dim_customer_types t
CROSS JOIN (SELECT night_ratio, night_min_kwh, surge_ratio, surge_min_increase_kwh FROM stg_config__parameters) p
