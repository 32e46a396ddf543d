package etl

import (
	"context"
	"fmt"
	"testing"
)

// TestPeriodForm: a township's form of the 2024 常态化 period loads; its 3月5日 takes the form's
// own year.
func TestPeriodForm(t *testing.T) {
	db, cfg := openDB(t)
	path := writeFile(t, "郭道镇2024一季度排查表.csv", "沁源县常态化排查整治问题清单\n郭道镇人民政府（盖章）,,,,2024年3月10日\n"+
		"序号,村,排查详细地址,发现隐患,排查日期\n1,郭道村,村北,露头煤区盗采痕迹,3月5日\n")
	r, err := LoadFile(context.Background(), db, cfg, KindInspection, path, Options{LoadedBy: "test", ReceivedAt: at(t, "2024-03-12")})
	if err != nil {
		t.Fatalf("a 2024 form: %v", err)
	}
	got := fmt.Sprint(rowsOf(t, db, `SELECT problem_id, CAST(form_date AS VARCHAR), CAST(inspected_on AS VARCHAR) FROM raw_inspections WHERE batch_id = ?`, r.BatchID))
	if want := "[[郭道镇-20240310-1 2024-03-10 2024-03-05]]"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestDateOutsidePeriods: a date outside every phase and period is refused naming file, row and
// column; a form line dated so is refused on its line.
func TestDateOutsidePeriods(t *testing.T) {
	db, cfg := openDB(t)
	refused(t, db, cfg, KindPatrol, writeFile(t, "巡查记录.csv", "乡镇,巡查日期,巡查人员\n郭道镇,2023-03-02,张三\n郭道镇,1999-03-05,李四\n"),
		"巡查记录.csv 第3行 巡查日期: “1999-03-05” 不在专项行动的阶段或常态化周期内（2023-01-01至2024-03-31）")
	refused(t, db, cfg, KindInspection, writeFile(t, "表.csv", "郭道镇人民政府（盖章）,,,2024年5月10日\n序号,村,发现隐患\n1,郭道村,无\n"),
		"表.csv 第1行 填报日期: “2024年5月10日” 不在专项行动的阶段或常态化周期内")
}

// TestDateWithoutYear: without a form date, 3月5日 is in the year the file arrived when that is a
// day of the campaign on or before the arrival, else in the campaign year.
func TestDateWithoutYear(t *testing.T) {
	for _, c := range []struct{ received, want string }{
		{"2024-03-20", "2024-03-05"}, // the 2024 period
		{"2023-06-01", "2023-03-05"},
		{"2024-03-01", "2023-03-05"}, // 2024-03-05 had not come yet when the file arrived
	} {
		db, cfg := openDB(t)
		path := writeFile(t, "clues.csv", "线索编号,来源,乡镇,发现日期,核查结果\nXS-1,媒体曝光,郭道镇,3月5日,属实\n")
		if _, err := LoadFile(context.Background(), db, cfg, KindClues, path, Options{LoadedBy: "test", ReceivedAt: at(t, c.received)}); err != nil {
			t.Fatalf("received %s: %v", c.received, err)
		}
		if got := fmt.Sprint(rowsOf(t, db, `SELECT CAST(found_on AS VARCHAR) FROM raw_clues`)); got != "[["+c.want+"]]" {
			t.Errorf("received %s: found_on %s, want %s", c.received, got, c.want)
		}
	}
}

// TestConfiguredCustomerTypes: the registry accepts the configured customer types (非煤矿山,
// 危化企业) besides the built-in ones, and names them all when a type is unknown.
func TestConfiguredCustomerTypes(t *testing.T) {
	db, cfg := openDB(t)
	r := load(t, db, cfg, KindMeters, writeFile(t, "meters.csv", "户号,用电类别,乡镇\n1430000301,非煤矿山,郭道镇\n1430000302,危化企业,郭道镇\n"))
	if r.Rows != 2 {
		t.Errorf("rows %d, want 2", r.Rows)
	}
	refused(t, db, cfg, KindMeters, writeFile(t, "meters-bad.csv", "户号,用电类别,乡镇\n1430000303,加油站,郭道镇\n"),
		"meters-bad.csv 第2行 用电类别: “加油站” 应为居民/小工厂/养殖场/洗煤厂/焦化厂/煤矿/关闭矿井/其他/非煤矿山/危化企业之一")
}

// TestCaseIn2024: a case found and filed in the 2024 常态化 period loads like one of the campaign; the
// same file with a case dated 1999 is refused whole, naming the file, row and column.
func TestCaseIn2024(t *testing.T) {
	db, cfg := openDB(t)
	path := writeFile(t, "案件台账-2024.csv", "案件编号,线索来源,乡镇,发现日期,立案日期\nAJ-2024-001,巡查,郭道镇,2024-02-10,2024-02-12\n")
	if _, err := LoadFile(context.Background(), db, cfg, KindCases, path, Options{LoadedBy: "test", ReceivedAt: at(t, "2024-02-20")}); err != nil {
		t.Fatalf("a 2024 case: %v", err)
	}
	if got := rowsOf(t, db, `SELECT case_id, CAST(found_on AS VARCHAR), CAST(filed_on AS VARCHAR) FROM raw_cases`); fmt.Sprint(got) != "[[AJ-2024-001 2024-02-10 2024-02-12]]" {
		t.Fatalf("stored %v", got)
	}
	fresh, cfg := openDB(t) // refused checks that no table holds a row
	refused(t, fresh, cfg, KindCases, writeFile(t, "案件台账-旧.csv", "案件编号,线索来源,乡镇,发现日期\nAJ-2024-002,巡查,郭道镇,2024-02-11\nAJ-1999-001,巡查,郭道镇,1999-03-05\n"),
		"案件台账-旧.csv 第3行 发现日期: “1999-03-05” 不在专项行动的阶段或常态化周期内")
}
