-- The scorecard rows stored when their date was frozen.
-- unique: as_of, township
-- not_null: as_of, township
SELECT * FROM frozen_scorecards
