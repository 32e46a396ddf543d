-- Which category an illegal-mining power alert is, by its meter's customer type (the configuration's
-- category power_types; a type none lists takes the parameter power_default_category).
CREATE TABLE dim_category_power_types (
    customer_type VARCHAR NOT NULL,
    code          VARCHAR NOT NULL
);
