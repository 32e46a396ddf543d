-- The villages of the configuration (confirmed) and those first seen in loaded files (unconfirmed).
-- unique: township, village
-- not_null: township, village, confirmed
SELECT township, village, confirmed
FROM dim_villages
