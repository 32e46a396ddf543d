-- One row per problem (问题编号): the earliest form line that lists it (by reported_on, then batch
-- and row), so a problem repeated on the township's review form keeps the village's earlier date.
-- unique: problem_id
-- not_null: problem_id, township, reported_on
SELECT problem_id, township, village, level, reported_on, hazard, remark, category, deadline, lon, lat,
       batch_id, source_row
FROM stg_forms__inspections
QUALIFY row_number() OVER (PARTITION BY problem_id ORDER BY reported_on, batch_id, source_row) = 1
