"""Translate landwatch's power-rule models (DuckDB SQL, queries/) into Spark SQL.

The rules live in one place: the model files under queries/. This module is the one translation
from them to Spark SQL; spark/README.md lists every rewrite and why it is exact. It is plain text
work on those files, which use a small, known part of DuckDB's dialect:

1. comments are dropped (they may quote SQL);
2. the macros of queries/macros.sql (known_at …) are expanded in place;
3. a parameter read as a scalar subquery, ``(SELECT night_window_days - 1 FROM p)``, becomes its
   value, because Spark wants literal window-frame bounds (the values come from the export's
   manifest, which holds the county's dim_parameters);
4. a RANGE frame over a date, ``ORDER BY day RANGE BETWEEN 6 * INTERVAL 1 DAY PRECEDING …``, orders
   by the day number instead, ``ORDER BY unix_date(day) RANGE BETWEEN 6 PRECEDING …`` (the same
   rows: consecutive dates are consecutive day numbers);
5. ``median(x) OVER (…)`` becomes ``percentile(x, 0.5) OVER (…)``: Spark refuses median with a
   frame, percentile takes one and interpolates between the two middle values as DuckDB does;
6. the difference of two dates, which is a number of days in DuckDB and an interval in Spark,
   becomes ``datediff(a, b)``;
7. ``strftime(d, '%Y%m%d')`` becomes ``date_format(d, 'yyyyMMdd')``;
8. ``arg_max(a, v)`` becomes ``max_by(a, CASE WHEN (a) IS NOT NULL THEN v END)``: DuckDB's arg_max
   skips the rows whose a or v is NULL, Spark's max_by only those whose v is NULL (it returns a NULL
   a of the row with the largest v); ties of v are broken in the models themselves (a later part of
   v), because DuckDB keeps the first row of a tie and Spark the last;
9. ``any_value(x)`` becomes ``any_value(x, true)``: DuckDB's any_value skips NULLs, Spark's only
   when asked to.

Every function a model calls (after the macros are expanded) is either rewritten above (REWRITTEN)
or listed in SAME_IN_SPARK, with why it means the same on both engines; a call of any other
function is refused with its name (``Untranslatable``), so the job stops at its start, and
spark/test_translate.py fails, instead of Spark failing half-way or, worse, computing something
else. Everything else in those files (QUALIFY, FILTER, named windows, ``||``, date ± integer) is
Spark SQL as it is. A construct the translation does not know is refused (``Untranslatable``),
never passed through silently.
"""

from __future__ import annotations

import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUERIES = os.path.join(ROOT, "queries")

# The power models in build order, and the staging model that types the parameters.
POWER_MODELS = [
    "staging/stg_config__parameters.sql",
    "staging/stg_config__customer_types.sql",
    "../warehouse/aggregates/agg_power_meter_days.sql",  # kept by the warehouse per load batch
    "intermediate/int_power_meter_days.sql",
    "intermediate/int_power_rule_days.sql",
    "intermediate/int_power_alerts.sql",
    "intermediate/int_power_alerts_checked.sql",
    "marts/mart_power_alerts.sql",
    "marts/mart_power_gaps.sql",
]

# Columns that hold dates in those models: a difference of two of them is a number of days.
DATE_COLUMNS = {"day", "as_of", "op_day", "prev_day", "next_day", "first_day", "last_day",
                "last_reading_on", "checked_on"}

# DuckDB constructs none of the rewrites handles; finding one is an error. (Functions are checked
# by name against REWRITTEN and SAME_IN_SPARK: unnest, generate_series, list_* … are refused there.)
UNSUPPORTED = [r"\bEXCLUDE\s*\(", r"\bREPLACE\s*\(\s*\w[^()]*\bAS\b", r"::"]

# The functions the translation rewrites (the numbered steps above).
REWRITTEN = {
    "median": "percentile(x, 0.5) OVER (…) (step 5; median outside a window is refused)",
    "strftime": "date_format(d, 'yyyyMMdd') (step 7; another format is refused)",
    "arg_max": "max_by(a, CASE WHEN (a) IS NOT NULL THEN v END) (step 8)",
    "any_value": "any_value(x, true) (step 9)",
}

# Functions the models call that Spark has with the same meaning, as the models call them (checked
# there: a new use of one of these with another meaning needs a look, not only a new name here).
SAME_IN_SPARK = {
    "avg": "mean of the non-NULL values; NULL for none",
    "cast": "CAST(x AS DATE | TIMESTAMP | INTEGER); the models cast to INTEGER only whole numbers "
            "(integer parameters, day counts): a fractional DOUBLE would round half to even in DuckDB and "
            "truncate in Spark",
    "coalesce": "the first non-NULL argument",
    "count": "count(*) rows, count(x) non-NULL values",
    "hour": "the hour 0–23 of a timestamp without a zone (the session's timestampType is TIMESTAMP_NTZ)",
    "lag": "lag(x) OVER w: the previous row's x, NULL for the first",
    "lead": "lead(x) OVER w: the next row's x, NULL for the last",
    "least": "the smallest argument, NULLs skipped, on both",
    "max": "largest non-NULL value (also with FILTER and OVER)",
    "min": "smallest non-NULL value (also with FILTER and OVER)",
    "round": "round(x, n) half away from zero on both (Spark rounds the double's shortest decimal form, "
             "DuckDB x·10ⁿ: the same for the scores' tenths; the round trip compares them)",
    "row_number": "1, 2, … in the window's order",
    "sum": "sum of the non-NULL values; NULL for none (also with FILTER and OVER)",
}

# Words followed by '(' that are not function calls.
KEYWORDS = {"all", "and", "any", "as", "between", "by", "case", "distinct", "else", "except", "exists",
            "filter", "from", "having", "in", "intersect", "interval", "is", "join", "lateral", "like",
            "not", "on", "or", "over", "qualify", "select", "some", "then", "union", "using", "values",
            "when", "where", "with"}


class Untranslatable(ValueError):
    """A construct the translation does not handle."""


def read_model(rel: str) -> str:
    with open(os.path.join(QUERIES, rel), encoding="utf-8") as f:
        return f.read()


def model_name(rel: str) -> str:
    return os.path.splitext(os.path.basename(rel))[0]


def strip_comments(sql: str) -> str:
    out = []
    for line in sql.splitlines():
        # the models have no '--' inside string literals
        code, _, _ = line.partition("--")
        if code.strip():
            out.append(code.rstrip())
    return "\n".join(out)


def _balanced(text: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at open_at."""
    depth = 0
    quote = False
    for i in range(open_at, len(text)):
        c = text[i]
        if c == "'":
            quote = not quote
        elif quote:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    raise Untranslatable("unbalanced parentheses")


def _split_args(text: str) -> list[str]:
    args, depth, start, quote = [], 0, 0, False
    for i, c in enumerate(text):
        if c == "'":
            quote = not quote
        elif quote:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "," and depth == 0:
            args.append(text[start:i].strip())
            start = i + 1
    args.append(text[start:].strip())
    return args


def read_macros(path: str | None = None) -> dict[str, tuple[list[str], str]]:
    """The macros of queries/macros.sql: name → (parameters, body)."""
    text = strip_comments(open(path or os.path.join(QUERIES, "macros.sql"), encoding="utf-8").read())
    macros = {}
    for m in re.finditer(r"CREATE\s+OR\s+REPLACE\s+MACRO\s+(\w+)\s*\(([^)]*)\)\s+AS\s+(.*?);", text, re.S | re.I):
        params = [p.strip() for p in m.group(2).split(",") if p.strip()]
        macros[m.group(1).lower()] = (params, m.group(3).strip())
    return macros


def expand_macros(sql: str, macros: dict[str, tuple[list[str], str]]) -> str:
    for _ in range(10):  # macros may use macros
        changed = False
        for name, (params, body) in macros.items():
            pat = re.compile(r"\b" + name + r"\s*\(", re.I)
            while True:
                m = pat.search(sql)
                if not m:
                    break
                close = _balanced(sql, m.end() - 1)
                args = _split_args(sql[m.end():close])
                if len(args) != len(params):
                    raise Untranslatable(f"macro {name} takes {len(params)} arguments, got {len(args)}")
                expanded = body
                for p, a in zip(params, args):
                    expanded = re.sub(r"\b" + re.escape(p) + r"\b", "(" + a + ")", expanded)
                sql = sql[:m.start()] + "(" + expanded + ")" + sql[close + 1:]
                changed = True
        if not changed:
            return sql
    raise Untranslatable("macros nest too deeply")


def _literal(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, float):
        return repr(v) + "D"  # a DOUBLE, as dim_parameters holds it (a bare 1.5 is a DECIMAL in Spark)
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


def inline_parameters(sql: str, params: dict) -> str:
    """(SELECT <arithmetic over parameter names> FROM p) → its value."""
    def repl(m):
        expr = m.group(1)
        if not re.fullmatch(r"[\w\s+\-*/().]+", expr):
            raise Untranslatable(f"parameter expression {expr!r}")
        names = set(re.findall(r"[A-Za-z_]\w*", expr))
        missing = names - set(params)
        if missing:
            raise Untranslatable(f"no parameter {sorted(missing)} for {expr!r}")
        value = eval(expr, {"__builtins__": {}}, {k: params[k] for k in names})  # arithmetic only
        return _literal(value)
    return re.sub(r"\(\s*SELECT\s+([^()]*?)\s+FROM\s+p\s*\)", repl, sql, flags=re.I)


def _rewrite_windows(sql: str) -> str:
    """RANGE frames over a date: order by its day number, bounds in days."""
    out, pos = [], 0
    for m in re.finditer(r"\bOVER\s*\(|\bWINDOW\s+\w+\s+AS\s*\(", sql, re.I):
        if m.start() < pos:
            continue
        close = _balanced(sql, m.end() - 1)
        spec = sql[m.end():close]
        if re.search(r"\bRANGE\b", spec, re.I) and re.search(r"INTERVAL\s+1\s+DAY", spec, re.I):
            order = re.search(r"\bORDER\s+BY\s+(.*?)\s+RANGE\b", spec, re.I | re.S)
            if not order or "," in order.group(1):
                raise Untranslatable("RANGE frame over a date needs one ORDER BY key: " + spec)
            spec = spec[:order.start(1)] + "unix_date(" + order.group(1) + ")" + spec[order.end(1):]
            spec = re.sub(r"(\d+)\s*\*\s*INTERVAL\s+1\s+DAY", r"\1", spec, flags=re.I)
            if re.search(r"INTERVAL", spec, re.I):
                raise Untranslatable("frame bound is not a whole number of days: " + spec)
        out.append(sql[pos:m.end()] + spec + ")")
        pos = close + 1
    out.append(sql[pos:])
    return "".join(out)


_DATE_TERM = r"(?:(?:lag|lead)\s*\(\s*(?:\w+\.)?(?:{cols})\s*\)\s+OVER\s+\w+|(?:\w+\.)?(?:{cols}))".format(
    cols="|".join(sorted(DATE_COLUMNS)))


def _date_differences(sql: str) -> str:
    pat = re.compile(r"(?<![\w.])(" + _DATE_TERM + r")\s+-\s+(" + _DATE_TERM + r")(?![\w(])", re.I)
    return pat.sub(lambda m: f"datediff({m.group(1)}, {m.group(2)})", sql)


def translate(sql: str, params: dict, macros: dict | None = None) -> str:
    """One model's DuckDB SQL → Spark SQL, with the parameters' values inlined where Spark needs
    literals. params maps dim_parameters keys (and the derived night_hours …) to values."""
    sql = strip_comments(sql)
    for pat in UNSUPPORTED:
        if re.search(pat, sql, re.I):
            raise Untranslatable("unsupported DuckDB construct " + pat)
    sql = expand_macros(sql, macros if macros is not None else read_macros())
    unknown = sorted(set(functions_called(sql)) - set(REWRITTEN) - set(SAME_IN_SPARK))
    if unknown:
        raise Untranslatable("DuckDB 函数 " + "、".join(f + "()" for f in unknown)
                             + " 没有 Spark 翻译：spark/translate.py 既不改写它，也没有把它列为两边含义相同 (SAME_IN_SPARK)")
    sql = inline_parameters(sql, params)
    sql = _rewrite_windows(sql)
    sql = re.sub(r"\bmedian\s*\(([^()]*)\)\s+OVER\b", r"percentile(\1, 0.5) OVER", sql, flags=re.I)
    if re.search(r"\bmedian\s*\(", sql, re.I):
        raise Untranslatable("median outside a window")
    sql = _date_differences(sql)
    sql = re.sub(r"\bstrftime\s*\(([^()]*(?:\([^()]*\))?[^()]*?),\s*'%Y%m%d'\s*\)", r"date_format(\1, 'yyyyMMdd')", sql,
                 flags=re.I)
    if re.search(r"\bstrftime\s*\(", sql, re.I):
        raise Untranslatable("strftime with a format other than %Y%m%d")
    sql = _rewrite_calls(sql, "arg_max", lambda a: f"max_by({a[0]}, CASE WHEN ({a[0]}) IS NOT NULL THEN {a[1]} END)", 2)
    sql = _rewrite_calls(sql, "any_value", lambda a: f"any_value({a[0]}, true)", 1)
    return sql.strip().rstrip(";")


def _strip_literals(sql: str) -> str:
    """The SQL with string literals and quoted names emptied (they may hold anything)."""
    return re.sub(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", "''", sql)


def functions_called(sql: str) -> list[str]:
    """The functions a query calls, lower case, in order of appearance (with repeats): every name
    followed by '(', except SQL keywords and the names the query defines there — a CTE with its
    columns, name(a, b) AS (…). (A CTE or a named window without columns, name AS (…), and every use
    of one, has no '(' after its name.)"""
    sql = _strip_literals(sql)
    calls = []
    for m in re.finditer(r"(?<![\w.])([A-Za-z_]\w*)\s*\(", sql):
        name = m.group(1).lower()
        if name in KEYWORDS:
            continue
        close = _balanced(sql, m.end() - 1)
        if re.match(r"\s*AS\s*\(", sql[close + 1:], re.I):
            continue  # name(columns) AS (…): a CTE
        calls.append(name)
    return calls


def _rewrite_calls(sql: str, name: str, make, nargs: int) -> str:
    """Every call name(args) → make(args), innermost first; nargs arguments or Untranslatable."""
    pat = re.compile(r"(?<![\w.])" + name + r"\s*\(", re.I)
    # last call first: a rewrite changes the text after its start only, so the earlier calls'
    # starts hold, and an outer call is rewritten with its inner ones already done
    for m in reversed(list(pat.finditer(sql))):
        close = _balanced(sql, m.end() - 1)
        args = _split_args(sql[m.end():close])
        if len(args) != nargs:
            raise Untranslatable(f"{name} with {len(args)} arguments (the translation knows {nargs})")
        sql = sql[:m.start()] + make(args) + sql[close + 1:]
    return sql


def translate_all(params: dict) -> list[tuple[str, str]]:
    """Every power model, (name, Spark SQL), in build order."""
    macros = read_macros()
    out = []
    for rel in POWER_MODELS:
        try:
            out.append((model_name(rel), translate(read_model(rel), params, macros)))
        except Untranslatable as e:
            raise Untranslatable(f"queries/{rel}: {e}") from None
    return out


if __name__ == "__main__":  # print the translation with the default parameters
    import json
    import sys
    defaults = {"night_start_hour": 22, "night_end_hour": 6, "night_ratio": 1.5, "night_min_kwh": 20,
                "night_min_days": 3, "night_window_days": 7, "surge_ratio": 3, "surge_window_days": 7,
                "surge_baseline_days": 28, "surge_min_increase_kwh": 50, "closed_mine_min_kwh": 0,
                "silent_days": 3}
    if len(sys.argv) > 1:
        with open(sys.argv[1], encoding="utf-8") as f:
            defaults = json.load(f)["parameters"]
    for name, text in translate_all(defaults):
        print(f"-- {name}\n{text};\n")
