"""Tests of the DuckDB → Spark SQL translation (spark/translate.py).

    .venv-spark/bin/python -m pytest spark    # .ci/install creates the virtualenv (spark/requirements.txt)

Every power model file is translated; every function it calls is one the translation rewrites or
knows to mean the same in Spark; the result holds none of the DuckDB forms the translation
rewrites; Spark's parser accepts it, and the rewritten functions give DuckDB's answers on Spark.
.ci/run runs these tests.
"""

import os
import re

import pytest

import translate

PARAMS = {"night_start_hour": 22.0, "night_end_hour": 6.0, "night_ratio": 1.5, "night_min_kwh": 20.0,
          "night_min_days": 3.0, "night_window_days": 7.0, "surge_ratio": 3.0, "surge_window_days": 7.0,
          "surge_baseline_days": 28.0, "surge_min_increase_kwh": 50.0, "closed_mine_min_kwh": 0.0,
          "silent_days": 3.0}


def test_every_power_model_is_listed():
    files = {os.path.relpath(os.path.join(d, f), translate.QUERIES)
             for d, _, fs in os.walk(translate.QUERIES) for f in fs
             if re.match(r"(int|mart)_power_.*\.sql$", f)}
    assert files <= set(translate.POWER_MODELS), files - set(translate.POWER_MODELS)


def test_every_function_is_known():
    """Every function the power models call (macros expanded) is rewritten or the same in Spark."""
    macros = translate.read_macros()
    known = set(translate.REWRITTEN) | set(translate.SAME_IN_SPARK)
    unknown = []
    for rel in translate.POWER_MODELS:
        sql = translate.expand_macros(translate.strip_comments(translate.read_model(rel)), macros)
        called = set(translate.functions_called(sql))
        assert called, rel  # the walk finds calls at all
        unknown += [f"queries/{rel}: {f}()" for f in sorted(called - known)]
    assert not unknown, "DuckDB functions with no Spark translation: " + ", ".join(unknown)


def test_functions_called():
    sql = """WITH p AS (SELECT 1 AS x), runs(a, b) AS (SELECT 1, 2)
    SELECT sum(x) FILTER (WHERE x IN (1, 2)) OVER w, 'list_sum(' || "odd(" AS s, coalesce(a, (b))
    FROM p JOIN (SELECT * FROM runs) r ON (r.a = p.x) AND NOT (r.b > 1) AND EXISTS (SELECT 1)
    WHERE x > CASE WHEN a > 0 THEN (1) ELSE (2) END
    UNION ALL (SELECT list_sum([1]))
    WINDOW w AS (ORDER BY x RANGE BETWEEN INTERVAL (1) DAY PRECEDING AND CURRENT ROW)"""
    assert translate.functions_called(sql) == ["sum", "coalesce", "list_sum"]
    # a CTE's name is no function, a call of a function of the same name is one
    assert translate.functions_called("WITH last AS (SELECT 1) SELECT last(x) FROM last") == ["last"]


@pytest.mark.parametrize("call", ["list_sum(l)", "greatest_common_divisor(a, b)", "arg_min(a, b)",
                                  "unnest(l)", "date_trunc('week', d)", "MEDIAN_ABSOLUTE_DEVIATION(x)"])
def test_unknown_function_is_refused_by_name(call):
    name = call.split("(")[0].lower()
    with pytest.raises(translate.Untranslatable, match=re.escape(name + "()")):
        translate.translate(f"WITH q AS (SELECT * FROM t) SELECT {call} FROM q", PARAMS)


def test_arg_max_and_any_value_rewrites():
    out = translate.translate(translate.read_model("intermediate/int_power_rule_days.sql"), PARAMS)
    assert not re.search(r"\barg_max\s*\(", out, re.I)
    assert "max_by(c.cutoff_on, CASE WHEN (c.cutoff_on) IS NOT NULL THEN (c.known_from, c.cutoff_on) END)" in out
    assert translate.translate("SELECT coalesce(any_value(th.night_min_kwh), 20) FROM th", PARAMS) == \
        "SELECT coalesce(any_value(th.night_min_kwh, true), 20) FROM th"
    mart = translate.translate(translate.read_model("marts/mart_power_alerts.sql"), PARAMS)
    assert "max_by(c.cutoff_on, CASE WHEN (c.cutoff_on) IS NOT NULL THEN (c.known_from, c.cutoff_on) END) " \
           "FILTER (WHERE c.kind = 'done')" in mart
    nested = translate.translate("SELECT arg_max(coalesce(a, 1), v) + arg_max(b, (v, b)) FROM t", PARAMS)
    assert nested == ("SELECT max_by(coalesce(a, 1), CASE WHEN (coalesce(a, 1)) IS NOT NULL THEN v END)"
                      " + max_by(b, CASE WHEN (b) IS NOT NULL THEN (v, b) END) FROM t")
    with pytest.raises(translate.Untranslatable, match="arg_max with 3"):
        translate.translate("SELECT arg_max(a, v, 2) FROM t", PARAMS)


@pytest.mark.parametrize("rel", translate.POWER_MODELS)
def test_translates(rel):
    out = translate.translate(translate.read_model(rel), PARAMS)
    assert "--" not in out
    assert not re.search(r"\bmedian\s*\(", out, re.I)
    assert not re.search(r"\bstrftime\b", out, re.I)
    assert not re.search(r"\bknown_at\s*\(", out, re.I)
    assert not re.search(r"\(\s*SELECT\s+\w[^()]*FROM\s+p\s*\)", out, re.I), "a parameter subquery is left"
    for frame in re.findall(r"RANGE\s+BETWEEN.*?(?:PRECEDING|FOLLOWING|ROW)\s*\)", out, re.I | re.S):
        assert "INTERVAL" not in frame.upper()


def test_rule_days_rewrites():
    out = translate.translate(translate.read_model("intermediate/int_power_rule_days.sql"), PARAMS)
    assert "ORDER BY unix_date(d.day)" in out
    assert "RANGE BETWEEN 34 PRECEDING" in out and "AND 7 PRECEDING" in out  # 7 + 28 − 1 … 7
    assert "RANGE BETWEEN CURRENT ROW AND 6 FOLLOWING" in out
    assert "percentile(d.kwh, 0.5) OVER base" in out
    # the thresholds of the meter's customer type, else the parameters
    assert ">= coalesce(s.th_night_min_kwh, p.night_min_kwh)" in out
    assert "coalesce(s.th_surge_ratio, p.surge_ratio) * s.min_kwh" in out


def test_alerts_rewrites():
    out = translate.translate(translate.read_model("intermediate/int_power_alerts.sql"), PARAMS)
    assert "datediff(d.day, lag(d.day) OVER w) < p.alert_gap_days" in out
    assert "date_format(min(day), 'yyyyMMdd')" in out
    gaps = translate.translate(translate.read_model("marts/mart_power_gaps.sql"), PARAMS)
    assert "CAST(datediff(h.day, l.last_reading_on) AS INTEGER)" in gaps
    assert "datediff(h.day, l.last_reading_on) > p.silent_days" in gaps


def test_macros_expand():
    macros = translate.read_macros()
    assert "known_at" in macros
    out = translate.expand_macros("WHERE known_at(m.known_from, m.known_until, d.as_of)", macros)
    assert "(m.known_from) < CAST((d.as_of) AS TIMESTAMP) + INTERVAL 1 DAY" in out
    assert "(m.known_until) IS NULL" in out


def test_parameters_inline_as_doubles():
    out = translate.inline_parameters("x >= (SELECT night_ratio FROM p) AND y > (SELECT surge_window_days - 1 FROM p)", PARAMS)
    assert out == "x >= 1.5D AND y > 6"
    with pytest.raises(translate.Untranslatable):
        translate.inline_parameters("(SELECT unknown_key FROM p)", PARAMS)


@pytest.mark.parametrize("sql", [
    "SELECT unnest(generate_series(1, 3))",
    "SELECT * EXCLUDE (a) FROM t",
    "SELECT x::INTEGER FROM t",
    "SELECT strftime(d, '%Y-%m') FROM t",
    "SELECT median(x) FROM t",
    "SELECT sum(x) OVER (ORDER BY a, b RANGE BETWEEN 1 * INTERVAL 1 DAY PRECEDING AND CURRENT ROW) FROM t",
])
def test_unknown_forms_are_refused(sql):
    with pytest.raises(translate.Untranslatable):
        translate.translate(sql, PARAMS)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession  # spark/requirements.txt: the tests need PySpark, never skip
    s = (SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "1").config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.sql.timestampType", "TIMESTAMP_NTZ").getOrCreate())
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def test_spark_parses_every_model(spark):
    parser = spark._jsparkSession.sessionState().sqlParser()
    for name, sql in translate.translate_all(PARAMS):
        parser.parsePlan(sql)  # raises on a syntax error


def test_rewritten_functions_give_duckdbs_answers(spark):
    """The rewrites on Spark against DuckDB's answers for the same rows, as DuckDB 1.5.6 gives them
    (`landwatch sql` on these rows): arg_max skips the rows whose argument or value is NULL and keeps
    the first row of a tie; any_value returns a non-NULL value if there is one."""
    rows = [("a", 1, "2023-04-01", "2023-04-01 10:00:00", None),   # g a: the largest v has a NULL day
            ("a", 2, None, "2023-04-03 10:00:00", 5.0),
            ("a", 3, "2023-04-02", None, None),                   # NULL v: skipped
            ("b", 4, "2023-04-05", "2023-04-05 09:00:00", None),   # g b: a tie of v, broken by the day
            ("b", 5, "2023-04-07", "2023-04-05 09:00:00", None),
            ("b", 6, "2023-04-06", "2023-04-05 09:00:00", None),
            ("c", 7, None, None, None)]                           # g c: nothing to pick
    spark.createDataFrame(rows, "g string, n int, day string, at string, x double").selectExpr(
        "g", "n", "CAST(day AS DATE) AS day", "CAST(at AS TIMESTAMP) AS at", "x").createOrReplaceTempView("t")
    def run(duckdb_sql):
        out = spark.sql(translate.translate(duckdb_sql, PARAMS)).collect()
        return [tuple(None if v is None else str(v) for v in r) for r in out]
    assert run("""SELECT g, arg_max(day, at), any_value(x), arg_max(n, at) FILTER (WHERE n < 4)
        FROM t WHERE g <> 'b' GROUP BY g ORDER BY g""") == [("a", "2023-04-01", "5.0", "2"), ("c", None, None, None)]
    # a tie of v: the models break it by a later part of v, here the day itself (parts never NULL:
    # inside a row a NULL sorts last in DuckDB, first in Spark)
    assert run("SELECT g, arg_max(day, (at, day)) FROM t WHERE at IS NOT NULL GROUP BY g ORDER BY g") == [
        ("a", "2023-04-01"), ("b", "2023-04-07")]
