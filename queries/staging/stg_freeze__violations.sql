-- The violations stored when their date was frozen.
-- unique: as_of, violation_id
-- not_null: as_of, violation_id
SELECT * FROM frozen_violations
