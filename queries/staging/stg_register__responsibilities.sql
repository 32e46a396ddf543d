-- The responsibility register (责任人名册), every row of every register file. A register file is the
-- whole register: its rows count from its arrival (known_from) until the next register file arrives
-- (known_until), whatever that file lists (README "As known then").
-- not_null: township, person, duty_type, batch_id, source_row, known_from
-- accepted_values: duty_type = 第一责任人, 分管领导, 直接责任人, 包村干部, 监管网格员
-- in_run: table
WITH regs AS (
    SELECT batch_id, known_from, known_until,
        lead(known_from) OVER (ORDER BY known_from, batch_id) AS next_from
    FROM stg_etl__batches
    WHERE kind = 'responsibilities'
)
SELECT r.township, r.village, r.post, trim(r.person) AS person, r.duty_type, r.grid, r.batch_id, r.source_row,
    g.known_from, least(g.known_until, g.next_from) AS known_until
FROM raw_responsibilities r
JOIN regs g ON g.batch_id = r.batch_id
