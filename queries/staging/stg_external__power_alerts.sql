-- Power alerts computed outside the warehouse (the Spark job over a Parquet export) and loaded back,
-- with their batch's arrival. They are compared with mart_power_alerts (the test
-- external_power_alerts_agree) and never feed any figure.
-- not_null: batch_id, as_of, engine, alert_id, meter_id, rule, first_day, last_day, score, known_from
-- accepted_values: rule = night_over_day, surge, closed_mine
SELECT a.batch_id, a.source_row, a.as_of, a.engine, a.alert_id, a.meter_id, a.township, a.village,
    a.customer_type, a.rule, a.first_day, a.last_day, a.score, a.check_result, b.known_from
FROM raw_external_power_alerts a
JOIN stg_etl__batches b ON b.batch_id = a.batch_id
