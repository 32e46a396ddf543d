-- model: int_power_rule_days
-- A rule never holds on a day after the date it is computed as of.
SELECT * FROM int_power_rule_days WHERE day > as_of
