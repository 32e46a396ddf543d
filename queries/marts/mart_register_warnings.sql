-- Warnings of the responsibility register (责任人名册核对), as of the run's as-of (README "Who
-- answers"):
--   包村干部不符  an inspection-form line whose 包村干部签字 is not a 包村干部 of its village in the
--                 register as it stood when the form arrived (lines of forms that arrived before any
--                 register are not checked);
--   村无包村干部  a configured village with no 包村干部 in the register known at the as-of;
--   乡镇无第一责任人 a township with no 第一责任人 in it.
-- Nothing is checked before a register has arrived.
-- unique: kind, township, village, file_name, source_row
-- not_null: as_of, kind, township, message
-- accepted_values: kind = 包村干部不符, 村无包村干部, 乡镇无第一责任人
WITH p AS (
    SELECT * FROM stg_config__parameters
),
reg AS (
    SELECT r.* FROM stg_register__responsibilities r CROSS JOIN p WHERE known_at(r.known_from, r.known_until, p.as_of)
),
lines AS (
    SELECT i.township, i.village, i.problem_id, i.cadre_signed AS signed, i.file_name, i.source_row, i.known_from
    FROM stg_forms__signatures i
    CROSS JOIN p
    WHERE known_at(i.known_from, i.known_until, p.as_of) AND i.cadre_signed IS NOT NULL AND i.village IS NOT NULL
),
versions AS (
    -- the register's versions: when each arrived and was replaced
    SELECT DISTINCT known_from, known_until FROM stg_register__responsibilities WHERE person IS NOT NULL
),
arrivals AS (
    SELECT DISTINCT village, known_from FROM lines
),
cadres AS (
    -- the 包村干部 of each line's village in the register known when the line's form arrived
    SELECT DISTINCT a.village, a.known_from, r.person
    FROM arrivals a
    JOIN stg_register__responsibilities r
        ON r.village = a.village AND r.duty_type = '包村干部'
        AND r.known_from <= a.known_from AND (r.known_until IS NULL OR r.known_until > a.known_from)
),
failed AS (
    -- the lines whose form arrived when some register was known (any version with a person), signed
    -- by no 包村干部 of their village in it
    SELECT DISTINCT l.*
    FROM lines l
    SEMI JOIN (
        SELECT a.known_from FROM (SELECT DISTINCT known_from FROM arrivals) a
        JOIN versions v ON v.known_from <= a.known_from AND (v.known_until IS NULL OR v.known_until > a.known_from)
    ) k ON k.known_from = l.known_from
    ANTI JOIN cadres c ON c.village = l.village AND c.known_from = l.known_from AND c.person = l.signed
),
checked AS (
    -- with the 包村干部 the register named
    SELECT f.*, g.registered
    FROM failed f
    LEFT JOIN (
        SELECT c.village, c.known_from, string_agg(c.person, '、' ORDER BY c.person) AS registered
        FROM cadres c
        SEMI JOIN failed f ON f.village = c.village AND f.known_from = c.known_from
        GROUP BY c.village, c.known_from
    ) g ON g.village = f.village AND g.known_from = f.known_from
)
SELECT p.as_of, '包村干部不符' AS kind, c.township, c.village, c.problem_id, c.signed, c.registered, c.file_name, c.source_row,
    CASE WHEN c.registered IS NULL THEN c.village || '在名册中没有包村干部，表上签字为' || c.signed
         ELSE '表上包村干部签字为' || c.signed || '，名册中' || c.village || '的包村干部为' || c.registered END AS message
FROM checked c CROSS JOIN p
UNION ALL
SELECT p.as_of, '村无包村干部', v.township, v.village, NULL, NULL, NULL, NULL, NULL,
    v.township || v.village || '在责任人名册中没有包村干部'
FROM stg_config__villages v CROSS JOIN p
ANTI JOIN reg r ON r.township = v.township AND r.village = v.village AND r.duty_type = '包村干部'
WHERE v.confirmed AND EXISTS (SELECT 1 FROM reg)
UNION ALL
SELECT p.as_of, '乡镇无第一责任人', t.township, NULL, NULL, NULL, NULL, NULL, NULL,
    t.township || '在责任人名册中没有第一责任人'
FROM stg_config__townships t CROSS JOIN p
ANTI JOIN reg r ON r.township = t.township AND r.duty_type = '第一责任人'
WHERE EXISTS (SELECT 1 FROM reg)
ORDER BY kind, township, village, file_name, source_row
