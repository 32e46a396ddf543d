package etl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// An acceptance file names known items and a member unit; every bad cell is refused at once by row
// and column (a township accepting its own work among them) and nothing is loaded.
func TestAcceptanceRecords(t *testing.T) {
	db, cfg := openDB(t)
	for _, f := range []struct {
		kind Kind
		file string
	}{{KindMeters, "用电户档案.csv"}, {KindImagery, "卫片图斑.geojson"}, {KindCases, "案件.xlsx"}, {KindInspection, "郭道镇排查表.xlsx"}} {
		load(t, db, cfg, f.kind, fixture(f.file))
	}
	header := "问题编号,验收日期,验收单位,验收人,验收结果,说明\n"
	bad := writeFile(t, "bad-验收.csv", header+
		"WP-9999,2023-04-20,自然资源,张三,合格,\n"+
		"WP-2023-001,,自然资源,张三,合格,\n"+
		"WP-2023-001,2023-04-20,郭道镇,张三,合格,\n"+
		"WP-2023-001,2023-04-20,环保局,张三,合格,\n"+
		"WP-2023-001,2023-04-20,自然资源,,合格,\n"+
		"WP-2023-001,2023-04-20,自然资源,张三,通过,\n"+
		"WP-2023-001,2023-04-20,自然资源,张三,不合格,\n"+
		"WP-2023-001,2023-04-31,县自然资源局,张三,合格,\n"+
		"WP-2023-001,2023-04-20,公安,张三,合格,\n")
	before := count(t, db, `SELECT count(*) FROM load_batches`)
	_, err := LoadFile(context.Background(), db, cfg, KindAcceptances, bad, Options{})
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	for _, w := range []string{
		"bad-验收.csv",
		"第2行 问题编号: “WP-9999” 不是已导入的问题编号",
		"第3行 验收日期: 不能为空",
		"第4行 验收单位: “郭道镇” 乡镇不能验收本乡镇的整改",
		"第5行 验收单位: “环保局” 不是领导小组成员单位，验收单位应为县自然资源局、市生态环境局沁源分局",
		"第10行 验收单位: “公安” 不负责整改验收",
		"第6行 验收人: 不能为空",
		"第7行 验收结果: “通过”",
		"第8行 说明: 验收不合格须写明原因",
		"第9行 验收日期: “2023-04-31” 不是有效日期",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%s", w, err)
		}
	}
	if strings.Count(err.Error(), "第") < 8 {
		t.Errorf("not every error at once:\n%s", err)
	}
	if n := count(t, db, `SELECT count(*) FROM load_batches`); n != before || count(t, db, `SELECT count(*) FROM raw_acceptances`) != 0 {
		t.Fatalf("a refused file left a batch or rows")
	}
	// the headers must be the acceptance form's: a file missing 验收结果 is refused by name
	_, err = LoadFile(context.Background(), db, cfg, KindAcceptances, writeFile(t, "缺列.csv", "问题编号,验收日期,验收单位,验收人,说明\n"+
		"WP-2023-001,2023-04-20,自然资源,张三,\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "验收结果") {
		t.Errorf("a file without 验收结果: %v", err)
	}
	load(t, db, cfg, KindAcceptances, writeFile(t, "验收.csv", header+
		"WP-2023-001,2023-04-20,自然资源,张三,不合格,未复垦\n"+
		"AJ-2023-001,2023-04-21,市生态环境局沁源分局,李四,合格,\n"))
	got := fmt.Sprint(rowsOf(t, db, `SELECT item_id, CAST(accepted_on AS VARCHAR), unit, inspector, result, coalesce(note, '-')
		FROM raw_acceptances ORDER BY source_row`))
	want := "[[WP-2023-001 2023-04-20 县自然资源局 张三 不合格 未复垦] [AJ-2023-001 2023-04-21 市生态环境局沁源分局 李四 合格 -]]"
	if got != want {
		t.Errorf("rows\n got  %s\n want %s", got, want)
	}
}
