-- Frozen dates (models freeze): when each was frozen, by whom, and the snapshot's hash.
-- unique: as_of
-- not_null: as_of, frozen_at, frozen_by, sha256
SELECT as_of, frozen_at, frozen_by, sha256, scorecards, violations, ledger FROM freezes
