-- Reward payouts recorded by finance.
-- unique: payout_id
-- not_null: payout_id, reward_id, amount_yuan, paid_on
SELECT payout_id, reward_id, amount_yuan, paid_on FROM payouts
