-- What each violation category calls for after the finding (dim_category_actions, from the
-- configuration's [[category]] case_unit, ban and criminal_yuan): the unit that files and punishes
-- it, whether it calls for 取缔/查封, and the price-determined value (元) from which it goes to 公安
-- (0: never by value).
-- unique: category
-- not_null: category, case_unit, ban, criminal_yuan
-- relationships: case_unit -> stg_config__units.short_name
SELECT category, case_unit, ban, criminal_yuan
FROM dim_category_actions
