-- Field checks of the clues of channels 民爆流向 (a flow, checked by 公安) and 视频监控 (a camera
-- event, checked by its township), entered on the console (clue_check_entries, append-only, known
-- from entered_at).
-- not_null: channel, item_id, checked_on, result, known_from
-- accepted_values: channel = 民爆流向, 视频监控
-- accepted_values: result = 属实, 不属实, 无法核实
SELECT channel, item_id, checked_on, result, note, entered_by, unit, entered_at AS known_from, CAST(NULL AS TIMESTAMP) AS known_until
FROM clue_check_entries
