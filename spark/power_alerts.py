"""The power rules (用电异常预警) of a landwatch Parquet export, on Spark.

    python spark/power_alerts.py IN OUT          # local mode, all cores of this machine
    spark-submit spark/power_alerts.py IN OUT    # on a cluster

IN is a directory written by `landwatch export parquet` (power_readings/day=…/, meters.parquet,
manifest.json with the county's parameters and as-of); OUT receives the alerts as Parquet, with the
columns of mart_power_alerts (check_result is NULL: field checks stay in the county's warehouse).
With --gaps DIR the silent meters (mart_power_gaps) are written too.

The SQL is the county's own: queries/intermediate/int_power_*.sql and the two power marts,
translated by spark/translate.py. Only the as-of of the export is computed (the series of earlier
dates exists for field checks, which the export does not carry).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import translate  # noqa: E402

ALERT_COLUMNS = ["alert_id", "meter_id", "township", "village", "customer_type", "rule", "first_day",
                 "last_day", "score", "check_result"]
# Models Spark computes once and keeps, as DuckDB builds them as tables: every model but the marts.
# Each is checkpointed, so that a later model's plan starts from its rows: as a view (or a cached
# view) its whole plan would be analysed again inside every plan that reads it, and the nesting of
# the power models makes that analysis, not the data, the cost of a run.
KEPT = {"stg_config__parameters", "agg_power_meter_days", "int_power_meter_days", "int_power_rule_days", "int_power_alerts",
        "int_power_alerts_checked"}


def session(app: str):
    from pyspark.sql import SparkSession
    b = SparkSession.builder.appName(app)
    if not os.environ.get("SPARK_MASTER") and "spark.master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        b = b.master(os.environ.get("LANDWATCH_SPARK_MASTER", "local[*]"))
        b = b.config("spark.ui.enabled", "false")  # local mode: no web UI (nor its port) to serve
    # readings are local wall-clock times without a zone, as in the county's warehouse
    b = (b.config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.timestampType", "TIMESTAMP_NTZ")
         .config("spark.sql.shuffle.partitions", os.environ.get("LANDWATCH_SPARK_PARTITIONS", "8"))
         .config("spark.ui.showConsoleProgress", "false"))
    s = b.getOrCreate()
    s.sparkContext.setLogLevel("ERROR")
    return s


def register_inputs(spark, src: str, manifest: dict) -> None:
    """The staging the power models read, from the export instead of the warehouse."""
    from pyspark.sql import types as T
    as_of = manifest["as_of"]
    rows = []
    for key, value in sorted(manifest["parameters"].items()):
        if isinstance(value, str):
            rows.append((key, None, value))
        else:
            rows.append((key, float(value), None))
    schema = T.StructType([T.StructField("key", T.StringType()), T.StructField("num", T.DoubleType()),
                           T.StructField("day_text", T.StringType())])
    spark.createDataFrame(rows, schema).createOrReplaceTempView("dim_parameters_text")
    spark.sql("CREATE OR REPLACE TEMP VIEW dim_parameters AS SELECT key, num, CAST(day_text AS DATE) AS day, "
              "CAST(NULL AS STRING) AS text FROM dim_parameters_text")
    # the configured customer types with their own thresholds (the built-in ones take the parameters)
    ct_schema = T.StructType([T.StructField("customer_type", T.StringType()), T.StructField("builtin", T.BooleanType()),
                              T.StructField("night_ratio", T.DoubleType()), T.StructField("night_min_kwh", T.DoubleType()),
                              T.StructField("surge_ratio", T.DoubleType()), T.StructField("surge_min_increase_kwh", T.DoubleType()),
                              T.StructField("sort_order", T.IntegerType())])
    ct_rows = [(c["customer_type"], False, float(c["night_ratio"]), float(c["night_min_kwh"]), float(c["surge_ratio"]),
                float(c["surge_min_increase_kwh"]), i + 1) for i, c in enumerate(manifest.get("customer_types") or [])]
    spark.createDataFrame(ct_rows, ct_schema).createOrReplaceTempView("dim_customer_types")
    spark.sql(f"CREATE OR REPLACE TEMP VIEW run_parameters AS SELECT CAST(0 AS BIGINT) AS run_id, DATE'{as_of}' AS as_of, "
              f"CAST(DATE'{as_of}' AS TIMESTAMP) AS started_at")
    readings = spark.read.parquet(os.path.join(src, "power_readings")).select("meter_id", "ts", "kwh")
    readings.createOrReplaceTempView("export_readings")
    # the export is one batch (0) that arrived by the end of the as-of: its readings are what
    # warehouse/aggregates/agg_power_meter_days.sql aggregates, as the warehouse does per batch.
    # That SQL groups the readings by their meter key and joins power_meter_keys for the 户号 after;
    # the export keeps the 户号 as text, so here each 户号 is its own key.
    spark.sql("CREATE OR REPLACE TEMP VIEW power_meter_keys AS SELECT DISTINCT meter_id AS meter_key, meter_id "
              "FROM export_readings")
    spark.sql("CREATE OR REPLACE TEMP VIEW raw_power_readings AS SELECT CAST(0 AS BIGINT) AS batch_id, "
              "meter_id AS meter_key, CAST(ts AS TIMESTAMP) AS ts, CAST(kwh AS DOUBLE) AS kwh FROM export_readings")
    spark.sql("CREATE OR REPLACE TEMP VIEW meter_day_batches AS SELECT CAST(0 AS BIGINT) AS batch_id")
    spark.sql(f"CREATE OR REPLACE TEMP VIEW stg_etl__batches AS SELECT CAST(0 AS BIGINT) AS batch_id, "
              f"CAST(DATE'{as_of}' AS TIMESTAMP) AS known_from")
    # every exported reading had arrived by the end of the as-of (the export keeps only those)
    spark.sql(f"CREATE OR REPLACE TEMP VIEW stg_power__readings AS SELECT meter_id, CAST(ts AS TIMESTAMP) AS ts, "
              f"CAST(kwh AS DOUBLE) AS kwh, CAST(DATE'{as_of}' AS TIMESTAMP) AS known_from FROM export_readings")
    spark.read.parquet(os.path.join(src, "meters.parquet")).createOrReplaceTempView("export_meters")
    spark.sql(f"CREATE OR REPLACE TEMP VIEW stg_power__meters AS SELECT meter_id, account, customer_type, township, "
              f"village, lon, lat, address, CAST(0 AS BIGINT) AS batch_id, CAST(0 AS INT) AS source_row, "
              f"CAST(DATE'{as_of}' AS TIMESTAMP) AS known_from, CAST(NULL AS TIMESTAMP) AS known_until FROM export_meters")
    # no field checks: check_result stays NULL
    spark.sql("CREATE OR REPLACE TEMP VIEW stg_power__checks AS SELECT CAST(NULL AS STRING) AS meter_id, "
              "CAST(NULL AS STRING) AS alert_id, CAST(NULL AS DATE) AS checked_on, CAST(NULL AS STRING) AS result, "
              "CAST(NULL AS BIGINT) AS batch_id, CAST(NULL AS INT) AS source_row, CAST(NULL AS TIMESTAMP) AS known_from, "
              "CAST(NULL AS TIMESTAMP) AS known_until WHERE false")
    # 终止供电 entries known by the end of the as-of, with the moment each was made
    # (power_cutoffs.parquet; an export without it, such as a synthetic province's readings, has none)
    cutoffs = os.path.join(src, "power_cutoffs.parquet")
    if os.path.exists(cutoffs):
        spark.read.parquet(cutoffs).createOrReplaceTempView("export_cutoffs")
        spark.sql("CREATE OR REPLACE TEMP VIEW stg_power__cutoffs AS SELECT meter_id, kind, cutoff_on, "
                  "CAST(known_from AS TIMESTAMP) AS known_from, CAST(NULL AS TIMESTAMP) AS known_until FROM export_cutoffs")
    else:
        spark.sql("CREATE OR REPLACE TEMP VIEW stg_power__cutoffs AS SELECT CAST(NULL AS STRING) AS meter_id, "
                  "CAST(NULL AS STRING) AS kind, CAST(NULL AS DATE) AS cutoff_on, CAST(NULL AS TIMESTAMP) AS known_from, "
                  "CAST(NULL AS TIMESTAMP) AS known_until WHERE false")
    # the as-of alone (is_run)
    spark.sql("CREATE OR REPLACE TEMP VIEW int_as_of_dates AS SELECT as_of, true AS is_run FROM run_parameters")


def build(spark, models: list[tuple[str, str]], log=sys.stderr) -> None:
    for name, sql in models:
        t0 = time.time()
        if name in KEPT:
            df = spark.sql(sql).localCheckpoint(eager=True)
            df.createOrReplaceTempView(name)
            print(f"  {name:32s} {df.count():12d} rows {time.time() - t0:7.1f}s", file=log)
        else:
            spark.sql(f"CREATE OR REPLACE TEMP VIEW {name} AS {sql}")
            print(f"  {name:32s} {'(view)':>12s}      {time.time() - t0:7.1f}s", file=log)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", metavar="IN", help="export directory (landwatch export parquet)")
    ap.add_argument("out", metavar="OUT", help="output directory for the alerts (Parquet)")
    ap.add_argument("--gaps", metavar="DIR", help="also write the silent meters (mart_power_gaps) here")
    args = ap.parse_args(argv)
    with open(os.path.join(args.src, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    if manifest.get("schema_version") != 1:
        print(f"导出格式版本 {manifest.get('schema_version')} 不受支持 (unsupported export schema)", file=sys.stderr)
        return 2
    if "parameters" not in manifest:
        print("导出清单缺少 parameters (the export's manifest has no parameters)", file=sys.stderr)
        return 2
    t0 = time.time()
    try:  # before Spark starts: a model the translation cannot carry stops the job at once, named
        models = translate.translate_all(manifest["parameters"])
    except translate.Untranslatable as e:
        print(f"用电模型无法翻译为 Spark SQL，作业未启动：{e}", file=sys.stderr)
        return 2
    spark = session("landwatch power alerts")
    register_inputs(spark, args.src, manifest)
    build(spark, models)
    alerts = spark.sql("SELECT " + ", ".join(ALERT_COLUMNS) + " FROM mart_power_alerts")
    t1 = time.time()
    alerts.coalesce(1).write.mode("overwrite").parquet(args.out)
    print(f"  {'write alerts':32s} {'':12s}      {time.time() - t1:7.1f}s", file=sys.stderr)
    n = spark.read.parquet(args.out).count()
    meta = {"county": manifest.get("county", ""), "as_of": manifest["as_of"], "engine": f"spark {spark.version}"}
    if "://" not in args.out:  # a local directory: say whose alerts these are, for `landwatch load power-alerts`
        with open(os.path.join(args.out, "_landwatch.json"), "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False)
    else:
        spark.createDataFrame([(json.dumps(meta, ensure_ascii=False),)], "value string").coalesce(1) \
            .write.mode("overwrite").text(args.out.rstrip("/") + "/_landwatch_meta")
    if args.gaps:
        spark.sql("SELECT * FROM mart_power_gaps").coalesce(1).write.mode("overwrite").parquet(args.gaps)
    took = time.time() - t0
    print(f"{manifest.get('county', '')} 截至 {manifest['as_of']}：{n} 条用电异常预警，写入 {args.out}，用时 {took:.1f} 秒",
          file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
