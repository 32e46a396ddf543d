package etl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestCaseStagesFile: a unit's stage file loads (names or full names of units, 判决 with 刑期 and
// 罚金); a stage another unit owns, an unknown stage, a case not loaded, a term on another stage and
// a repeated stage are refused by row and column, and nothing is loaded.
func TestCaseStagesFile(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindCases, fixture("案件.xlsx"))
	r := load(t, db, cfg, KindCaseStages, fixture("案件环节.csv"))
	if r.Rows != 3 {
		t.Fatalf("%d rows, want 3", r.Rows)
	}
	got := fmt.Sprint(rowsOf(t, db, `SELECT case_id, stage, CAST(stage_on AS VARCHAR), unit, coalesce(CAST(term_months AS VARCHAR), '-'),
		coalesce(CAST(fine_yuan AS VARCHAR), '-') FROM raw_case_stages ORDER BY source_row`))
	want := `[[AJ-2023-001 police_accepted 2023-03-20 公安 - -] [AJ-2023-001 police_filed 2023-03-22 公安 - -] [AJ-2023-001 judged 2023-06-20 法院 18 30000.00]]`
	if got != want {
		t.Errorf("rows\n got  %s\n want %s", got, want)
	}
	bad := writeFile(t, "stages.csv", "案件编号,环节,日期,单位,刑期\n"+
		"AJ-2023-001,立案侦查,2023-03-22,发改,\n"+
		"AJ-2023-001,结案,2023-03-22,公安,\n"+
		"AJ-2023-999,受案,2023-03-22,公安,\n"+
		"AJ-2023-002,立案,2023-03-25,自然资源,12\n"+
		"AJ-2023-002,立案,2023-03-26,自然资源,\n")
	batches := count(t, db, `SELECT count(*) FROM load_batches`)
	_, err := LoadFile(context.Background(), db, cfg, KindCaseStages, bad, Options{})
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	for _, w := range []string{
		"stages.csv 第2行 单位: “发改” 环节“立案侦查”由公安填报，不是发改",
		"stages.csv 第3行 环节: “结案” 不是配置中的环节",
		"stages.csv 第4行 案件编号: “AJ-2023-999” 不在已导入的案件台账中",
		"stages.csv 第5行 刑期: “12” 只有“判决”环节可以填写刑期和罚金",
		"stages.csv 第6行 环节: “立案” 同一案件的同一环节重复（第5行已有）"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%s", w, err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM load_batches`); n != batches {
		t.Errorf("a batch was recorded: %d → %d", batches, n)
	}
	if n := count(t, db, `SELECT count(*) FROM raw_case_stages`); n != 3 {
		t.Errorf("%d rows after the refused file, want 3", n)
	}
}
