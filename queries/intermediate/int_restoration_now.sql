-- Every item of the restoration ledger as it stands now (the accepting unit's update form keeps what
-- it does not change): the item's version no later arrival superseded (known_until IS NULL), the
-- latest known_from, then a console entry before a file's row of the same moment. A view: it reads
-- the console's entries live.
-- materialized: view
-- unique: item_id
-- not_null: item_id, party, area_mu, due_on, known_from, origin
SELECT *
FROM stg_restoration__items
WHERE known_until IS NULL
QUALIFY row_number() OVER (PARTITION BY item_id ORDER BY known_from DESC, batch_id DESC NULLS FIRST) = 1
