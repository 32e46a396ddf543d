package etl

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// A collections file is refused, all at once by row and column and with nothing loaded, for a case
// no register holds, a receipt number used twice (in the file, by an earlier file, on the console)
// and a collection above what was decided (counting earlier collections of the case); a good file
// loads.
func TestCollectionsRefusals(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindCases, fixture("案件.xlsx")) // AJ-2023-001: 罚款 50000, 没收 12000.50; AJ-2023-002: none
	header := "案件编号,决定文号,缴款日期,金额,票据号,类型,说明\n"
	load(t, db, cfg, KindCollections, writeFile(t, "收缴-1.csv", header+
		"AJ-2023-001,沁自然资罚〔2023〕1号,2023-04-10,30000,PJ-0001,罚款,首笔\n"))
	if _, err := db.ExecContext(context.Background(), `INSERT INTO collection_entries (receipt_no, case_id, paid_on, amount_yuan, fine_kind,
		entered_by, entered_at) VALUES ('PJ-0002', 'AJ-2023-001', DATE '2023-04-12', 1000, '没收违法所得', 'cz', TIMESTAMP '2023-04-12 10:00')`); err != nil {
		t.Fatal(err)
	}
	bad := writeFile(t, "收缴-坏.csv", header+
		"AJ-9999,,2023-04-20,100,PJ-0010,罚款,\n"+ // no such case
		"AJ-2023-001,,2023-04-20,100,PJ-0001,罚款,\n"+ // receipt of the earlier file
		"AJ-2023-001,,2023-04-20,100,PJ-0002,罚款,\n"+ // receipt entered on the console
		"AJ-2023-001,,2023-04-20,100,PJ-0011,罚款,\n"+
		"AJ-2023-001,,2023-04-20,100,PJ-0011,罚款,\n"+ // twice in the file
		"AJ-2023-001,,2023-04-21,19500,PJ-0012,罚款,\n"+ // every row counts: 30000 + 100×4 + 19500 = 49900 ≤ 50000
		"AJ-2023-001,,2023-04-22,300,PJ-0013,罚款,\n"+ // 50200 > 50000
		"AJ-2023-001,,2023-04-22,12000,PJ-0014,没收违法所得,\n"+ // 1000 + 12000 > 12000.50
		"AJ-2023-002,,2023-04-22,10,PJ-0015,罚金,\n"+ // nothing decided
		"AJ-2023-001,,2023-04-22,10,PJ-0016,滞纳金,\n")
	before := count(t, db, `SELECT count(*) FROM load_batches`)
	_, err := LoadFile(context.Background(), db, cfg, KindCollections, bad, Options{})
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	for _, w := range []string{
		"第2行 案件编号: “AJ-9999” 不是已导入案件台账的案件编号",
		"第3行 票据号: “PJ-0001” 编号已由批次",
		"第4行 票据号: “PJ-0002” 票据号已由财政局控制台登记",
		"第6行 票据号: “PJ-0011” 编号重复（第5行已有）",
		"第8行 金额: “300” 累计收缴罚款 50200 元，超过决定的罚款 50000 元",
		"第9行 金额: “12000” 累计收缴没收违法所得 13000 元，超过决定的没收违法所得 12000.5 元",
		"第10行 金额: “10” 累计收缴罚金 10 元，超过决定的罚金 0 元",
		"第11行 类型: “滞纳金” 应为罚款/没收违法所得/罚金之一",
	} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%s", w, err)
		}
	}
	if strings.Contains(err.Error(), "第7行") {
		t.Errorf("row 7 stays within the decided fine, yet was refused:\n%s", err)
	}
	if n := count(t, db, `SELECT count(*) FROM load_batches`); n != before || count(t, db, `SELECT count(*) FROM raw_collections`) != 1 {
		t.Fatalf("a refused file left a batch or rows")
	}
	// what remains decided loads; one yuan more is refused against the loaded ones
	load(t, db, cfg, KindCollections, writeFile(t, "收缴-2.csv", header+
		"AJ-2023-001,,2023-04-21,20000,PJ-0020,罚款,\n"+"AJ-2023-001,,2023-04-21,11000.5,PJ-0021,没收违法所得,\n"))
	_, err = LoadFile(context.Background(), db, cfg, KindCollections, writeFile(t, "收缴-3.csv", header+
		"AJ-2023-001,,2023-04-25,1,PJ-0030,罚款,\n"), Options{})
	if err == nil || !strings.Contains(err.Error(), "第2行 金额: “1” 累计收缴罚款 50001 元，超过决定的罚款 50000 元") {
		t.Errorf("a collection above the decided fine after earlier loads: %v", err)
	}
}

// In a manifest, a collections file is checked against the cases and collections of the files
// before it in the manifest as against loaded ones: the case register of the same manifest is known,
// and two files each within the decided fine but above it together are refused, by row and column.
func TestCollectionsInManifest(t *testing.T) {
	db, cfg := openDB(t)
	dir := t.TempDir()
	header := "案件编号,决定文号,缴款日期,金额,票据号,类型,说明\n"
	first := writeFile(t, "收缴-甲.csv", header+"AJ-2023-001,,2023-04-10,30000,PJ-0101,罚款,\n")
	second := writeFile(t, "收缴-乙.csv", header+"AJ-2023-001,,2023-04-11,20001,PJ-0102,罚款,\n")
	cases, _ := filepath.Abs(fixture("案件.xlsx")) // AJ-2023-001: 罚款 50000
	writeManifest(t, dir, [][3]string{{"cases", cases, "2023-04-01"}, {"collections", first, "2023-04-12"}, {"collections", second, "2023-04-12"}})
	_, err := LoadManifest(context.Background(), db, cfg, dir, Options{LoadedBy: "test"})
	var me *ManifestError
	if !errors.As(err, &me) || len(me.Files) != 1 || me.Files[0].File != "收缴-乙.csv" ||
		!strings.Contains(err.Error(), "收缴-乙.csv 第2行 金额: “20001” 累计收缴罚款 50001 元，超过决定的罚款 50000 元") {
		t.Fatalf("two collections above the decided fine together: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM load_batches`); n != 0 {
		t.Errorf("a refused manifest left %d batches", n)
	}
	second = writeFile(t, "收缴-乙.csv", header+"AJ-2023-001,,2023-04-11,20000,PJ-0102,罚款,\n")
	writeManifest(t, dir, [][3]string{{"cases", cases, "2023-04-01"}, {"collections", first, "2023-04-12"}, {"collections", second, "2023-04-12"}})
	if _, err := LoadManifest(context.Background(), db, cfg, dir, Options{LoadedBy: "test"}); err != nil {
		t.Fatalf("within the decided fine: %v", err)
	}
	if n := count(t, db, `SELECT count(*) FROM raw_collections`); n != 2 {
		t.Errorf("%d collections loaded", n)
	}
}
