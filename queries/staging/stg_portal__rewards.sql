-- Approved rewards for verified tips.
-- unique: reward_id
-- not_null: reward_id, tip_id, amount_yuan, approved_on
SELECT reward_id, tip_id, severity, amount_yuan, approved_on FROM rewards
