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
		"AJ-2023-001,归档,2023-03-22,公安,\n"+
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
		"stages.csv 第3行 环节: “归档” 不是配置中的环节",
		"stages.csv 第4行 案件编号: “AJ-2023-999” 不在已导入的案件台账中",
		"stages.csv 第5行 刑期: “12” 只有“判决”环节可以填写刑期",
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
	// 自然资源's administrative closure: 处罚决定 with its 文号 and 罚款, 执行完毕, 结案; a 文号 or an
	// amount on another stage is refused by row and column.
	bad = writeFile(t, "closure.csv", "案件编号,环节,日期,单位,决定文号,罚款金额\n"+
		"AJ-2023-002,立案,2023-03-25,自然资源,沁自然资罚〔2023〕7号,\n"+
		"AJ-2023-002,执行完毕,2023-04-20,自然资源,,65000\n")
	_, err = LoadFile(context.Background(), db, cfg, KindCaseStages, bad, Options{})
	for _, w := range []string{"closure.csv 第2行 决定文号: “沁自然资罚〔2023〕7号” 只有“处罚决定”环节可以填写决定文号",
		"closure.csv 第3行 罚金: “65000” 只有“处罚决定”（罚款）和“判决”（罚金）环节可以填写金额"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%v", w, err)
		}
	}
	good := writeFile(t, "closure.csv", "案件编号,环节,日期,单位,决定文号,罚款金额\n"+
		"AJ-2023-002,处罚决定,2023-04-03,自然资源,沁自然资罚〔2023〕7号,65000\n"+
		"AJ-2023-002,执行完毕,2023-04-20,自然资源,,\n"+
		"AJ-2023-002,结案,2023-04-24,自然资源,,\n")
	load(t, db, cfg, KindCaseStages, good)
	got = fmt.Sprint(rowsOf(t, db, `SELECT stage, CAST(stage_on AS VARCHAR), coalesce(doc_no, '-'), coalesce(CAST(fine_yuan AS VARCHAR), '-')
		FROM raw_case_stages WHERE case_id = 'AJ-2023-002' ORDER BY source_row`))
	want = `[[penalty 2023-04-03 沁自然资罚〔2023〕7号 65000.00] [executed 2023-04-20 - -] [closed 2023-04-24 - -]]`
	if got != want {
		t.Errorf("closure rows\n got  %s\n want %s", got, want)
	}
}
