"""Tests of the DuckDB → Spark SQL translation (spark/translate.py).

    .venv-spark/bin/python -m pytest spark    # scripts/spark-check creates the virtualenv

Every power model file is translated; the result holds none of the DuckDB forms the translation
rewrites, and, when PySpark is installed, Spark's parser accepts it. Not part of .ci/run: CI does
not depend on PySpark.
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
    assert ">= coalesce(any_value(th.night_min_kwh), 20)" in out and "coalesce(any_value(th.surge_ratio), 3) * min(d.kwh)" in out


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


def test_spark_parses_every_model():
    pyspark = pytest.importorskip("pyspark")  # noqa: F841
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    parser = spark._jsparkSession.sessionState().sqlParser()
    for name, sql in translate.translate_all(PARAMS):
        parser.parsePlan(sql)  # raises on a syntax error
