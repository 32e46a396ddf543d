package power_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// alertsDir writes a directory as the Spark job leaves it: Parquet files made by DuckDB from a
// SELECT, and _landwatch.json.
func alertsDir(t *testing.T, meta, selectRows string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "alerts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db, _ := openDB(t)
	p := filepath.Join(dir, "part-00000.parquet")
	if _, err := db.Exec("COPY (" + selectRows + ") TO '" + strings.ReplaceAll(p, "'", "''") + "' (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	if meta != "" {
		if err := os.WriteFile(filepath.Join(dir, "_landwatch.json"), []byte(meta), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "_SUCCESS"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const goodAlerts = `SELECT * FROM (VALUES
	('M1-NOD-20230410', 'M1', '沁河镇', '东村', '洗煤厂', 'night_over_day', DATE '2023-04-10', DATE '2023-04-20', 512.5, NULL),
	('M2-CLM-20230301', 'M2', '郭道镇', '西村', '关闭矿井', 'closed_mine', DATE '2023-03-01', DATE '2023-03-02', 12.0, NULL))
	t(alert_id, meter_id, township, village, customer_type, rule, first_day, last_day, score, check_result)`

// TestLoadPowerAlerts: a directory of externally computed alerts loads as one batch into
// raw_external_power_alerts with its as-of and engine; the same directory again is a no-op; a
// directory without its _landwatch.json, with a column missing, of another county or with an
// unknown rule is refused, naming why, and loads nothing.
func TestLoadPowerAlerts(t *testing.T) {
	db, cfg := openDB(t)
	meta := `{"county": "` + cfg.County.Name + `", "as_of": "2023-04-30", "engine": "spark 4.1.0"}`
	dir := alertsDir(t, meta, goodAlerts)
	r := load(t, db, cfg, KindPowerAlerts, dir)
	if r.Rows != 2 || r.AlreadyLoaded {
		t.Fatalf("loaded %+v", r)
	}
	got := rowsOf(t, db, `SELECT strftime(as_of, '%Y-%m-%d'), engine, alert_id, rule, score, check_result IS NULL FROM raw_external_power_alerts ORDER BY source_row`)
	if len(got) != 2 || got[0][0] != "2023-04-30" || got[0][1] != "spark 4.1.0" || got[0][2] != "M1-NOD-20230410" || got[1][4] != "12" {
		t.Errorf("rows %v", got)
	}
	if kind := rowsOf(t, db, `SELECT kind, rows FROM load_batches WHERE batch_id = ?`, r.BatchID); kind[0][0] != "power-alerts" || kind[0][1] != "2" {
		t.Errorf("batch %v", kind)
	}
	if again := load(t, db, cfg, KindPowerAlerts, dir); !again.AlreadyLoaded || again.BatchID != r.BatchID {
		t.Errorf("loaded twice: %+v", again)
	}

	refused(t, db, cfg, KindPowerAlerts, alertsDir(t, "", goodAlerts), "没有 _landwatch.json")
	refused(t, db, cfg, KindPowerAlerts, alertsDir(t, meta, `SELECT alert_id, meter_id, rule FROM (`+goodAlerts+`)`),
		"township: 缺少列", "first_day: 缺少列", "score: 缺少列")
	refused(t, db, cfg, KindPowerAlerts, alertsDir(t, strings.Replace(meta, cfg.County.Name, "平遥县", 1), goodAlerts),
		"这是平遥县的预警")
	refused(t, db, cfg, KindPowerAlerts, alertsDir(t, meta, `SELECT * REPLACE ('night' AS rule) FROM (`+goodAlerts+`)`),
		"第1行", "规则 night")
	if n := count(t, db, `SELECT count(*) FROM raw_external_power_alerts`); n != 2 {
		t.Errorf("%d rows after the refused directories", n)
	}
}

// TestBrokenFilesChinese: a _landwatch.json that is not JSON, a Parquet alerts file and a Parquet
// readings file that are not Parquet are refused in Chinese words only — DuckDB's and
// encoding/json's English never reaches the person loading them.
func TestBrokenFilesChinese(t *testing.T) {
	db, cfg := openDB(t)
	english := regexp.MustCompile(`[A-Za-z]{3,} [A-Za-z]{2,}`)
	meta := `{"county": "` + cfg.County.Name + `", "as_of": "2023-04-30", "engine": "spark 4.1.0"}`
	check := func(fe *FileError, want string) {
		t.Helper()
		msg := fe.Error()
		if !strings.Contains(msg, want) {
			t.Errorf("want %q in:\n%s", want, msg)
		}
		if m := english.FindString(msg); m != "" {
			t.Errorf("English %q in:\n%s", m, msg)
		}
	}
	check(refused(t, db, cfg, KindPowerAlerts, alertsDir(t, `{"county": "x",`, goodAlerts)), "_landwatch.json 格式错误：不是有效的 JSON（第 ")
	check(refused(t, db, cfg, KindPowerAlerts, alertsDir(t, `{"county": 7}`, goodAlerts)), "字段 county 的类型不对")

	broken := alertsDir(t, meta, goodAlerts)
	if err := os.WriteFile(filepath.Join(broken, "part-00000.parquet"), []byte("PAR1 not really a parquet file"), 0o644); err != nil {
		t.Fatal(err)
	}
	check(refused(t, db, cfg, KindPowerAlerts, broken), "无法读取 Parquet 文件：文件内容不符合格式")

	readings := filepath.Join(t.TempDir(), "用电数据.parquet")
	if err := os.WriteFile(readings, []byte("PAR1 not really a parquet file"), 0o644); err != nil {
		t.Fatal(err)
	}
	check(refused(t, db, cfg, KindPower, readings), "不是有效的 Parquet 文件：文件内容不符合格式")
}
