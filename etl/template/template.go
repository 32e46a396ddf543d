// Package template writes the load templates: for every input kind a file to fill in — the kind's
// columns exactly as the loader reads them (etl.Columns, etl/columns.go: each column's Chinese
// header, in the contract's order) and one example row drawn from the configuration (its first
// township, village, category, unit and stage). The required columns are listed on a second sheet,
// 填写说明 (a second header row would be read as data). The upload page offers them
// (/staff/upload/template/KIND) and so does `landwatch template KIND --out FILE`. Power readings
// are loaded from csv or Parquet (etl/power/power.go), so their template is a csv file.
package template

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"landwatch/campaign"
	"landwatch/etl"
)

// Kinds are the kinds that have a template: every input contract.
func Kinds() []etl.Kind {
	var out []etl.Kind
	for _, k := range etl.Kinds {
		if _, ok := etl.Columns(k); ok {
			out = append(out, k)
		}
	}
	return out
}

// Name is the file name of kind's template (用电数据模板.csv, 案件模板.xlsx …).
func Name(kind etl.Kind) string {
	ext := ".xlsx"
	if kind == etl.KindPower {
		ext = ".csv"
	}
	return campaign.Label("input", string(kind)) + "模板" + ext
}

// For writes kind's template: the header row and one example row.
func For(cfg *campaign.Config, kind etl.Kind) ([]byte, error) {
	fields, ok := etl.Columns(kind)
	if !ok {
		return nil, fmt.Errorf("“%s”没有模板", kind)
	}
	ex := examples(cfg, kind)
	head := make([]string, len(fields))
	row := make([]string, len(fields))
	for i, fd := range fields {
		head[i], row[i] = fd.Zh, ex[fd.Key]
	}
	if kind == etl.KindPower {
		var b bytes.Buffer
		b.WriteString("\uFEFF" + strings.Join(head, ",") + "\n" + strings.Join(row, ",") + "\n")
		return b.Bytes(), nil
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := campaign.Label("input", string(kind))
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	at := 1
	if kind == etl.KindInspection { // the paper form's title and its stamp line (township and date)
		f.SetCellStr(sheet, "A1", cfg.County.Name+"严厉打击非法违法采矿等行为专项行动隐患排查报表")
		f.SetCellStr(sheet, "A2", ex["township"]+"人民政府（盖章）    "+ex["form_date"])
		at = 3
	}
	for i := range head {
		cell, _ := excelize.CoordinatesToCellName(i+1, at)
		f.SetCellStr(sheet, cell, head[i])
		cell, _ = excelize.CoordinatesToCellName(i+1, at+1)
		f.SetCellStr(sheet, cell, row[i])
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sheet, col, col, float64(max(10, 2*len([]rune(head[i]))+2)))
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	last, _ := excelize.CoordinatesToCellName(len(head), at)
	f.SetCellStyle(sheet, fmt.Sprintf("A%d", at), last, bold)
	// the notes on their own sheet, so the form's sheet holds the table only
	const notes = "填写说明"
	if _, err := f.NewSheet(notes); err != nil {
		return nil, err
	}
	f.SetCellStr(notes, "A1", "第一个工作表的表头请勿改动；示例行可改写或删除后填写。")
	var must []string
	for _, fd := range fields {
		if fd.Required {
			must = append(must, fd.Zh)
		}
	}
	f.SetCellStr(notes, "A2", "必填列："+strings.Join(must, "、"))
	f.SetCellStr(notes, "A3", "日期写作 年-月-日（如 2023-03-06）；金额、面积写数字。")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// examples are one row of plausible values for kind, by field key.
func examples(cfg *campaign.Config, kind etl.Kind) map[string]string {
	town, village, cat, unit, stage := "", "", "", "", ""
	if len(cfg.Townships) > 0 {
		town = cfg.Townships[0].Name
		if len(cfg.Townships[0].Villages) > 0 {
			village = cfg.Townships[0].Villages[0]
		}
	}
	if len(cfg.Categories) > 0 {
		cat = cfg.Categories[0].Name
	}
	if len(cfg.Stages) > 0 {
		stage, unit = cfg.Stages[0].Name, cfg.Stages[0].Unit
		if u, ok := cfg.Unit(unit); ok {
			unit = u.Name
		}
	}
	day := cfg.Start().AddDate(0, 0, 7)
	d := day.Format("2006-01-02")
	later := day.AddDate(0, 1, 0).Format("2006-01-02")
	lon, lat := "112.316107", "36.379114"
	if len(cfg.Townships) > 0 && cfg.Townships[0].Center != [2]float64{} {
		lon, lat = fmt.Sprintf("%.6f", cfg.Townships[0].Center[0]), fmt.Sprintf("%.6f", cfg.Townships[0].Center[1])
	}
	problem := fmt.Sprintf("%s-%s-%s-1", town, village, day.Format("20060102"))
	ctype := ""
	if ts := cfg.CustomerTypeNames(); len(ts) > 0 {
		ctype = ts[0]
	}
	common := map[string]string{"township": town, "village": village, "lon": lon, "lat": lat, "category": cat,
		"problem_id": problem, "note": "", "remark": "", "meter_id": "1430000001"}
	per := map[etl.Kind]map[string]string{
		etl.KindInspection: {"seq": "1", "address": village + "村口", "site_condition": "车辆已撤离", "hazard": "以种养殖名义占地建大棚房",
			"measures": "封堵井口，清理现场", "cadre_signed": "张三", "head_signed": "李四", "problem_id": "", "inspected_on": d,
			"deadline": later, "level": "村级", "form_date": day.Format("2006年1月2日")},
		etl.KindRectification: {"status": "整改中", "rectified_on": "", "verified_by": "王五", "note": "正在整改"},
		etl.KindPatrol:        {"patrolled_on": d, "team": town + "综合行政执法队 张三、李四", "villages": village, "findings": "未发现问题"},
		etl.KindCases: {"case_id": "AJ2023-0001", "source": "巡查", "source_ref": "", "found_on": d, "filed_on": "",
			"status": "已立案"},
		etl.KindMeters:      {"account": "某某洗煤有限公司", "customer_type": ctype, "address": town + village + "1号"},
		etl.KindPowerChecks: {"alert_id": "", "checked_on": d, "result": "非法采矿"},
		etl.KindImagery: {"patch_id": "WP2023-01-0001", "batch": "2023第1批", "imaged_on": d, "change_type": "新增建设",
			"land_before": "耕地", "land_after": "建设用地", "area_mu": "3.5", "verdict": "未核查", "checked_on": "",
			"wkt": square(lon, lat)},
		etl.KindLicences: {"licence_id": "C1400002011011120000001", "holder": "某某煤业有限公司", "mineral": "煤", "valid_from": "2020-01-01",
			"valid_to": "2030-12-31", "wkt": square(lon, lat)},
		etl.KindClues:            {"clue_id": "XS2023-0001", "source": "日常监管", "found_on": d, "verdict": "属实"},
		etl.KindResponsibilities: {"village": "", "post": "镇长", "person": "张三", "duty_type": "第一责任人", "grid": ""},
		etl.KindDuties:           {"class": "重点", "unit": "县自然资源局", "person": "张三", "requirement": "封堵井口，恢复植被", "deadline": later},
		etl.KindRechecks:         {"rechecked_on": later, "inspector": "张三", "result": "整改到位", "note": "已恢复"},
		etl.KindCaseStages:       {"case_id": "AJ2023-0001", "stage": stage, "stage_on": d, "unit": unit, "term_months": "", "fine_yuan": "", "doc_no": ""},
		etl.KindRestoration: {"party": "违法者", "area_mu": "3.69", "restored_mu": "", "due_on": later, "accepted_on": "", "cost_yuan": "44300",
			"paid_yuan": "", "payer": "", "note": "覆土平整，复垦复绿"},
		etl.KindPower: {"ts": day.Format("2006-01-02") + " 00:00:00", "kwh": "40.288"},
		etl.KindAcceptances: {"accepted_on": later, "unit": "县自然资源局", "inspector": "张三", "result": "合格",
			"note": "现场复核，已恢复原状"},
		etl.KindCollections: {"case_id": "AJ2023-0001", "doc_no": "沁自然资罚〔2023〕1号", "paid_on": later, "amount_yuan": "50000",
			"receipt_no": "FM2023000001", "fine_kind": "罚款", "note": ""},
		etl.KindExplosives: {"flow_id": "MB2023-0001", "buyer": "某某爆破工程有限公司", "licence_id": "C1400002011011120000001",
			"item": "炸药", "quantity": "120", "unit": "千克", "drawn_on": d, "site": town + village, "returned": "0"},
		etl.KindVideo: {"event_id": "SP2023-0001", "camera_id": "SXT-001", "seen_at": d + " 23:40", "event_type": "夜间作业",
			"screenshot": "SP2023-0001.jpg", "note": "夜间有挖掘机作业"},
	}
	out := map[string]string{}
	for k, v := range common {
		out[k] = v
	}
	for k, v := range per[kind] {
		out[k] = v
	}
	return out
}

// square is a small square polygon (WKT) at lon, lat: an example patch.
func square(lon, lat string) string {
	var x, y float64
	fmt.Sscan(lon, &x)
	fmt.Sscan(lat, &y)
	const d = 0.001
	return fmt.Sprintf("POLYGON((%.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f %.6f, %.6f %.6f))", x, y, x+d, y, x+d, y+d, x, y+d, x, y)
}
