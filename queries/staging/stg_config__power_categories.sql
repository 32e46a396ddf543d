-- The category of an illegal-mining power alert by its meter's customer type (configuration: each
-- category's power_types); a type not listed takes power_default_category.
-- unique: customer_type
-- not_null: customer_type, code

SELECT customer_type, code FROM dim_category_power_types
