-- Outcomes of transferred items (问责处理结果), append-only like the transfers.
-- unique: seq
-- not_null: seq, item_id, outcome, outcome_on, recorded_by, recorded_at
-- accepted_values: outcome = 谈话提醒, 批评教育, 通报批评, 诫勉, 党纪处分, 政务处分, 移送司法机关, 不予问责
SELECT seq, item_id, outcome, outcome_on, document_no, recorded_by, note, recorded_at
FROM accountability_outcomes
