-- The ledger items stored when their date was frozen.
-- unique: as_of, item_id
-- not_null: as_of, item_id
SELECT * FROM frozen_ledger
