package etl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"landwatch/campaign"
	"landwatch/etl/batch"
	"landwatch/warehouse"
)

func openDB(t *testing.T) (*warehouse.DB, *campaign.Config) {
	t.Helper()
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, campaign.Default()
}

func load(t *testing.T, db *warehouse.DB, cfg *campaign.Config, kind Kind, path string) *Result {
	t.Helper()
	r, err := LoadFile(context.Background(), db, cfg, kind, path, Options{LoadedBy: "test"})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return r
}

// rowsOf returns a query's rows with every value as text ("NULL" for NULL).
func rowsOf(t *testing.T, db *warehouse.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(cols))
		for i, v := range vals {
			if v == nil {
				rec[i] = "NULL"
			} else {
				rec[i] = fmt.Sprint(v)
			}
		}
		out = append(out, rec)
	}
	return out
}

func count(t *testing.T, db *warehouse.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// The seed's own attachment, filled in: title row, the 人民政府（盖章）/date line, the 9-column header
// with line breaks, a merged village cell, a blank row, the footer lines.
func TestSeedForm(t *testing.T) {
	db, cfg := openDB(t)
	r := load(t, db, cfg, KindInspection, fixture("郭道镇排查表.xlsx"))
	if r.Rows != 6 || r.AlreadyLoaded || r.Replaced != 0 {
		t.Fatalf("result %+v", r)
	}
	got := rowsOf(t, db, `SELECT source_row, sheet, township, CAST(form_date AS VARCHAR), level, seq, problem_id, is_problem, village,
		address, site_condition, hazard, measures, cadre_signed, head_signed, remark, CAST(inspected_on AS VARCHAR),
		CAST(reported_on AS VARCHAR), lon, lat, category, category_inferred, CAST(deadline AS VARCHAR), CAST(extra AS VARCHAR)
		FROM raw_inspections ORDER BY source_row`)
	common := func(row, seq int, id string, isProblem bool, village, addr, site, hazard, measures, cadre, head, remark, cat string, inferred bool) []string {
		return []string{fmt.Sprint(row), "排查报表", "郭道镇", "2023-03-12", "乡镇", fmt.Sprint(seq), id, fmt.Sprint(isProblem), village,
			addr, site, hazard, measures, cadre, head, remark, "NULL", "2023-03-12", "NULL", "NULL", cat, fmt.Sprint(inferred), "NULL", "NULL"}
	}
	want := [][]string{
		common(4, 1, "郭道镇-20230312-1", true, "郭道村", "郭道村北山沟口", "发现一处疑似露头煤开采痕迹，已停工", "露头煤区盗采痕迹", "立即封堵并恢复植被", "张三", "李四", "卫片图斑WP-2023-001", "M4", true),
		common(5, 2, "郭道镇-20230312-2", true, "郭道村", "郭道村东河滩", "河滩有挖沙痕迹", "挖沙破坏耕地", "回填复垦", "张三", "李四", "NULL", "L4", true),
		common(6, 3, "郭道镇-20230312-3", false, "白坪村", "白坪村全村", "未发现违法行为", "无", "NULL", "王五", "赵六", "NULL", "NULL", false),
		common(8, 4, "郭道镇-20230312-4", true, "阎家峪村", "阎家峪村南", "新建房屋一处", "一户多宅，未批先建", "拆除", "钱七", "孙八", "群众举报", "L1", true),
		common(9, 5, "郭道镇-20230312-5", true, "东寨村", "东寨村沟底", "倾倒煤矸石约200方", "煤矸石乱排乱放", "清运", "周九", "吴十", "NULL", "L3", true),
		common(10, 6, "郭道镇-20230312-6", true, "东寨村", "东寨村村委旁", "围墙年久失修", "围墙倒塌存在安全隐患", "加固", "周九", "吴十", "NULL", "NULL", false),
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("row %d column %d: got %q, want %q", i+1, j+1, got[i][j], want[i][j])
			}
		}
	}
	b := rowsOf(t, db, `SELECT batch_id, kind, file_name, length(sha256), rows, warnings, loaded_by, township, CAST(form_date AS VARCHAR),
		form_level, coalesce(form_village, ''), replaces, replaced_by FROM load_batches`)
	wantB := []string{fmt.Sprint(r.BatchID), "inspection", "郭道镇排查表.xlsx", "64", "6", "4", "test", "郭道镇", "2023-03-12", "乡镇", "", "NULL", "NULL"}
	if len(b) != 1 || strings.Join(b[0], "|") != strings.Join(wantB, "|") {
		t.Errorf("load_batches: got %v, want %v", b, wantB)
	}
	// Provenance: every row names its batch.
	if n := count(t, db, `SELECT count(*) FROM raw_inspections WHERE batch_id = ?`, r.BatchID); n != 6 {
		t.Errorf("rows of batch: %d", n)
	}
	if n := count(t, db, `SELECT count(*) FROM load_warnings WHERE batch_id = ? AND column_name = '问题类别'`, r.BatchID); n != 4 {
		t.Errorf("inferred-category warnings: %d", n)
	}
}

func TestReloadIsNoop(t *testing.T) {
	db, cfg := openDB(t)
	first := load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	again := load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	if !again.AlreadyLoaded || again.BatchID != first.BatchID || again.Rows != 3 {
		t.Fatalf("second load: %+v", again)
	}
	if n := count(t, db, `SELECT count(*) FROM raw_meters`); n != 3 {
		t.Errorf("meters after reload: %d", n)
	}
	if n := count(t, db, `SELECT count(*) FROM load_batches`); n != 1 {
		t.Errorf("batches after reload: %d", n)
	}
	// Readings too (their own loader).
	p1 := load(t, db, cfg, KindPower, fixture("用电数据.csv"))
	p2 := load(t, db, cfg, KindPower, fixture("用电数据.csv"))
	if !p2.AlreadyLoaded || p2.BatchID != p1.BatchID || count(t, db, `SELECT count(*) FROM raw_power_readings`) != 72 {
		t.Errorf("readings reload: %+v", p2)
	}
}

func TestCorrectedFormReplaces(t *testing.T) {
	db, cfg := openDB(t)
	opt := func(at string) Options { return Options{LoadedBy: "test", ReceivedAt: mustStamp(t, at)} }
	first, err := LoadFile(context.Background(), db, cfg, KindInspection, fixture("郭道镇排查表.xlsx"), opt("2023-03-12T18:00"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := LoadFile(context.Background(), db, cfg, KindInspection, fixture("郭道镇排查表-更正.xlsx"), opt("2023-03-13T09:00"))
	if err != nil || second.Replaced != first.BatchID || second.Rows != 7 {
		t.Fatalf("corrected form: %+v", second)
	}
	got := rowsOf(t, db, `SELECT batch_id, replaces, replaced_by FROM load_batches ORDER BY batch_id`)
	want := [][]string{{fmt.Sprint(first.BatchID), "NULL", fmt.Sprint(second.BatchID)}, {fmt.Sprint(second.BatchID), fmt.Sprint(first.BatchID), "NULL"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("batches: got %v, want %v", got, want)
	}
	// The old rows stay; the active ones are the correction's.
	if n := count(t, db, `SELECT count(*) FROM raw_inspections`); n != 13 {
		t.Errorf("all rows: %d", n)
	}
	active := rowsOf(t, db, `SELECT problem_id, is_problem, category FROM raw_inspections JOIN load_batches USING (batch_id)
		WHERE replaced_by IS NULL AND seq IN (3, 7) ORDER BY seq`)
	if fmt.Sprint(active) != "[[郭道镇-20230312-3 true M4] [郭道镇-20230312-7 true L2]]" {
		t.Errorf("active rows: %v", active)
	}
	// The original again, stamped no later than the correction (a manifest loaded again): its bytes
	// are known, so nothing happens.
	again, err := LoadFile(context.Background(), db, cfg, KindInspection, fixture("郭道镇排查表.xlsx"), opt("2023-03-13T09:00"))
	if err != nil || !again.AlreadyLoaded || again.BatchID != first.BatchID {
		t.Errorf("original again: %+v %v", again, err)
	}
	// The original again after a bad correction: it is reinstated, a new batch replacing the
	// correction, never "already loaded".
	reinstated, err := LoadFile(context.Background(), db, cfg, KindInspection, fixture("郭道镇排查表.xlsx"), opt("2023-03-14"))
	if err != nil || reinstated.AlreadyLoaded || reinstated.Replaced != second.BatchID || reinstated.Rows != first.Rows {
		t.Fatalf("reinstated: %+v %v", reinstated, err)
	}
	active = rowsOf(t, db, `SELECT DISTINCT batch_id FROM raw_inspections JOIN load_batches USING (batch_id) WHERE replaced_by IS NULL`)
	if fmt.Sprint(active) != fmt.Sprintf("[[%d]]", reinstated.BatchID) {
		t.Errorf("active batch after reinstating: %v", active)
	}
}

func mustStamp(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := ParseReceived(s, campaign.Default().Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVillageListGB18030(t *testing.T) {
	db, cfg := openDB(t)
	r := load(t, db, cfg, KindInspection, fixture("沁河镇村级排查表.csv"))
	if r.Encoding != "GB18030" || r.Rows != 3 {
		t.Fatalf("result %+v", r)
	}
	got := rowsOf(t, db, `SELECT source_row, problem_id, level, village, is_problem, CAST(inspected_on AS VARCHAR), CAST(reported_on AS VARCHAR),
		lon, lat, category, category_inferred, CAST(extra AS VARCHAR) FROM raw_inspections ORDER BY source_row`)
	want := "[[4 沁河镇-沁河村-20230307-1 村级 沁河村 true 2023-03-05 2023-03-05 112.3361 36.5102 M4 true {\"联系电话\":\"13800000001\"}]" +
		" [5 沁河镇-沁河村-20230307-2 村级 沁河村 true 2023-03-06 2023-03-06 112.3402 36.5088 L4 false NULL]" +
		" [6 沁河镇-沁河村-20230307-3 村级 沁河村 false 2023-03-06 2023-03-06 NULL NULL NULL false NULL]]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %s", got, want)
	}
	if b := rowsOf(t, db, `SELECT township, form_level, form_village FROM load_batches`); fmt.Sprint(b) != "[[沁河镇 村级 沁河村]]" {
		t.Errorf("batch: %v", b)
	}
}

func TestAllKinds(t *testing.T) {
	db, cfg := openDB(t)
	for _, f := range []struct {
		kind Kind
		file string
		rows int64
	}{
		{KindMeters, "用电户档案.csv", 3}, {KindPower, "用电数据.csv", 72}, {KindPowerChecks, "用电核查.csv", 2},
		{KindImagery, "卫片图斑.geojson", 2}, {KindImagery, "卫片图斑.csv", 1}, {KindCases, "案件.xlsx", 2},
		{KindClues, "其他线索.csv", 2}, {KindInspection, "郭道镇排查表.xlsx", 6}, {KindPatrol, "巡查记录.csv", 2},
		{KindRectification, "整改台账.csv", 3},
	} {
		r := load(t, db, cfg, f.kind, fixture(f.file))
		if r.Rows != f.rows {
			t.Errorf("%s: %d rows, want %d", f.file, r.Rows, f.rows)
		}
	}
	checks := map[string]string{
		`SELECT meter_id, customer_type, village, CAST(extra AS VARCHAR) FROM raw_meters WHERE source_row = 3`:                                                                                                                                                                  `[[1430000002 养殖场 白坪村 {"备注":"夜间用电多"}]]`,
		`SELECT source_row, meter_id, CAST(ts AS VARCHAR), kwh FROM raw_power_readings JOIN power_meter_keys USING (meter_key) WHERE source_row IN (2, 73) ORDER BY 1`:                                                                                                          `[[2 1430000001 2023-03-05 00:00:00 0.5] [73 1430000003 2023-03-05 23:00:00 2.5]]`,
		`SELECT meter_id, coalesce(alert_id, ''), CAST(checked_on AS VARCHAR), result FROM raw_power_checks ORDER BY source_row`:                                                                                                                                                `[[1430000002 1430000002-NOD-20230305 2023-03-10 非法采矿] [1430000001  2023-03-11 正常]]`,
		`SELECT patch_id, source_row, imaging_batch, CAST(imaged_on AS VARCHAR), village, area_mu, verdict, round(lon, 4), round(lat, 4), geometry LIKE 'POLYGON%', CAST(extra AS VARCHAR) FROM raw_imagery_patches WHERE patch_id = 'WP-2023-001'`:                             `[[WP-2023-001 1 2023年第一季度 2023-03-02 郭道村 3.2 违法 112.181 36.791 true {"监测单位":"省测绘院"}]]`,
		`SELECT geometry LIKE 'MULTIPOLYGON%', checked_on FROM raw_imagery_patches WHERE patch_id = 'WP-2023-002'`:                                                                                                                                                              `[[true NULL]]`,
		`SELECT CAST(imaged_on AS VARCHAR), area_mu, verdict FROM raw_imagery_patches WHERE patch_id = 'WP-2023-101'`:                                                                                                                                                           `[[2023-05-10 0.8 未核查]]`,
		`SELECT case_id, township, village, category, CAST(found_on AS VARCHAR), CAST(filed_on AS VARCHAR), CAST(price_requested_on AS VARCHAR), CAST(price_done_on AS VARCHAR), CAST(fine_yuan AS VARCHAR), CAST(confiscated_yuan AS VARCHAR) FROM raw_cases ORDER BY case_id`: `[[AJ-2023-001 郭道镇 郭道村 M4 2023-03-03 2023-03-10 2023-03-13 2023-03-17 50000.00 12000.50] [AJ-2023-002 郭道镇 白坪村 L1 2023-03-20 NULL NULL NULL NULL NULL]]`,
		`SELECT clue_id, category, CAST(found_on AS VARCHAR), verdict FROM raw_clues ORDER BY clue_id`:                                                                                                                                                                          `[[XS-001 L3 2023-03-03 属实] [XS-002 NULL 2023-04-20 核查中]]`,
		`SELECT township, CAST(patrolled_on AS VARCHAR), villages FROM raw_patrols ORDER BY source_row`:                                                                                                                                                                         `[[郭道镇 2023-03-02 郭道村、白坪村] [郭道镇 2023-03-09 东寨村]]`,
		`SELECT item_id, status, CAST(rectified_on AS VARCHAR) FROM raw_rectifications ORDER BY source_row`:                                                                                                                                                                     `[[郭道镇-20230312-1 已整改 2023-04-10] [WP-2023-001 整改中 NULL] [1430000002-NOD-20230305 已整改 2023-03-20]]`,
	}
	for q, want := range checks {
		if got := fmt.Sprint(rowsOf(t, db, q)); got != want {
			t.Errorf("%s\n got  %s\n want %s", q, got, want)
		}
	}
}

func TestUnknownVillageWarns(t *testing.T) {
	db, cfg := openDB(t)
	path := writeFile(t, "patrol-meters.csv", "户号,用电类别,乡镇,村\n1430009999,居民,郭道镇,新建村\n1430009998,居民,郭道镇,新建村\n")
	r := load(t, db, cfg, KindMeters, path)
	if len(r.Warnings) != 2 || !strings.Contains(r.Warnings[0].Msg, "新建村") || r.Warnings[0].Row != 2 || r.Warnings[0].Column != "村" {
		t.Fatalf("warnings: %+v", r.Warnings)
	}
	got := rowsOf(t, db, `SELECT township, village, confirmed, added_by_batch FROM dim_villages WHERE village = '新建村'`)
	if fmt.Sprint(got) != fmt.Sprintf("[[郭道镇 新建村 false %d]]", r.BatchID) {
		t.Errorf("dim_villages: %v", got)
	}
	if n := count(t, db, `SELECT count(*) FROM load_warnings WHERE batch_id = ?`, r.BatchID); n != 2 {
		t.Errorf("load_warnings: %d", n)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// refused loads a bad file and checks that it names every expected message and loaded nothing.
func refused(t *testing.T, db *warehouse.DB, cfg *campaign.Config, kind Kind, path string, want ...string) *FileError {
	t.Helper()
	before := count(t, db, `SELECT count(*) FROM load_batches`)
	_, err := LoadFile(context.Background(), db, cfg, kind, path, Options{})
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error does not contain %q:\n%s", w, msg)
		}
	}
	if after := count(t, db, `SELECT count(*) FROM load_batches`); after != before {
		t.Errorf("a batch was recorded: %d → %d", before, after)
	}
	for _, tbl := range []string{"raw_inspections", "raw_rectifications", "raw_patrols", "raw_cases", "raw_power_readings", "raw_power_checks", "raw_imagery_patches", "raw_clues"} {
		if n := count(t, db, `SELECT count(*) FROM `+tbl+` t JOIN load_batches b USING (batch_id)`) + count(t, db, `SELECT count(*) FROM `+tbl+` WHERE batch_id NOT IN (SELECT batch_id FROM load_batches)`); n != 0 && tbl != "raw_meters" {
			t.Errorf("%s has %d rows", tbl, n)
		}
	}
	return fe
}

func TestBadInputs(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))

	t.Run("bad date in the seed form", func(t *testing.T) {
		f := excelize.NewFile()
		f.SetCellValue("Sheet1", "A1", "沁源县严厉打击非法违法采矿等行为专项行动隐患排查报表")
		f.SetCellValue("Sheet1", "A2", "郭道镇人民政府（盖章）   2023年3月12日")
		f.SetSheetRow("Sheet1", "A3", &[]any{"序号", "村", "排查详细地址", "现场情况", "发现隐患", "整改措施", "包村干部签字", "村委负责人签字", "备注", "排查日期"})
		for r := 4; r <= 11; r++ {
			f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", r), &[]any{r - 3, "郭道村", "地址", "情况", "无", "", "", "", "", "2023-03-05"})
		}
		f.SetSheetRow("Sheet1", "A12", &[]any{9, "郭道村", "地址", "情况", "挖沙", "", "", "", "", "2023-02-30"})
		path := filepath.Join(t.TempDir(), "郭道镇排查表.xlsx")
		if err := f.SaveAs(path); err != nil {
			t.Fatal(err)
		}
		fe := refused(t, db, cfg, KindInspection, path, "郭道镇排查表.xlsx 第12行 排查日期: “2023-02-30” 不是有效日期")
		if len(fe.Errors) != 1 || fe.Errors[0].Row != 12 || fe.Errors[0].Column != "排查日期" || fe.Errors[0].Value != "2023-02-30" {
			t.Errorf("errors: %+v", fe.Errors)
		}
	})
	t.Run("coordinate outside the county", func(t *testing.T) {
		path := writeFile(t, "meters.csv", "户号,用电类别,乡镇,经度,纬度\n1430000101,居民,郭道镇,113.5,36.79\n")
		refused(t, db, cfg, KindMeters, path, "meters.csv 第2行 经度: “113.5” 超出县域范围")
	})
	t.Run("date outside the campaign year", func(t *testing.T) {
		path := writeFile(t, "clues.csv", "线索编号,来源,乡镇,发现日期,核查结果\nXS-9,媒体曝光,郭道镇,2022-12-30,属实\n")
		refused(t, db, cfg, KindClues, path, "clues.csv 第2行 发现日期: “2022-12-30” 不在专项行动的阶段或常态化周期内（2023-01-01至2024-03-31）")
	})
	t.Run("negative amount", func(t *testing.T) {
		path := writeFile(t, "cases.csv", "案件编号,线索来源,乡镇,发现日期,罚款金额\nAJ-9,巡查,郭道镇,2023-03-05,-100\n")
		refused(t, db, cfg, KindCases, path, "cases.csv 第2行 罚款金额: “-100” 不能为负数")
	})
	t.Run("negative kWh", func(t *testing.T) {
		path := writeFile(t, "readings.csv", "户号,时间,电量\n1430000001,2023-03-05 00:00:00,1\n1430000001,2023-03-05 01:00:00,-3.5\n")
		refused(t, db, cfg, KindPower, path, "readings.csv 第3行 电量: “-3.5” 不能为负数")
	})
	t.Run("bad time and number in readings", func(t *testing.T) {
		path := writeFile(t, "readings.csv", "户号,时间,电量\n1430000001,2023-03-05 00:00:00,1\n1430000001,2023-02-30 01:00:00,3\n1430000001,2023-03-05 02:00:00,abc\n1430000001,2022-12-31 23:00:00,1\n")
		refused(t, db, cfg, KindPower, path, "readings.csv 第3行 时间: “2023-02-30 01:00:00” 不是有效时间",
			"readings.csv 第4行 电量: “abc” 不是有效数字", "第5行 时间: “2022-12-31 23:00:00” 不在专项行动的阶段或常态化周期内（2023-01-01至2024-03-31）")
	})
	t.Run("empty values in readings", func(t *testing.T) {
		path := writeFile(t, "readings.csv", "户号,时间,电量\n1430000001,2023-03-05 00:00:00,\n,2023-03-05 01:00:00,1\n1430000001,,2\n")
		fe := refused(t, db, cfg, KindPower, path, "第2行 电量: 不能为空", "第3行 户号: 不能为空（共1行）", "第4行 时间: 不能为空")
		if len(fe.Errors) != 3 {
			t.Errorf("want 3 errors: %v", fe)
		}
	})
	t.Run("unknown meter in readings", func(t *testing.T) {
		path := writeFile(t, "readings.csv", "户号,时间,电量\n1430000001,2023-03-05 00:00:00,1\n1439999999,2023-03-05 00:00:00,1\n1439999999,2023-03-05 01:00:00,1\n")
		refused(t, db, cfg, KindPower, path, "readings.csv 第3行 户号: “1439999999” 不在用电户档案中（共2行）")
	})
	t.Run("duplicate id in file", func(t *testing.T) {
		path := writeFile(t, "meters2.csv", "户号,用电类别,乡镇\n1430000201,居民,郭道镇\n1430000202,居民,郭道镇\n1430000201,煤矿,郭道镇\n")
		refused(t, db, cfg, KindMeters, path, "meters2.csv 第4行 户号: “1430000201” 编号重复（第2行已有）")
	})
	t.Run("id already loaded is a newer version", func(t *testing.T) {
		path := writeFile(t, "meters3.csv", "户号,用电类别,乡镇\n1430000001,居民,郭道镇\n")
		r := load(t, db, cfg, KindMeters, path)
		if got := count(t, db, `SELECT count(*) FROM raw_meters WHERE meter_id = '1430000001'`); got != 2 {
			t.Errorf("meter 1430000001 has %d rows, want the first and the newer version", got)
		}
		if r.Rows != 1 {
			t.Errorf("rows %d", r.Rows)
		}
	})
	t.Run("rectification naming nothing known", func(t *testing.T) {
		path := writeFile(t, "ledger.csv", "问题编号,整改状态,完成日期\n郭道镇-20230312-99,已整改,2023-04-01\n1430000001-NOD-20230305,整改中,\n1439999999-SRG-20230301,整改中,\n")
		fe := refused(t, db, cfg, KindRectification, path, "ledger.csv 第2行 问题编号: “郭道镇-20230312-99” 不是已导入的问题编号",
			"第4行 问题编号: “1439999999-SRG-20230301”")
		if len(fe.Errors) != 2 {
			t.Errorf("want 2 errors (the alert of a known meter is accepted): %v", fe)
		}
	})
	t.Run("unknown township", func(t *testing.T) {
		path := writeFile(t, "patrol.csv", "乡镇,巡查日期\n东风镇,2023-03-02\n郭道镇,2023-03-02\n")
		refused(t, db, cfg, KindPatrol, path, "patrol.csv 第2行 乡镇: “东风镇” 不是本县的乡镇")
		form := writeFile(t, "form.csv", "东风镇人民政府（盖章）   2023年3月12日\n序号,村,排查详细地址,现场情况,发现隐患\n1,东风村,x,y,无\n")
		refused(t, db, cfg, KindInspection, form, "form.csv 第1行 乡镇: “东风镇” 不是本县的乡镇")
	})
	t.Run("every error of a file together", func(t *testing.T) {
		path := writeFile(t, "clues2.csv", "线索编号,来源,乡镇,经度,纬度,发现日期,核查结果\n"+
			"XS-1,媒体曝光,郭道镇,112.1,36.7,2023-13-01,属实\nXS-2,网络,郭道镇,,,2023-03-01,属实\nXS-3,媒体曝光,郭道镇,112.1,,2023-03-01,可能\n")
		fe := refused(t, db, cfg, KindClues, path, "第2行 发现日期: “2023-13-01” 不是有效日期", "第3行 来源: “网络” 应为媒体曝光/上级督察/领导批办/日常监管之一",
			"第4行 纬度", "第4行 核查结果: “可能”")
		if len(fe.Errors) != 4 {
			t.Errorf("want 4 errors, got %d: %v", len(fe.Errors), fe)
		}
	})
	t.Run("missing column", func(t *testing.T) {
		path := writeFile(t, "checks.csv", "户号,核查日期\n1430000001,2023-03-05\n")
		refused(t, db, cfg, KindPowerChecks, path, "checks.csv 第1行 核查结果: 缺少必需的列")
	})
	t.Run("polygon outside the county", func(t *testing.T) {
		path := writeFile(t, "p.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"图斑编号":"W1","影像日期":"2023-03-01","乡镇":"郭道镇","核查结果":"违法"},"geometry":{"type":"Polygon","coordinates":[[[110,36.5],[110.1,36.5],[110.1,36.6],[110,36.5]]]}},{"type":"Feature","properties":{"图斑编号":"W2","影像日期":"2023-03-01","乡镇":"郭道镇","核查结果":"违法"},"geometry":{"type":"Point","coordinates":[112.2,36.7]}}]}`)
		refused(t, db, cfg, KindImagery, path, "p.geojson 第1行 经度: “110” 超出县域范围", "第2行 geometry", "应为Polygon或MultiPolygon")
	})
}

func TestHeaderFoundByContent(t *testing.T) {
	db, cfg := openDB(t)
	// Notes above the header, English aliases, columns in another order, an unknown column kept.
	path := writeFile(t, "checks.csv", "用电核查结果登记\n国网沁源县供电公司,,,,\n\n核查结果 [result],户号,checked_on,alert_id,核查人\n正常,1430000009,2023/3/9,,李工\n")
	load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	if _, err := LoadFile(context.Background(), db, cfg, KindPowerChecks, path, Options{}); err == nil || !strings.Contains(err.Error(), "第5行 户号: “1430000009” 不在用电户档案中") {
		t.Fatalf("want the unknown meter on line 5, got %v", err)
	}
	path = writeFile(t, "checks2.csv", "用电核查结果登记\n\n核查结果 [result],户号,checked_on,alert_id,核查人\n正常,1430000001,2023/3/9,,李工\n")
	r := load(t, db, cfg, KindPowerChecks, path)
	got := rowsOf(t, db, `SELECT source_row, meter_id, CAST(checked_on AS VARCHAR), result, CAST(extra AS VARCHAR) FROM raw_power_checks WHERE batch_id = ?`, r.BatchID)
	if fmt.Sprint(got) != `[[4 1430000001 2023-03-09 正常 {"核查人":"李工"}]]` {
		t.Errorf("got %v", got)
	}
}

func TestCancelLeavesNothing(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadFile(ctx, db, cfg, KindPower, fixture("用电数据.csv"), Options{}); err == nil {
		t.Fatal("a cancelled load succeeded")
	}
	if n := count(t, db, `SELECT count(*) FROM raw_power_readings`); n != 0 {
		t.Errorf("%d readings left", n)
	}
	if n := count(t, db, `SELECT count(*) FROM load_batches WHERE kind = 'power'`); n != 0 {
		t.Errorf("%d power batches", n)
	}
}

// cancelAt holds the loads of this test the first time one reaches the pause point; while it is
// held, the test's own goroutine cancels the load's context, then lets it go on. reached tells
// whether a load got there.
func cancelAt(t *testing.T, point string, cancel context.CancelFunc) (reached func() bool) {
	t.Helper()
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	var hit atomic.Bool
	hook := func(p string) {
		if p == point {
			once.Do(func() { hit.Store(true); close(held); <-release })
		}
	}
	batch.PauseAt.Store(&hook)
	done := make(chan struct{})
	go func() {
		select {
		case <-held:
			cancel()
			close(release)
		case <-done: // the load never came here
		}
	}()
	t.Cleanup(func() { close(done); batch.PauseAt.Store(nil) })
	return hit.Load
}

// leftBehind counts what a load that failed may have left: rows of the table, batches of the kind,
// their warnings, audit entries and villages added.
func leftBehind(t *testing.T, db *warehouse.DB, table string, kind Kind) map[string]int {
	t.Helper()
	return map[string]int{
		table:           count(t, db, `SELECT count(*) FROM `+table),
		"load_batches":  count(t, db, `SELECT count(*) FROM load_batches WHERE kind = ?`, string(kind)),
		"load_warnings": count(t, db, `SELECT count(*) FROM load_warnings WHERE batch_id NOT IN (SELECT batch_id FROM load_batches)`),
		"audit_log":     count(t, db, `SELECT count(*) FROM audit_log`),
		"dim_villages":  count(t, db, `SELECT count(*) FROM dim_villages`),
	}
}

// A small file cancelled just before its commit answers with the cancellation and leaves nothing
// behind; the same file then loads in full (readings: etl/power/cancel_test.go).
func TestCancelMidLoad(t *testing.T) {
	t.Run("clues, "+batch.PauseCommit, func(t *testing.T) {
		db, cfg := openDB(t)
		path := writeFile(t, "clues.csv", "线索编号,来源,乡镇,村,经度,纬度,发现日期,核查结果\n"+
			"XS-1,媒体曝光,郭道镇,新村甲,112.1,36.7,2023-03-01,属实\nXS-2,上级督察,郭道镇,,112.1,36.7,2023-03-02,属实\n")
		before := leftBehind(t, db, "raw_clues", KindClues)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		reached := cancelAt(t, batch.PauseCommit, cancel)
		r, err := LoadFile(ctx, db, cfg, KindClues, path, Options{LoadedBy: "test"})
		if !reached() || !errors.Is(err, context.Canceled) {
			t.Fatalf("reached %v; want the cancellation, got %+v, %v", reached(), r, err)
		}
		if after := leftBehind(t, db, "raw_clues", KindClues); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("left behind: %v, before the load %v", after, before)
		}
		batch.PauseAt.Store(nil)
		if again := load(t, db, cfg, KindClues, path); again.AlreadyLoaded || again.Rows != 2 {
			t.Errorf("the same file after the cancelled load: %+v", again)
		}
	})
}

// Readings as offices send them: CRLF line ends, a GB18030 header, tabs, a BOM, English headers and
// columns in another order with an extra one.
func TestReadingsVariants(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("户号,时间,电量\r\n")
	for name, content := range map[string]string{
		"crlf.csv":    "户号,时间,电量\r\n1430000001,2023-03-05 00:00:00,1.5\r\n1430000002,2023-03-05 00:00:00,2\r\n",
		"gbk.csv":     gb + "1430000001,2023-03-05 01:00:00,1.5\r\n1430000002,2023-03-05 01:00:00,2\r\n",
		"tabs.csv":    "\uFEFF户号\t时间\t电量\n1430000001\t2023-03-05 02:00:00\t1.5\n1430000002\t2023-03-05 02:00:00\t2\n",
		"english.csv": "kwh,note,meter_id,ts\n1.5,x,1430000001,2023-03-05 03:00:00\n2,,1430000002,2023-03-05 03:00:00\n",
	} {
		r := load(t, db, cfg, KindPower, writeFile(t, name, content))
		got := rowsOf(t, db, `SELECT source_row, meter_id, kwh FROM raw_power_readings JOIN power_meter_keys USING (meter_key) WHERE batch_id = ? ORDER BY source_row`, r.BatchID)
		if fmt.Sprint(got) != "[[2 1430000001 1.5] [3 1430000002 2]]" {
			t.Errorf("%s: %v", name, got)
		}
	}
}

func TestLoadReaderAndParquet(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	pq := filepath.Join(t.TempDir(), "readings.parquet")
	if _, err := db.Exec(fmt.Sprintf(`COPY (SELECT * FROM read_csv('%s')) TO '%s' (FORMAT parquet)`, fixture("用电数据.csv"), pq)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(pq)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := Load(context.Background(), db, cfg, KindPower, "upload.parquet", f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Rows != 72 {
		t.Errorf("rows %d", r.Rows)
	}
	// Parquet rows count from 1 (no header): row 26 is the second reading of the second meter.
	if got := fmt.Sprint(rowsOf(t, db, `SELECT source_row, meter_id, kwh FROM raw_power_readings JOIN power_meter_keys USING (meter_key) WHERE source_row = 26`)); got != "[[26 1430000002 1.5]]" {
		t.Errorf("parquet row 26: %s", got)
	}
}

// A header that resembles a contract column is refused, naming both, and nothing is loaded; a form
// without a required column is refused.
func TestLookalikeHeadersRefused(t *testing.T) {
	db, cfg := openDB(t)
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"hazard.csv", "乡镇,村,发现的隐患,备注\n郭道镇,郭道村,煤矸石堆放,\n",
			[]string{"列“发现的隐患”是不是“发现隐患”？", "发现隐患: 缺少必需的列"}},
		{"date.csv", "乡镇,村,发现隐患,检查日期\n郭道镇,郭道村,煤矸石堆放,2023-03-05\n",
			[]string{"列“检查日期”是不是“排查日期”？"}},
		{"nohazard.csv", "乡镇,村,排查详细地址,备注\n郭道镇,郭道村,村东,\n",
			[]string{"发现隐患: 缺少必需的列"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			refused(t, db, cfg, KindInspection, writeFile(t, c.name, c.body), c.want...)
		})
	}
	// a legitimate extra column stays an extra column
	ok := load(t, db, cfg, KindInspection, writeFile(t, "extra.csv", "乡镇,村,问题编号,发现隐患,排查日期,联系电话\n郭道镇,郭道村,GD-1,煤矸石堆放,2023-03-05,13800000000\n"))
	if ok.Rows != 1 {
		t.Errorf("extra column: %+v", ok)
	}
}
