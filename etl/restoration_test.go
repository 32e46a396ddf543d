package etl

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// A restoration ledger names known items; every bad cell is refused at once by row and column and
// nothing is loaded; a later file's row for an item is its newer version.
func TestRestorationLedger(t *testing.T) {
	db, cfg := openDB(t)
	for _, f := range []struct {
		kind Kind
		file string
	}{{KindMeters, "用电户档案.csv"}, {KindImagery, "卫片图斑.geojson"}, {KindCases, "案件.xlsx"}, {KindInspection, "郭道镇排查表.xlsx"}} {
		load(t, db, cfg, f.kind, fixture(f.file))
	}
	header := "问题编号,责任方,应恢复面积（亩）,已恢复面积（亩）,恢复时限,验收日期,估算费用（元）,已付费用（元）,付款方,说明\n"
	bad := writeFile(t, "bad-恢复.csv", header+
		"WP-9999,违法者,2,,2023-09-30,,,,,\n"+
		"WP-2023-001,村民,2,,2023-09-30,,,,,\n"+
		"WP-2023-001,违法者,2,3,2023-09-30,,,,,\n"+
		"AJ-2023-001,违法者,0,,2023-09-30,,,,,\n"+
		"AJ-2023-002,违法者,2,,,2023-06-01,,,,\n"+
		"郭道镇-20230312-1,县财政兜底,2,1,2023-09-30,,1000,2000,县财政,\n"+
		"WP-2023-001,违法者,2,1,2023-09-30,,1000,500,,\n")
	before := count(t, db, `SELECT count(*) FROM load_batches`)
	_, err := LoadFile(context.Background(), db, cfg, KindRestoration, bad, Options{})
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	for _, w := range []string{
		"第2行 问题编号: “WP-9999” 不是已导入的问题编号",
		"第3行 责任方: “村民”",
		"第4行 已恢复面积: “3” 大于应恢复面积 2 亩",
		"第5行 应恢复面积: “0” 应大于 0",
		"第6行 恢复时限: 不能为空",
		"第6行 已恢复面积: 已填验收日期，已恢复面积应大于 0",
		"第7行 已付费用: “2000” 大于估算费用 1000 元",
		"第8行 付款方: 已付费用大于 0，应写明付款方",
		"第4行 问题编号: “WP-2023-001” 编号重复",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%s", w, err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM load_batches`); n != before || count(t, db, `SELECT count(*) FROM raw_restoration`) != 0 {
		t.Fatalf("a refused file left a batch or rows")
	}
	load(t, db, cfg, KindRestoration, writeFile(t, "恢复-1.csv", header+
		"WP-2023-001,违法者,2.5,1,2023-09-30,,30000,10000,违法者,复垦耕地\n"+
		"AJ-2023-001,县财政兜底,1.2,,2023-10-31,,12000,,,平整覆土\n"))
	load(t, db, cfg, KindRestoration, writeFile(t, "恢复-2.csv", header+
		"WP-2023-001,违法者,2.5,2.5,2023-09-30,2023-06-20,30000,30000,违法者,复垦耕地\n"))
	got := fmt.Sprint(rowsOf(t, db, `SELECT item_id, party, CAST(area_mu AS VARCHAR), coalesce(CAST(restored_mu AS VARCHAR), '-'),
		coalesce(CAST(accepted_on AS VARCHAR), '-'), coalesce(payer, '-') FROM raw_restoration ORDER BY batch_id, source_row`))
	want := "[[WP-2023-001 违法者 2.50 1.00 - 违法者] [AJ-2023-001 县财政兜底 1.20 - - -] [WP-2023-001 违法者 2.50 2.50 2023-06-20 违法者]]"
	if got != want {
		t.Errorf("rows\n got  %s\n want %s", got, want)
	}
}
