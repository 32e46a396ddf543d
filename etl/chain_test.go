package etl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// loadChainBase loads the fixtures the chain's files name: meters, patches, cases, clues, the
// 郭道镇 form.
func loadChainBase(t *testing.T) (*Result, func(kind Kind, name, content string, want ...string) *Result) {
	t.Helper()
	db, cfg := openDB(t)
	for _, f := range []struct {
		kind Kind
		file string
	}{{KindMeters, "用电户档案.csv"}, {KindImagery, "卫片图斑.geojson"}, {KindCases, "案件.xlsx"}, {KindInspection, "郭道镇排查表.xlsx"}} {
		load(t, db, cfg, f.kind, fixture(f.file))
	}
	return nil, func(kind Kind, name, content string, want ...string) *Result {
		t.Helper()
		path := writeFile(t, name, content)
		if !strings.HasPrefix(name, "bad") {
			return load(t, db, cfg, kind, path)
		}
		before := count(t, db, `SELECT count(*) FROM load_batches`)
		_, err := LoadFile(context.Background(), db, cfg, kind, path, Options{})
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Fatalf("want a FileError, got %v", err)
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error does not contain %q:\n%s", w, err)
			}
		}
		if after := count(t, db, `SELECT count(*) FROM load_batches`); after != before {
			t.Errorf("a batch was recorded: %d → %d", before, after)
		}
		return nil
	}
}

// A register row is refused with its row and column when its township or village is unknown, the
// name is empty or the type unknown; nothing of the file is loaded.
func TestResponsibilitiesValidation(t *testing.T) {
	db, cfg := openDB(t)
	bad := writeFile(t, "责任人名册.csv", "乡镇,村,职务,姓名,责任类型\n"+
		"郭道镇,,镇长,王一,第一责任人\n"+
		"东风镇,,镇长,李二,第一责任人\n"+
		"郭道镇,月亮村,支书,张三,直接责任人\n"+
		"郭道镇,郭道村,支书,,直接责任人\n"+
		"郭道镇,郭道村,干部,赵四,包片领导\n"+
		"郭道镇,,干部,钱五,包村干部\n")
	refused(t, db, cfg, KindResponsibilities, bad,
		"第3行 乡镇", "东风镇", "第4行 村", "月亮村", "第5行 姓名", "第6行 责任类型", "包片领导", "第7行 村")
	if n := count(t, db, `SELECT count(*) FROM raw_responsibilities`); n != 0 {
		t.Errorf("%d register rows loaded", n)
	}
	good := writeFile(t, "责任人名册-2.csv", "乡镇,村,职务,姓名,责任类型 [duty],网格 [grid]\n"+
		"郭道镇,,镇长,王一,第一责任人,\n"+
		"郭道镇,,副镇长,周六,分管领导,\n"+
		"郭道镇,郭道村,支书,张三,直接责任人,\n"+
		"郭道镇,郭道村,干部,赵四,包村干部,\n"+
		"郭道镇,郭道村,网格员,孙七,监管网格员,第3网格\n")
	r := load(t, db, cfg, KindResponsibilities, good)
	if r.Rows != 5 {
		t.Errorf("rows %d", r.Rows)
	}
	var noCadre, noFirst int
	for _, w := range r.Warnings {
		if strings.Contains(w.Msg, "没有包村干部") {
			noCadre++
		}
		if strings.Contains(w.Msg, "没有第一责任人") {
			noFirst++
		}
		if strings.Contains(w.Msg, "郭道镇郭道村没有包村干部") || strings.Contains(w.Msg, "郭道镇没有第一责任人") {
			t.Errorf("warned about a covered post: %s", w)
		}
	}
	villages := 0
	for _, tw := range cfg.Townships {
		villages += len(tw.Villages)
	}
	if noCadre != villages-1 || noFirst != len(cfg.Townships)-1 {
		t.Errorf("coverage warnings: %d villages without 包村干部 (want %d), %d townships without 第一责任人 (want %d)",
			noCadre, villages-1, noFirst, len(cfg.Townships)-1)
	}
	got := fmt.Sprint(rowsOf(t, db, `SELECT township, coalesce(village, ''), person, duty_type, coalesce(grid, '') FROM raw_responsibilities ORDER BY source_row`))
	if want := "[[郭道镇  王一 第一责任人 ] [郭道镇  周六 分管领导 ] [郭道镇 郭道村 张三 直接责任人 ] [郭道镇 郭道村 赵四 包村干部 ] [郭道镇 郭道村 孙七 监管网格员 第3网格]]"; got != want {
		t.Errorf("rows\n got  %s\n want %s", got, want)
	}
}

// A 责任分解表 names known items and configured units (by short or full name, stored by full name);
// a 回头看 file names known items, a date and one of the three results.
func TestDutiesAndRechecks(t *testing.T) {
	_, try := loadChainBase(t)
	try(KindDuties, "bad-分解表.csv", "问题编号,类别,责任单位,责任人,整改要求,整改时限\n"+
		"WP-2023-001,特别重点,公安,张三,拆除,2023-04-01\n"+
		"WP-9999,一般,公安,张三,拆除,2023-04-01\n"+
		"AJ-2023-001,一般,气象局,张三,拆除,2023-04-01\n"+
		"AJ-2023-001,一般,公安,张三,拆除,2023-04-31\n",
		"第2行 类别", "特别重点", "第3行 问题编号", "WP-9999", "第4行 责任单位", "气象局", "第5行 问题编号", "编号重复", "第5行 整改时限")
	r := try(KindDuties, "分解表.csv", "问题编号,类别,责任单位,责任人,整改要求,整改时限\n"+
		"WP-2023-001,重点,自然资源,郭永强,恢复耕地,2023-04-01\n"+
		"郭道镇-20230312-1,一般,县公安局,申国伟,立案查处,\n")
	if r.Rows != 2 {
		t.Errorf("duties rows %d", r.Rows)
	}
	// 期别: blank for the campaign's items, else a configured period's name (the default's 2024 quarter)
	try(KindDuties, "bad-期别.csv", "问题编号,类别,责任单位,整改时限,期别\n"+
		"WP-2023-001,一般,公安,2023-04-01,2024年第二季度常态化排查整治\n"+
		"郭道镇-20230312-1,一般,公安,,专项行动\n",
		"第2行 期别", "2024年第二季度常态化排查整治", "不是配置的常态化期别（2024年第一季度常态化排查整治）", "第3行 期别", "专项行动")
	r = try(KindDuties, "期别.csv", "问题编号,类别,责任单位,整改时限,期别\n"+
		"WP-2023-001,一般,公安,2023-04-01,2024年第一季度常态化排查整治\n"+
		"郭道镇-20230312-1,一般,公安,,\n")
	if r.Rows != 2 {
		t.Errorf("duties rows with 期别 %d", r.Rows)
	}
	try(KindRechecks, "bad-复查.csv", "问题编号,复查日期,复查人,复查结果,说明\n"+
		"WP-2023-001,2023-05-06,王五,没问题,\n"+
		"WP-2023-001,,王五,复发,\n", "第2行 复查结果", "没问题", "第3行 复查日期")
	r = try(KindRechecks, "复查.csv", "问题编号,复查日期,复查人,复查结果 [result],说明\n"+
		"WP-2023-001,2023-05-06,王五,整改不实,未恢复植被\n"+
		"郭道镇-20230312-1,2023-05-07,王五,复发,又见挖沙\n")
	if r.Rows != 2 {
		t.Errorf("rechecks rows %d", r.Rows)
	}
}
