-- The triage deadline of every tip (举报分拣期限), confidential ones included — the one rule the
-- office's queue (queries/read/triage.go, read by the portal's work queues) and the overdue sweep
-- (store/notify/sweep.go) read: a tip received on day d is due by d + portal.triage_days
-- (dim_parameters triage_days); it waits for triage while its status is the first one, 收到 (the
-- label table's tip_status received, dim_labels), and is overdue on every day after triage_due
-- while it waits. A view: it reads the portal's tips live, before any models run too.
-- materialized: view
-- unique: tip_id
-- not_null: tip_id, township, received_on, triage_due, waiting, confidential
SELECT t.tip_id, t.township, coalesce(t.confidential, false) AS confidential, t.received_on,
    CAST(t.received_on + p.triage_days AS DATE) AS triage_due,
    t.status = l.label AS waiting
FROM tips t
CROSS JOIN (SELECT CAST(num AS INTEGER) AS triage_days FROM dim_parameters WHERE key = 'triage_days') p
JOIN dim_labels l ON l.col = 'tip_status' AND l.code = 'received'
