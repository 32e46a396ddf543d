package synth_test

// An independent check of truth.json: the files are read back with excelize, encoding/csv and
// encoding/json only, and every figure is recomputed from queries/README.md. Nothing of the
// generator's internal model is used.

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"landwatch/campaign"
)

type day = time.Time

// tb is what the checks report to: *testing.T, or a recorder in the test that the checks can fail.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

func pday(t tb, s string) day {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

func fmtDay(d day) string { return d.Format("2006-01-02") }

type manifestFile struct {
	Kind, Path string
	ReceivedOn string `json:"received_on"`
}

// arrival is when a file reached the county: its day, an order key (a day alone is its end) and its
// position in the manifest (files received at the same moment count in that order).
type arrival struct {
	day day
	key string
	seq int
}

func (a arrival) after(b arrival) bool {
	if a.key != b.key {
		return a.key > b.key
	}
	return a.seq > b.seq
}

func parseArrival(t tb, s string, seq int) arrival {
	if len(s) == len("2006-01-02") {
		return arrival{day: pday(t, s), key: s + "T24:00", seq: seq}
	}
	ts, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		t.Fatalf("received_on %q: %v", s, err)
	}
	return arrival{day: ts.Truncate(24 * time.Hour), key: s, seq: seq}
}

// latest keeps, per id, the version of the latest file received by the end of d.
func latest(recs []cRec, d day) []cRec {
	best := map[string]int{}
	var order []string
	for i, r := range recs {
		if r.arr.day.After(d) {
			continue
		}
		j, ok := best[r.id]
		if !ok {
			order = append(order, r.id)
			best[r.id] = i
		} else if r.arr.after(recs[j].arr) {
			best[r.id] = i
		}
	}
	out := make([]cRec, 0, len(order))
	for _, id := range order {
		out = append(out, recs[best[id]])
	}
	return out
}

type dataset struct {
	t        tb
	dir      string
	meters   map[string]*cMeter
	readings map[string]map[string]*[24]float64 // meter → day → hourly kWh
	present  map[string]map[string]*[24]bool
	arrived  map[string]map[string]day // meter → day → when the file of its readings arrived
	checks   []cCheck
	patches  []cRec // every version of every file
	cases    []cRec
	clues    []cRec
	forms    []*cForm
	rects    map[string][]cRect
	patrols  map[string][]cPatrol
	files    map[string]arrival // manifest path → arrival
	kinds    map[string]string  // manifest path → kind
	lastDate map[string]day     // manifest path → the latest date the file states
	// the accountability chain: register versions, the 责任分解表, re-inspections
	registers   []cRegister
	duties      map[string]string // item → 整改时限 ("" when none)
	dutiesRecv  *day
	rechecks    []cRecheck
	classes     map[string]string // item → 类别 of the 责任分解表
	acceptances []cAcceptance     // acceptance_check_test.go
	// the units' own stage files and the 移送公安 dates of the cases exports (stages_check_test.go)
	stages   []cStage
	toPolice map[string]cDated // case → the latest export's 移送公安日期
	licences []cLicence
}

// cLicence is one licence of the register as its file states it.
type cLicence struct {
	id       string
	from, to day
	polys    [][][2]float64
}

type cRegister struct {
	recv day
	rows []map[string]string
}

type cRecheck struct {
	item, result string
	on, recv     day
}

type cPatrol struct{ on, recv day }

type cMeter struct {
	id, kind, township, village string
	lon, lat                    float64
}

type cCheck struct {
	meter, alert, result string
	on, recv             day
}

// cRec is a record of a violation channel.
type cRec struct {
	channel, id, ref, township, village, cat, verdict string
	change, landAfter                                 string // a patch's 变化类型 and 后地类
	hasXY                                             bool
	lon, lat                                          float64
	first, checked                                    day
	hasChecked                                        bool
	arr                                               arrival
}

type cProblem struct {
	id, township, village, remark string
	reported, deadline            day
	hasDeadline, hasXY            bool
	lon, lat                      float64
}

type cRect struct {
	status string
	on     day
	hasDay bool
	recv   day
}

func readXLSX(t tb, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return rows
}

func readCSV(t tb, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return rows
}

// byHeader maps rows under a header row to column name → value.
func byHeader(rows [][]string) []map[string]string {
	var out []map[string]string
	h := rows[0]
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, name := range h {
			if i < len(r) {
				m[name] = strings.TrimSpace(r[i])
			}
		}
		out = append(out, m)
	}
	return out
}

func num(t tb, s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return v
}

func loadDataset(t tb, dir string) *dataset {
	ds := &dataset{t: t, dir: dir, meters: map[string]*cMeter{}, readings: map[string]map[string]*[24]float64{},
		present: map[string]map[string]*[24]bool{}, arrived: map[string]map[string]day{}, rects: map[string][]cRect{},
		patrols: map[string][]cPatrol{}, files: map[string]arrival{}, kinds: map[string]string{}, lastDate: map[string]day{}}
	var man struct{ Files []manifestFile }
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatalf("%v", err)
	}
	if err := json.Unmarshal(data, &man); err != nil {
		t.Fatalf("%v", err)
	}
	var metersArrived day
	firstReading := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	for seq, f := range man.Files {
		path := filepath.Join(dir, filepath.FromSlash(f.Path))
		if f.ReceivedOn == "" {
			t.Fatalf("%s: no received_on in the manifest", f.Path)
		}
		arr := parseArrival(t, f.ReceivedOn, seq)
		ds.files[f.Path], ds.kinds[f.Path] = arr, f.Kind
		// The loader refuses a file stating an event after its arrival.
		stated := func(what string, d day) {
			if d.After(ds.lastDate[f.Path]) {
				ds.lastDate[f.Path] = d
			}
			if d.After(arr.day) {
				t.Errorf("%s: %s %s after the file's received_on %s", f.Path, what, fmtDay(d), f.ReceivedOn)
			}
		}
		switch f.Kind {
		case "meters":
			metersArrived = arr.day
			for _, r := range byHeader(readCSV(t, path)) {
				ds.meters[r["户号"]] = &cMeter{id: r["户号"], kind: r["用电类别"], township: r["乡镇"], village: r["村"], lon: num(t, r["经度"]), lat: num(t, r["纬度"])}
			}
		case "power":
			rows := readCSV(t, path)
			if strings.Join(rows[0], ",") != "户号,时间,电量" {
				t.Fatalf("%s header %v", f.Path, rows[0])
			}
			for _, r := range rows[1:] {
				ts, err := time.Parse("2006-01-02 15:04:05", r[1])
				if err != nil {
					t.Fatalf("%s: %v", f.Path, err)
				}
				if strings.Contains(r[2], ".") && len(r[2])-strings.Index(r[2], ".")-1 > 3 {
					t.Fatalf("%s: more than 3 decimals in %q", f.Path, r[2])
				}
				dm := ds.readings[r[0]]
				if dm == nil {
					dm = map[string]*[24]float64{}
					ds.readings[r[0]] = dm
					ds.present[r[0]] = map[string]*[24]bool{}
				}
				k := fmtDay(ts)
				if dm[k] == nil {
					dm[k] = new([24]float64)
					ds.present[r[0]][k] = new([24]bool)
					if ds.arrived[r[0]] == nil {
						ds.arrived[r[0]] = map[string]day{}
					}
					ds.arrived[r[0]][k] = arr.day
				}
				if ds.present[r[0]][k][ts.Hour()] || ds.arrived[r[0]][k] != arr.day {
					t.Fatalf("%s: meter %s reading %s given by two files", f.Path, r[0], r[1])
				}
				stated("reading", ts.Truncate(24*time.Hour))
				if ts.Before(firstReading) {
					firstReading = ts
				}
				dm[k][ts.Hour()] = num(t, r[2])
				ds.present[r[0]][k][ts.Hour()] = true
			}
		case "power-checks":
			for _, r := range byHeader(readXLSX(t, path)) {
				c := cCheck{meter: r["户号"], alert: r["预警编号"], result: r["核查结果"], on: pday(t, r["核查日期"]), recv: arr.day}
				stated("核查日期", c.on)
				ds.checks = append(ds.checks, c)
			}
		case "imagery":
			for _, p := range readImagery(t, path) {
				p.arr = arr
				stated("影像日期", p.first)
				if p.hasChecked {
					stated("核查日期", p.checked)
				} else if p.verdict != "未核查" && p.verdict != "" {
					t.Errorf("%s: patch %s has verdict %s without a check date", f.Path, p.id, p.verdict)
				}
				ds.patches = append(ds.patches, p)
			}
		case "cases":
			for _, r := range byHeader(readXLSX(t, path)) {
				c := cRec{channel: "案件", id: r["案件编号"], ref: r["来源编号"], township: r["乡镇"], village: r["村"], cat: r["违法类型"], first: pday(t, r["发现日期"]), arr: arr}
				for _, col := range []string{"发现日期", "立案日期", "价格认定申请日期", "价格认定完成日期", "移送公安日期", "移送检察日期", "判决日期"} {
					if r[col] != "" {
						stated(col, pday(t, r[col]))
					}
				}
				if r["经度"] != "" {
					c.hasXY, c.lon, c.lat = true, num(t, r["经度"]), num(t, r["纬度"])
				}
				if r["移送公安日期"] != "" {
					ds.notePolice(c.id, pday(t, r["移送公安日期"]), arr.day)
				}
				ds.cases = append(ds.cases, c)
			}
		case "clues":
			for _, r := range byHeader(readXLSX(t, path)) {
				c := cRec{channel: "线索", id: r["线索编号"], township: r["乡镇"], village: r["村"], cat: r["类别"], verdict: r["核查结果"], first: pday(t, r["发现日期"]), arr: arr}
				stated("发现日期", c.first)
				if r["经度"] != "" {
					c.hasXY, c.lon, c.lat = true, num(t, r["经度"]), num(t, r["纬度"])
				}
				ds.clues = append(ds.clues, c)
			}
		case "inspection":
			fm := readForm(t, path)
			fm.arr, fm.path = arr, f.Path
			stated("填报日期", fm.day)
			for _, p := range fm.problems {
				stated("排查日期", p.reported)
			}
			ds.forms = append(ds.forms, fm)
		case "patrol":
			for _, r := range byHeader(readXLSX(t, path)) {
				p := cPatrol{on: pday(t, r["巡查日期"]), recv: arr.day}
				stated("巡查日期", p.on)
				ds.patrols[r["乡镇"]] = append(ds.patrols[r["乡镇"]], p)
			}
		case "licences":
			for _, l := range readLicences(t, path) {
				stated("有效期起", l.from) // 有效期止 looks ahead
				ds.licences = append(ds.licences, l)
			}
		case "responsibilities":
			ds.registers = append(ds.registers, cRegister{recv: arr.day, rows: byHeader(readXLSX(t, path))})
		case "duties":
			// a file is the whole table of each 期别 its rows name: the campaign's (期别 blank) is
			// read here; a 常态化 period's table (etl/synth/periodwork.go) arrives after every date
			// this check evaluates and leaves the campaign's in force
			rows := byHeader(readXLSX(t, path))
			if slices.ContainsFunc(rows, func(r map[string]string) bool { return r["期别"] != "" }) {
				if slices.ContainsFunc(rows, func(r map[string]string) bool { return r["期别"] == "" }) {
					t.Errorf("%s: rows of the campaign and of a period in one 责任分解表", path)
				}
				break
			}
			ds.duties, ds.classes = map[string]string{}, map[string]string{}
			for _, r := range rows {
				ds.duties[r["问题编号"]] = r["整改时限"]
				ds.classes[r["问题编号"]] = r["类别"]
			}
			d := arr.day
			ds.dutiesRecv = &d
		case "rechecks":
			for _, r := range byHeader(readXLSX(t, path)) {
				x := cRecheck{item: r["问题编号"], result: r["复查结果"], on: pday(t, r["复查日期"]), recv: arr.day}
				stated("复查日期", x.on)
				ds.rechecks = append(ds.rechecks, x)
			}
		case "rectification":
			for _, r := range byHeader(readXLSX(t, path)) {
				x := cRect{status: r["整改状态"], recv: arr.day}
				if r["完成日期"] != "" {
					x.on, x.hasDay = pday(t, r["完成日期"]), true
					stated("完成日期", x.on)
				}
				ds.rects[r["问题编号"]] = append(ds.rects[r["问题编号"]], x)
			}
		case "restoration":
			for _, r := range byHeader(readXLSX(t, path)) {
				if r["验收日期"] != "" {
					stated("验收日期", pday(t, r["验收日期"]))
				}
				area, _ := strconv.ParseFloat(r["应恢复面积（亩）"], 64)
				done, _ := strconv.ParseFloat(r["已恢复面积（亩）"], 64)
				cost, _ := strconv.ParseFloat(r["估算费用（元）"], 64)
				paid, _ := strconv.ParseFloat(r["已付费用（元）"], 64)
				if done > area || paid > cost || (r["验收日期"] != "" && done != area) || (paid > 0) != (r["付款方"] != "") {
					t.Errorf("%s: restoration row of %s does not add up: %v", f.Path, r["问题编号"], r)
				}
			}
		case "acceptances":
			for _, r := range byHeader(readXLSX(t, path)) {
				x := cAcceptance{item: r["问题编号"], unit: r["验收单位"], result: r["验收结果"], on: pday(t, r["验收日期"]), recv: arr.day}
				stated("验收日期", x.on)
				ds.acceptances = append(ds.acceptances, x)
			}
		case "case-stages":
			for _, r := range byHeader(readCSV(t, path)) {
				x := cStage{caseID: r["案件编号"], stage: r["环节"], unit: r["单位"], on: pday(t, r["日期"]), recv: arr.day}
				stated("日期", x.on)
				ds.stages = append(ds.stages, x)
			}
		case "explosives":
			for _, r := range byHeader(readCSV(t, path)) {
				stated("领用日期", pday(t, r["领用日期"]))
				if r["许可证号"] == "" || r["作业地点"] == "" || r["经度"] == "" {
					t.Errorf("%s: flow %s lacks its licence, site or point", f.Path, r["流向编号"])
				}
			}
		case "video":
			for _, r := range byHeader(readCSV(t, path)) {
				stated("时间", pday(t, strings.Fields(r["时间"])[0]))
				if _, err := os.Stat(filepath.Join(filepath.Dir(path), r["截图文件名"])); err != nil {
					t.Errorf("%s: event %s: its screenshot: %v", f.Path, r["事件编号"], err)
				}
			}
		case "collections": // collections_check_test.go reads them again
			for _, r := range byHeader(readCSV(t, path)) {
				stated("缴款日期", pday(t, r["缴款日期"]))
			}
		default:
			t.Fatalf("unknown kind %q in manifest", f.Kind)
		}
	}
	if !metersArrived.Before(firstReading.Truncate(24 * time.Hour)) {
		t.Errorf("the meter registry arrives on %s, not before the first reading %s", fmtDay(metersArrived), firstReading)
	}
	// A correction arrives after the form it replaces, and is listed after it.
	seen := map[string]*cForm{}
	for _, f := range ds.forms {
		if prev := seen[f.key]; prev != nil && !f.arr.after(prev.arr) {
			t.Errorf("%s arrives (%s) before %s, which it corrects", f.path, f.arr.key, prev.path)
		}
		seen[f.key] = f
	}
	return ds
}

type cForm struct {
	key, path string
	day       day
	arr       arrival
	problems  []cProblem
	signed    [][3]string // township, village, 包村干部签字 of every line with both
}

// problemsAsOf: the problems known at the end of d — of the latest form of each key (township, level,
// village, date) received by then — reported by d.
func (ds *dataset) problemsAsOf(d day) []cProblem {
	active := map[string]*cForm{}
	var order []string
	for _, f := range ds.forms {
		if f.arr.day.After(d) {
			continue
		}
		if prev, ok := active[f.key]; !ok {
			order = append(order, f.key)
			active[f.key] = f
		} else if f.arr.after(prev.arr) {
			active[f.key] = f
		}
	}
	var out []cProblem
	for _, k := range order {
		for _, p := range active[k].problems {
			if !p.reported.After(d) {
				out = append(out, p)
			}
		}
	}
	return out
}

var noneMarkers = map[string]bool{"": true, "无": true, "无隐患": true, "未发现": true, "没有": true, "/": true, "-": true, "—": true}

var headLine = regexp.MustCompile(`^(\S+?)人民政府（盖章）\s+(\d{4})年(\d{1,2})月(\d{1,2})日$`)

func readForm(t tb, path string) *cForm {
	var rows [][]string
	if strings.HasSuffix(path, ".csv") {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v", err)
		}
		utf, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		r := csv.NewReader(bytes.NewReader(utf))
		r.FieldsPerRecord = -1
		if rows, err = r.ReadAll(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	} else {
		rows = readXLSX(t, path)
	}
	if len(rows) < 4 || rows[0][0] != "沁源县严厉打击非法违法采矿等行为专项行动隐患排查报表" {
		t.Fatalf("%s: no title row", path)
	}
	m := headLine.FindStringSubmatch(strings.TrimSpace(rows[1][0]))
	if m == nil {
		t.Fatalf("%s: header line %q", path, rows[1][0])
	}
	town := m[1]
	y, _ := strconv.Atoi(m[2])
	mo, _ := strconv.Atoi(m[3])
	d, _ := strconv.Atoi(m[4])
	formDay := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	col := map[string]int{}
	for i, h := range rows[2] {
		col[strings.ReplaceAll(h, "\n", "")] = i
	}
	for _, need := range []string{"序号", "村", "排查详细地址", "现场情况", "发现隐患", "整改措施", "包村干部签字", "村委负责人签字", "备注"} {
		if _, ok := col[need]; !ok {
			t.Fatalf("%s: header lacks %s: %q", path, need, rows[2])
		}
	}
	get := func(r []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(r) {
			return ""
		}
		return strings.TrimSpace(r[i])
	}
	f := &cForm{day: formDay}
	level, village := "乡镇", ""
	for _, r := range rows[3:] {
		if len(r) > 0 && strings.HasPrefix(strings.TrimSpace(r[0]), "填报说明") {
			break
		}
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		if lv := get(r, "层级"); lv != "" {
			level = lv
		}
		village = get(r, "村")
		if c := get(r, "包村干部签字"); c != "" && village != "" {
			f.signed = append(f.signed, [3]string{town, village, c})
		}
		if noneMarkers[get(r, "发现隐患")] {
			continue
		}
		seq := get(r, "序号")
		id := fmt.Sprintf("%s-%s-%s", town, formDay.Format("20060102"), seq)
		if level == "村级" {
			id = fmt.Sprintf("%s-%s-%s-%s", town, village, formDay.Format("20060102"), seq)
		}
		p := cProblem{id: id, township: town, village: village, remark: get(r, "备注"), reported: formDay}
		if s := get(r, "排查日期"); s != "" {
			p.reported = pday(t, s)
		}
		if s := get(r, "整改时限"); s != "" {
			p.deadline, p.hasDeadline = pday(t, s), true
		}
		if s := get(r, "经度"); s != "" {
			p.hasXY, p.lon, p.lat = true, num(t, s), num(t, get(r, "纬度"))
		}
		f.problems = append(f.problems, p)
	}
	f.key = town + "|" + level + "|" + formDay.Format("20060102")
	if level == "村级" {
		f.key += "|" + village
	}
	return f
}

func readImagery(t tb, path string) []cRec {
	var out []cRec
	mk := func(props map[string]string, polys [][][2]float64) cRec {
		lon, lat := centroidOf(polys)
		c := cRec{channel: "卫片", id: props["图斑编号"], township: props["乡镇"], village: props["村"], verdict: props["核查结果"],
			change: props["变化类型"], landAfter: props["后地类"],
			hasXY: true, lon: lon, lat: lat, first: pday(t, props["影像日期"])}
		if s := props["核查日期"]; s != "" {
			c.checked, c.hasChecked = pday(t, s), true
		}
		return c
	}
	if strings.HasSuffix(path, ".csv") {
		for _, r := range byHeader(readCSV(t, path)) {
			out = append(out, mk(r, parseWKT(t, r["WKT"])))
		}
		return out
	}
	var fc struct {
		Type     string
		Features []struct {
			Properties map[string]any
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	if err := json.Unmarshal(data, &fc); err != nil || fc.Type != "FeatureCollection" {
		t.Fatalf("%s: not a FeatureCollection: %v", path, err)
	}
	for _, ft := range fc.Features {
		props := map[string]string{}
		for k, v := range ft.Properties {
			if v != nil {
				props[k] = fmt.Sprint(v)
			}
		}
		var polys [][][2]float64
		switch ft.Geometry.Type {
		case "Polygon":
			var rings [][][2]float64
			json.Unmarshal(ft.Geometry.Coordinates, &rings)
			polys = append(polys, rings[0])
		case "MultiPolygon":
			var ps [][][][2]float64
			json.Unmarshal(ft.Geometry.Coordinates, &ps)
			for _, p := range ps {
				polys = append(polys, p[0])
			}
		default:
			t.Fatalf("%s: geometry %s", path, ft.Geometry.Type)
		}
		out = append(out, mk(props, polys))
	}
	return out
}

// readLicences reads the licence register (GeoJSON; a Polygon's or MultiPolygon's outer rings).
func readLicences(t tb, path string) []cLicence {
	var fc struct {
		Features []struct {
			Properties map[string]string
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v", err)
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []cLicence
	for _, ft := range fc.Features {
		l := cLicence{id: ft.Properties["许可证号"], from: pday(t, ft.Properties["有效期起"]), to: pday(t, ft.Properties["有效期止"])}
		switch ft.Geometry.Type {
		case "Polygon":
			var rings [][][2]float64
			json.Unmarshal(ft.Geometry.Coordinates, &rings)
			l.polys = append(l.polys, rings[0])
		case "MultiPolygon":
			var ps [][][][2]float64
			json.Unmarshal(ft.Geometry.Coordinates, &ps)
			for _, p := range ps {
				l.polys = append(l.polys, p[0])
			}
		default:
			t.Fatalf("%s: geometry %s", path, ft.Geometry.Type)
		}
		out = append(out, l)
	}
	return out
}

// triageAt is the licence status of every patch known at d (its latest version), by the
// definition of queries/README.md "mart_imagery_triage": the licences whose area holds the patch's
// centroid (even-odd rule), valid on its imaging date or not.
func (ds *dataset) triageAt(d day) map[string][2]string {
	latest := map[string]cRec{}
	for _, p := range ds.patches {
		if !p.arr.day.After(d) {
			latest[p.id] = p
		}
	}
	out := map[string][2]string{}
	for id, p := range latest {
		valid, other := "", ""
		var otherTo day
		for _, l := range ds.licences {
			in := false
			for _, ring := range l.polys {
				inside := false
				for i := 0; i+1 < len(ring); i++ {
					a, b := ring[i], ring[i+1]
					if (a[1] > p.lat) != (b[1] > p.lat) && p.lon < a[0]+(p.lat-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
						inside = !inside
					}
				}
				in = in || inside
			}
			if !in {
				continue
			}
			if !p.first.Before(l.from) && !p.first.After(l.to) {
				if valid == "" || l.id < valid {
					valid = l.id
				}
			} else if other == "" || l.to.After(otherTo) {
				other, otherTo = l.id, l.to
			}
		}
		switch {
		case valid != "":
			out[id] = [2]string{"in_licence", valid}
		case other != "":
			out[id] = [2]string{"expired_licence", other}
		case p.verdict == "合法":
			out[id] = [2]string{"verified_lawful", ""}
		case p.change != "挖损" && p.landAfter != "采矿用地":
			out[id] = [2]string{"not_mining", ""}
		default:
			out[id] = [2]string{"no_licence", ""}
		}
	}
	return out
}

func parseWKT(t tb, s string) [][][2]float64 {
	var polys [][][2]float64
	body := s[strings.Index(s, "(")+1 : strings.LastIndex(s, ")")]
	for _, part := range strings.Split(body, ")") {
		part = strings.Trim(part, " ,()")
		if part == "" {
			continue
		}
		var ring [][2]float64
		for _, pt := range strings.Split(part, ",") {
			xy := strings.Fields(pt)
			ring = append(ring, [2]float64{num(t, xy[0]), num(t, xy[1])})
		}
		polys = append(polys, ring)
	}
	return polys
}

// centroidOf is the planar area centroid of the outer rings.
func centroidOf(polys [][][2]float64) (float64, float64) {
	var sa, sx, sy float64
	for _, ring := range polys {
		ox, oy := ring[0][0], ring[0][1]
		for i := 0; i+1 < len(ring); i++ {
			x1, y1, x2, y2 := ring[i][0]-ox, ring[i][1]-oy, ring[i+1][0]-ox, ring[i+1][1]-oy
			c := x1*y2 - x2*y1
			sa += c / 2
			sx += (x1+x2)*c/6 + ox*c/2
			sy += (y1+y2)*c/6 + oy*c/2
		}
	}
	return sx / sa, sy / sa
}

func dist(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371008.8
	p1, p2 := lat1*math.Pi/180, lat2*math.Pi/180
	dp, dl := p2-p1, (lon2-lon1)*math.Pi/180
	a := math.Pow(math.Sin(dp/2), 2) + math.Cos(p1)*math.Cos(p2)*math.Pow(math.Sin(dl/2), 2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// ---- power rules ----

type cAlert struct {
	id, meter, rule string
	first, last     day
}

func (ds *dataset) alerts(meter string, asOf day, p campaign.Power) []cAlert {
	m := ds.meters[meter]
	rd, pr := ds.readings[meter], ds.present[meter]
	var days []day
	for k := range rd {
		d, _ := time.Parse("2006-01-02", k)
		if !d.After(asOf) && !ds.arrived[meter][k].After(asOf) {
			days = append(days, d)
		}
	}
	slices.SortFunc(days, func(a, b day) int { return a.Compare(b) })
	if len(days) == 0 {
		return nil
	}
	first, last := days[0], days[len(days)-1]
	val := func(d day, h int) (float64, bool) {
		if d.After(asOf) {
			return 0, false
		}
		k := fmtDay(d)
		if rd[k] == nil || !pr[k][h] || ds.arrived[meter][k].After(asOf) {
			return 0, false
		}
		return rd[k][h], true
	}
	var out []cAlert
	group := func(rule, code string, hold []day) {
		for i, d := range hold {
			if i == 0 || d.Sub(hold[i-1]) >= 7*24*time.Hour {
				out = append(out, cAlert{id: meter + "-" + code + "-" + d.Format("20060102"), meter: meter, rule: rule, first: d, last: d})
			} else {
				out[len(out)-1].last = d
			}
		}
	}
	// night_over_day: operating days that have any reading.
	type op struct {
		d       day
		flagged bool
	}
	var ops []op
	for d := first.AddDate(0, 0, -1); !d.After(last); d = d.AddDate(0, 0, 1) {
		var dayK, nightK float64
		any := false
		for h := 0; h < 24; h++ {
			ts := d.Add(time.Duration(p.NightEndHour+h) * time.Hour) // X 06:00 … X+1 05:00
			v, ok := val(ts.Truncate(24*time.Hour), ts.Hour())
			if !ok {
				continue
			}
			any = true
			if ts.Hour() >= p.NightStartHour || ts.Hour() < p.NightEndHour {
				nightK += v
			} else {
				dayK += v
			}
		}
		if any {
			ops = append(ops, op{d, nightK/8 >= p.NightRatio*dayK/16 && nightK >= p.NightMinKWh})
		}
	}
	var hold []day
	for i, o := range ops {
		if !o.flagged {
			continue
		}
		for s := i - p.NightWindowDays + 1; s <= i; s++ {
			n := 0
			for j := s; j < s+p.NightWindowDays; j++ {
				if j >= 0 && j < len(ops) && ops[j].flagged && ops[j].d.Sub(ops[i].d).Abs() < time.Duration(p.NightWindowDays)*24*time.Hour {
					n++
				}
			}
			if n >= p.NightMinDays {
				hold = append(hold, o.d)
				break
			}
		}
	}
	group("night_over_day", "NOD", hold)
	// surge
	daily := map[string]float64{}
	has := map[string]bool{}
	for _, d := range days {
		for h := 0; h < 24; h++ {
			if v, ok := val(d, h); ok {
				daily[fmtDay(d)] += v
				has[fmtDay(d)] = true
			}
		}
	}
	base := func(y day) (float64, float64, bool) {
		var xs []float64
		for k := p.SurgeWindowDays; k < p.SurgeWindowDays+p.SurgeBaselineDays; k++ {
			d := fmtDay(y.AddDate(0, 0, -k))
			if !has[d] {
				return 0, 0, false
			}
			xs = append(xs, daily[d])
		}
		sort.Float64s(xs)
		med := xs[len(xs)/2]
		if len(xs)%2 == 0 {
			med = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
		}
		var sum float64
		for k := 0; k < p.SurgeWindowDays; k++ {
			sum += daily[fmtDay(y.AddDate(0, 0, -k))]
		}
		return med, sum / float64(p.SurgeWindowDays), true
	}
	hold = nil
	for _, x := range days {
		b, _, ok := base(x)
		if !ok || daily[fmtDay(x)] < p.SurgeRatio*b {
			continue
		}
		for k := 0; k < p.SurgeWindowDays; k++ {
			y := x.AddDate(0, 0, k)
			if y.After(asOf) {
				break
			}
			if b2, mean, ok := base(y); ok && mean >= p.SurgeRatio*b2 && mean >= b2+p.SurgeMinIncreaseKWh {
				hold = append(hold, x)
				break
			}
		}
	}
	group("surge", "SRG", hold)
	if m.kind == "关闭矿井" {
		hold = nil
		for _, d := range days {
			if daily[fmtDay(d)] > p.ClosedMineMinKWh {
				hold = append(hold, d)
			}
		}
		group("closed_mine", "CLM", hold)
	}
	return out
}

// ---- violations, matching, ledger ----

var chanOrder = map[string]int{"卫片": 0, "用电": 1, "举报": 2, "案件": 3, "线索": 4, "复查": 5}

type cViolation struct {
	members      []cRec
	status       string
	by, lateBy   string
	recurrenceOf string
	after        *day // a recurrence: problems match it only when reported after this day
}

func (ds *dataset) violations(asOf day, cfg *campaign.Config) []*cViolation {
	var recs []cRec
	for _, p := range latest(ds.patches, asOf) {
		if !p.first.After(asOf) && p.verdict == "违法" && (!p.hasChecked || !p.checked.After(asOf)) {
			recs = append(recs, p)
		}
	}
	seen := map[string]bool{}
	for _, c := range ds.checks {
		if c.on.After(asOf) || c.recv.After(asOf) {
			continue
		}
		as := ds.alerts(c.meter, asOf, cfg.Power.For(ds.meters[c.meter].kind))
		var a *cAlert
		for i := range as {
			if c.alert != "" && as[i].id == c.alert {
				a = &as[i]
			}
			if c.alert == "" && !as[i].first.After(c.on) && (a == nil || as[i].first.After(a.first)) {
				a = &as[i]
			}
		}
		if a == nil || c.result != "非法采矿" || seen[a.id] {
			continue
		}
		seen[a.id] = true
		m := ds.meters[c.meter]
		recs = append(recs, cRec{channel: "用电", id: a.id, township: m.township, village: m.village, hasXY: true, lon: m.lon, lat: m.lat, first: a.first})
	}
	for _, c := range latest(ds.cases, asOf) {
		if !c.first.After(asOf) {
			recs = append(recs, c)
		}
	}
	for _, c := range latest(ds.clues, asOf) {
		if !c.first.After(asOf) && c.verdict == "属实" {
			recs = append(recs, c)
		}
	}
	// 回头看 复发: a record at the re-inspected item's place, first seen on the re-inspection day
	where := map[string]cRec{}
	for _, p := range ds.problemsAsOf(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)) {
		if _, ok := where[p.id]; !ok {
			where[p.id] = cRec{township: p.township, village: p.village, hasXY: p.hasXY, lon: p.lon, lat: p.lat}
		}
	}
	for _, set := range [][]cRec{latest(ds.patches, asOf), latest(ds.cases, asOf), latest(ds.clues, asOf)} {
		for _, r := range set {
			if _, ok := where[r.id]; !ok {
				where[r.id] = r
			}
		}
	}
	for _, x := range ds.rechecks {
		w, ok := where[x.item]
		if x.result != "复发" || x.on.After(asOf) || x.recv.After(asOf) || !ok {
			continue
		}
		recs = append(recs, cRec{channel: "复查", id: x.item + "-复发-" + x.on.Format("20060102"), ref: x.item, township: w.township,
			village: w.village, cat: w.cat, hasXY: w.hasXY, lon: w.lon, lat: w.lat, first: x.on})
	}
	return components(recs, cfg.Accountability.MatchRadiusM)
}

// components merges records linked by reference or lying in the same village within radius.
func components(recs []cRec, radius float64) []*cViolation {
	comp := make([]int, len(recs))
	for i := range comp {
		comp[i] = i
	}
	changed := true
	for changed { // label propagation to a fixed point: connected components
		changed = false
		for i, a := range recs {
			for j, b := range recs {
				if i == j {
					continue
				}
				link := (a.ref != "" && a.ref == b.id) || (a.hasXY && b.hasXY && a.township == b.township && a.village == b.village &&
					dist(a.lon, a.lat, b.lon, b.lat) <= radius)
				if link && comp[j] > comp[i] {
					comp[j] = comp[i]
					changed = true
				} else if link && comp[i] > comp[j] {
					comp[i] = comp[j]
					changed = true
				}
			}
		}
	}
	byComp := map[int]*cViolation{}
	var out []*cViolation
	for i, r := range recs {
		v := byComp[comp[i]]
		if v == nil {
			v = &cViolation{}
			byComp[comp[i]] = v
			out = append(out, v)
		}
		v.members = append(v.members, r)
	}
	for _, v := range out {
		slices.SortFunc(v.members, func(a, b cRec) int {
			if c := a.first.Compare(b.first); c != 0 {
				return c
			}
			if chanOrder[a.channel] != chanOrder[b.channel] {
				return chanOrder[a.channel] - chanOrder[b.channel]
			}
			return strings.Compare(a.id, b.id)
		})
	}
	return out
}

func matchesV(p cProblem, v *cViolation, radius float64) bool {
	for _, m := range v.members {
		if strings.Contains(p.remark, m.id) || strings.Contains(p.id, m.id) || m.ref == p.id {
			return true
		}
	}
	if !p.hasXY || p.township != v.members[0].township {
		return false
	}
	for _, m := range v.members {
		if m.hasXY && dist(p.lon, p.lat, m.lon, m.lat) <= radius {
			return true
		}
	}
	return false
}

type cScore struct {
	due, detected, missed, ledgerDue, onTime, overdue, rectFalse, newAfter, weeks, weeksDone, awaiting int
	level, reasons                                                                                     string
	missedRate, rectRate, compliance                                                                   *float64
}

type cItem struct {
	id, kind, township, village string
	deadline                    day
	rectified, reopened         *day
	ids                         []string // the ids rows may name: a problem's own, a violation's members
	declared                    *day     // the township's 已整改 (rectified unless awaiting acceptance)
	awaiting, accLate           bool     // 待验收; past its acceptance deadline (acceptance_check_test.go)
}

func (ds *dataset) evaluate(asOf day, cfg *campaign.Config) ([]*cViolation, []cItem, map[string]*cScore) {
	deadline, rectEnd := cfg.DetectionDeadline(), cfg.RectificationEnd()
	late := cfg.Accountability.LateItemDays
	radius := cfg.Accountability.MatchRadiusM
	ps := ds.problemsAsOf(asOf)
	// done is the earliest 已整改 of an item known by the end of asOf.
	done := func(id string) *day {
		var best *day
		for _, r := range ds.rects[id] {
			if r.status == "已整改" && r.hasDay && !r.on.After(asOf) && !r.recv.After(asOf) && (best == nil || r.on.Before(*best)) {
				d := r.on
				best = &d
			}
		}
		return best
	}
	// A record first seen after its site was rectified is split off: a recurrence.
	var vs []*cViolation
	for _, v := range ds.violations(asOf, cfg) {
		var site *day
		note := func(d *day) {
			if d != nil && (site == nil || d.Before(*site)) {
				site = d
			}
		}
		for _, m := range v.members {
			note(done(m.id))
		}
		for _, p := range ps {
			if matchesV(p, v, radius) {
				note(done(p.id))
			}
		}
		var old, split []cRec
		for _, m := range v.members {
			keep := site == nil || !m.first.After(*site)
			for _, o := range v.members {
				if site != nil && !o.first.After(*site) && ((m.ref != "" && m.ref == o.id) || (o.ref != "" && o.ref == m.id)) && m.channel != "复查" {
					keep = true
				}
			}
			if keep {
				old = append(old, m)
			} else {
				split = append(split, m)
			}
		}
		if len(split) == 0 || len(old) == 0 {
			vs = append(vs, v)
			continue
		}
		v.members = old
		vs = append(vs, v)
		for _, r := range components(split, radius) {
			r.recurrenceOf, r.after = old[0].id, site
			vs = append(vs, r)
		}
	}
	// Detection judges the problems as known at the end of the deadline day.
	known := deadline
	if asOf.Before(deadline) {
		known = asOf
	}
	atDeadline := ds.problemsAsOf(known)
	var items []cItem
	for _, p := range ps {
		dl := rectEnd
		if p.hasDeadline {
			dl = p.deadline
		} else if p.reported.After(rectEnd) {
			dl = p.reported.AddDate(0, 0, late)
		}
		items = append(items, cItem{id: p.id, kind: "problem", township: p.township, village: p.village, deadline: dl, ids: []string{p.id}})
	}
	earlier := func(p cProblem, q *cProblem) bool {
		return q == nil || p.reported.Before(q.reported) || (p.reported.Equal(q.reported) && p.id < q.id)
	}
	for _, v := range vs {
		pv := v.members[0]
		fits := func(p cProblem) bool {
			return (v.after == nil || p.reported.After(*v.after)) && matchesV(p, v, radius)
		}
		var by, first *cProblem
		for i, p := range atDeadline {
			if p.township == pv.township && !p.reported.After(deadline) && fits(p) && earlier(p, by) {
				by = &atDeadline[i]
			}
		}
		for i, p := range ps {
			if fits(p) && earlier(p, first) {
				first = &ps[i]
			}
		}
		switch {
		case pv.first.After(rectEnd):
			v.status = "new_after_rectification"
		case pv.first.After(deadline) || asOf.Before(deadline):
			v.status = "not_due"
		case by != nil:
			v.status = "detected"
		default:
			v.status = "missed"
		}
		if by != nil {
			v.by = by.id
		}
		if v.status == "missed" && first != nil {
			v.lateBy = first.id
		}
		if first == nil {
			dl := rectEnd
			if pv.first.After(rectEnd) {
				dl = pv.first.AddDate(0, 0, late)
			}
			var ids []string
			for _, m := range v.members {
				ids = append(ids, m.id)
			}
			items = append(items, cItem{id: pv.id, kind: "violation", township: pv.township, village: pv.village, deadline: dl, ids: ids})
		}
	}
	for i, it := range items {
		// the 责任分解表 known then: the item's own row, else the row of its smallest other id
		if ds.dutiesRecv != nil && !ds.dutiesRecv.After(asOf) {
			own, hasOwn := ds.duties[it.id]
			best := ""
			for _, id := range it.ids {
				if _, ok := ds.duties[id]; ok && id != it.id && (best == "" || id < best) {
					best = id
				}
			}
			dl := own
			if !hasOwn && best != "" {
				dl = ds.duties[best]
			}
			if (hasOwn || best != "") && dl != "" {
				items[i].deadline = pday(ds.t, dl)
			}
		}
		// 整改不实 voids every rectification dated on or before it
		for _, x := range ds.rechecks {
			if x.result == "整改不实" && slices.Contains(it.ids, x.item) && !x.on.After(asOf) && !x.recv.After(asOf) &&
				(items[i].reopened == nil || x.on.After(*items[i].reopened)) {
				on := x.on
				items[i].reopened = &on
			}
		}
		ds.rejectItem(&items[i], asOf, cfg)
		for _, id := range it.ids {
			for _, r := range ds.rects[id] {
				if r.status == "已整改" && r.hasDay && !r.on.After(asOf) && !r.recv.After(asOf) &&
					(items[i].reopened == nil || r.on.After(*items[i].reopened)) && (items[i].rectified == nil || r.on.Before(*items[i].rectified)) {
					d := r.on
					items[i].rectified = &d
				}
			}
		}
		ds.judgeItem(&items[i], asOf, cfg)
	}
	scores := map[string]*cScore{}
	for _, tw := range cfg.Townships {
		scores[tw.Name] = &cScore{}
	}
	for _, v := range vs {
		s := scores[v.members[0].township]
		switch v.status {
		case "detected":
			s.detected++
		case "missed":
			s.missed++
		}
		if v.members[0].first.After(rectEnd) && !v.members[0].first.After(asOf) {
			s.newAfter++
		}
	}
	for _, it := range items {
		s := scores[it.township]
		if !it.deadline.After(asOf) {
			s.ledgerDue++
			if it.rectified != nil && !it.rectified.After(it.deadline) {
				s.onTime++
			}
		}
		if it.overdueAt(asOf) {
			s.overdue++
		}
		if it.awaiting && !it.accLate {
			s.awaiting++
		}
		if it.reopened != nil {
			s.rectFalse++
		}
	}
	a := cfg.Accountability
	for name, s := range scores {
		s.due = s.detected + s.missed
		if s.due > 0 {
			r := float64(s.missed) / float64(s.due)
			s.missedRate = &r
		}
		if s.ledgerDue > 0 {
			r := float64(s.onTime) / float64(s.ledgerDue)
			s.rectRate = &r
		}
		if from := cfg.PatrolFrom(); !asOf.Before(from) {
			mon := func(d day) day { return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) }
			for wk := mon(from); !wk.After(mon(asOf)); wk = wk.AddDate(0, 0, 7) {
				s.weeks++
				n := 0
				for _, p := range ds.patrols[name] {
					if d := p.on; !d.Before(wk) && d.Before(wk.AddDate(0, 0, 7)) && !d.After(asOf) && !p.recv.After(asOf) {
						n++
					}
				}
				if n >= cfg.Campaign.PatrolsPerWeek {
					s.weeksDone++
				}
			}
			r := float64(s.weeksDone) / float64(s.weeks)
			s.compliance = &r
		}
		s.level = "green"
		if (s.missedRate != nil && *s.missedRate >= a.RedMissedRate) || s.newAfter >= a.RedNewAfter || (s.rectRate != nil && *s.rectRate < a.RedRectificationRate) {
			s.level = "red"
		} else if s.missed > 0 || s.overdue > 0 || s.rectFalse > 0 || s.newAfter > 0 || (s.compliance != nil && *s.compliance < a.YellowPatrolCompliance) {
			s.level = "yellow"
		}
		var rs []string
		for _, x := range []struct {
			n   int
			fmt string
		}{{s.missed, "应排漏排%d处"}, {s.overdue, "整改不到位%d项"}, {s.rectFalse, "整改不实%d项"}, {s.newAfter, "属地新增%d处"}, {s.weeks - s.weeksDone, "巡查缺%d周"}} {
			if x.n > 0 {
				rs = append(rs, fmt.Sprintf(x.fmt, x.n))
			}
		}
		if s.level != "green" {
			s.reasons = strings.Join(rs, "；")
		}
	}
	return vs, items, scores
}

// ---- the test ----

type truthFile struct {
	Fines       *fineTruth   `json:"fines"`
	CaseStages  []stageTruth `json:"case_stages"`
	AsOf        []string     `json:"as_of"`
	DetailsAsOf string       `json:"details_as_of"`
	DataTo      string       `json:"data_to"`
	Townships   []struct {
		Township   string
		Violations []struct {
			ViolationID     string   `json:"violation_id"`
			FirstSeen       string   `json:"first_seen"`
			Channels        []string `json:"channels"`
			SourceRefs      []string `json:"source_refs"`
			DetectionStatus string   `json:"detection_status"`
			DetectedBy      *string  `json:"detected_by"`
			LateBy          *string  `json:"late_by"`
			RecurrenceOf    *string  `json:"recurrence_of"`
		}
		LaterViolations []struct {
			ViolationID  string  `json:"violation_id"`
			FirstSeen    string  `json:"first_seen"`
			RecurrenceOf *string `json:"recurrence_of"`
		} `json:"later_violations"`
		Problems []string
		Ledger   []struct {
			ItemID      string  `json:"item_id"`
			Kind        string  `json:"kind"`
			Deadline    string  `json:"deadline"`
			RectifiedOn *string `json:"rectified_on"`
			OnTime      bool    `json:"on_time"`
		}
		PatrolWeeks []struct {
			Week    string
			Patrols int
		} `json:"patrol_weeks"`
		Scorecards []cTruthCard
		Lookback   cTruthCard
	}
	Arrivals []struct {
		Kind       string   `json:"kind"`
		Township   string   `json:"township"`
		File       string   `json:"file"`
		ReceivedOn string   `json:"received_on"`
		Items      []string `json:"items"`
	} `json:"arrivals"`
	Accountability []map[string]string `json:"accountability"`
	LookbackAsOf   string              `json:"lookback_as_of"`
	Counts         map[string]int      `json:"counts"`
	ImageryTriage  []struct {
		PatchID   string  `json:"patch_id"`
		LicenceID *string `json:"licence_id"`
		Status    string  `json:"licence_status"`
	} `json:"imagery_triage"`
	PowerAlerts []struct {
		AlertID  string `json:"alert_id"`
		MeterID  string `json:"meter_id"`
		Rule     string `json:"rule"`
		FirstDay string `json:"first_day"`
		LastDay  string `json:"last_day"`
		// the work queue (stages_check_test.go, checkCheckDeadlines)
		CheckedOn  string `json:"checked_on"`
		CheckDueOn string `json:"check_due_on"`
		CheckLate  bool   `json:"check_late"`
	} `json:"power_alerts"`
}

type cTruthCard struct {
	AsOf                  string   `json:"as_of"`
	Township              string   `json:"township"`
	ViolationsDue         int      `json:"violations_due"`
	Detected              int      `json:"detected"`
	Missed                int      `json:"missed"`
	MissedDetectionRate   *float64 `json:"missed_detection_rate"`
	LedgerDue             int      `json:"ledger_due"`
	RectifiedOnTime       int      `json:"rectified_on_time"`
	RectificationRate     *float64 `json:"rectification_rate"`
	OverdueOpen           int      `json:"overdue_open"`
	NewAfterRectification int      `json:"new_after_rectification"`
	PatrolWeeks           int      `json:"patrol_weeks"`
	PatrolWeeksDone       int      `json:"patrol_weeks_done"`
	PatrolCompliance      *float64 `json:"patrol_compliance"`
	Level                 string   `json:"level"`
	Reasons               string   `json:"reasons"`
	RectificationFalse    int      `json:"rectification_false"`
	AwaitingAcceptance    int      `json:"awaiting_acceptance"`
}

func sameRate(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-9
}

func checkTruth(t tb, dir string, cfg *campaign.Config) {
	ds := loadDataset(t, dir)
	var tr truthFile
	data, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatalf("%v", err)
	}
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatalf("%v", err)
	}
	if len(tr.Townships) != len(cfg.Townships) {
		t.Fatalf("truth has %d townships, config %d", len(tr.Townships), len(cfg.Townships))
	}
	checkArrivals(t, ds, &tr, cfg)
	checkStages(t, ds, &tr, cfg)
	checkFines(t, ds, tr.Fines)
	levels := map[string]bool{}
	statuses := map[string]bool{}
	for _, asOf := range tr.AsOf {
		d := pday(t, asOf)
		if d.Weekday() != time.Sunday {
			t.Errorf("as_of %s is not a Sunday", asOf)
		}
		vs, items, scores := ds.evaluate(d, cfg)
		for _, tt := range tr.Townships {
			for _, sc := range tt.Scorecards {
				if sc.AsOf != asOf {
					continue
				}
				s := scores[tt.Township]
				compareCard(t, asOf, tt.Township, s, sc)
				if asOf == tr.DetailsAsOf {
					levels[sc.Level] = true
				}
			}
		}
		if asOf != tr.DetailsAsOf {
			continue
		}
		// Violations and ledger in detail.
		want := map[string]string{}
		for _, tt := range tr.Townships {
			for _, v := range tt.Violations {
				by, lateBy, rec := "", "", ""
				if v.DetectedBy != nil {
					by = *v.DetectedBy
				}
				if v.LateBy != nil {
					lateBy = *v.LateBy
				}
				if v.RecurrenceOf != nil {
					rec = *v.RecurrenceOf
				}
				refs := append([]string(nil), v.SourceRefs...)
				sort.Strings(refs)
				want[v.ViolationID] = fmt.Sprint(tt.Township, v.FirstSeen, v.DetectionStatus, by, refs, " late:", lateBy, " rec:", rec)
				statuses[v.DetectionStatus] = true
			}
		}
		got := map[string]string{}
		for _, v := range vs {
			var refs []string
			for _, m := range v.members {
				refs = append(refs, m.id)
			}
			sort.Strings(refs)
			pv := v.members[0]
			got[pv.id] = fmt.Sprint(pv.township, fmtDay(pv.first), v.status, v.by, refs, " late:", v.lateBy, " rec:", v.recurrenceOf)
		}
		compareMaps(t, "violation", got, want)
		wantItems, gotItems := map[string]string{}, map[string]string{}
		for _, tt := range tr.Townships {
			for _, it := range tt.Ledger {
				r := ""
				if it.RectifiedOn != nil {
					r = *it.RectifiedOn
				}
				wantItems[it.ItemID] = fmt.Sprint(tt.Township, it.Kind, it.Deadline, r, it.OnTime)
			}
		}
		for _, it := range items {
			r := ""
			if it.declared != nil {
				r = fmtDay(*it.declared)
			}
			gotItems[it.id] = fmt.Sprint(it.township, it.kind, fmtDay(it.deadline), r, it.rectified != nil && !it.rectified.After(it.deadline))
		}
		compareMaps(t, "ledger item", gotItems, wantItems)
		checkAccountability(t, ds, &tr, cfg, d, vs, items)
	}
	// The look-back scorecards, after the re-inspections.
	lookback := pday(t, tr.LookbackAsOf)
	lvs, _, lscores := ds.evaluate(lookback, cfg)
	gotLater, wantLater := map[string]string{}, map[string]string{}
	for _, tt := range tr.Townships {
		for _, v := range tt.LaterViolations {
			rec := ""
			if v.RecurrenceOf != nil {
				rec = *v.RecurrenceOf
			}
			wantLater[v.ViolationID] = v.FirstSeen + " rec:" + rec
		}
	}
	for _, v := range lvs {
		if _, ok := wantLater[v.members[0].id]; ok || v.members[0].first.After(pday(t, tr.DetailsAsOf)) {
			gotLater[v.members[0].id] = fmtDay(v.members[0].first) + " rec:" + v.recurrenceOf
		}
	}
	compareMaps(t, "later violation", gotLater, wantLater)
	rectFalse := 0
	for _, tt := range tr.Townships {
		compareCard(t, tr.LookbackAsOf, tt.Township, lscores[tt.Township], tt.Lookback)
		rectFalse += tt.Lookback.RectificationFalse
	}
	if rectFalse == 0 {
		t.Errorf("no item is 整改不实 as of %s", tr.LookbackAsOf)
	}
	// The register: every form line's 包村干部签字 against the register known when its form arrived.
	if got, want := ds.unsignedLines(lookback), tr.Counts["register_unsigned_lines"]; got != want || got == 0 {
		t.Errorf("form lines whose 包村干部 the register does not name: files %d, truth %d", got, want)
	}
	for _, l := range []string{"red", "yellow", "green"} {
		if !levels[l] {
			t.Errorf("no township is %s at %s", l, tr.DetailsAsOf)
		}
	}
	for _, s := range []string{"detected", "missed", "not_due", "new_after_rectification"} {
		if !statuses[s] {
			t.Errorf("no violation is %s at %s", s, tr.DetailsAsOf)
		}
	}
	// Problems: every problem id of the active forms by the end of the data (the 常态化 period's
	// forms come later).
	var wantP, gotP []string
	for _, tt := range tr.Townships {
		wantP = append(wantP, tt.Problems...)
	}
	for _, p := range ds.problemsAsOf(pday(t, tr.DataTo)) {
		gotP = append(gotP, p.id)
	}
	sort.Strings(wantP)
	sort.Strings(gotP)
	if !slices.Equal(gotP, wantP) {
		t.Errorf("problems differ: files %d, truth %d", len(gotP), len(wantP))
	}
	// Patrol weeks.
	for _, tt := range tr.Townships {
		for _, pw := range tt.PatrolWeeks {
			wk := pday(t, pw.Week)
			n := 0
			for _, p := range ds.patrols[tt.Township] {
				if d := p.on; !d.Before(wk) && d.Before(wk.AddDate(0, 0, 7)) {
					n++
				}
			}
			if n != pw.Patrols {
				t.Errorf("%s week %s: %d patrols in the files, truth %d", tt.Township, pw.Week, n, pw.Patrols)
			}
		}
	}
	// The imagery triage from the licence register and the patch files, as of the end of the data.
	triage := ds.triageAt(pday(t, tr.DataTo))
	triaged := map[string]bool{}
	for _, w := range tr.ImageryTriage {
		lid := ""
		if w.LicenceID != nil {
			lid = *w.LicenceID
		}
		if got := triage[w.PatchID]; got != [2]string{w.Status, lid} {
			t.Errorf("triage %s: files say %v, truth %s %s", w.PatchID, got, w.Status, lid)
		}
		triaged[w.Status] = true
	}
	if len(triage) != len(tr.ImageryTriage) {
		t.Errorf("triage: %d patches in the files, truth %d", len(triage), len(tr.ImageryTriage))
	}
	if len(ds.licences) > 0 {
		for _, s := range []string{"no_licence", "in_licence", "expired_licence", "verified_lawful", "not_mining"} {
			if !triaged[s] {
				t.Errorf("no patch is %s", s)
			}
		}
	}
	// Power alerts from the readings, every meter, as of the end of the data.
	end := pday(t, tr.DataTo)
	gotA, wantA := map[string]string{}, map[string]string{}
	rules := map[string]bool{}
	for id := range ds.meters {
		for _, a := range ds.alerts(id, end, cfg.Power.For(ds.meters[id].kind)) {
			gotA[a.id] = fmt.Sprint(a.rule, fmtDay(a.first), fmtDay(a.last))
		}
	}
	for _, a := range tr.PowerAlerts {
		wantA[a.AlertID] = fmt.Sprint(a.Rule, a.FirstDay, a.LastDay)
		rules[a.Rule] = true
		// The planted pattern holds from first_day and not in the week before.
		first := pday(t, a.FirstDay)
		for _, b := range ds.alerts(a.MeterID, first, cfg.Power.For(ds.meters[a.MeterID].kind)) {
			if b.rule == a.Rule && b.first.Before(first) && first.Sub(b.last) < 7*24*time.Hour {
				t.Errorf("alert %s: the rule already held on %s", a.AlertID, fmtDay(b.last))
			}
		}
	}
	compareMaps(t, "power alert", gotA, wantA)
	checkCheckDeadlines(t, ds, &tr, cfg)
	for _, r := range []string{"night_over_day", "surge", "closed_mine"} {
		if !rules[r] {
			t.Errorf("no %s alert planted", r)
		}
	}
	// Power violations: their alerts are checked 非法采矿 and the pattern holds on first_day.
	for _, tt := range tr.Townships {
		for _, v := range tt.Violations {
			if !slices.Contains(v.Channels, "用电") {
				continue
			}
			first := pday(t, v.FirstSeen)
			found := false
			for _, ref := range v.SourceRefs {
				if _, ok := wantA[ref]; ok {
					found = true
					parts := strings.Split(ref, "-")
					if len(parts) != 3 || parts[2] != first.Format("20060102") {
						t.Errorf("violation %s: alert %s does not start on first_seen %s", v.ViolationID, ref, v.FirstSeen)
					}
				}
			}
			if !found {
				t.Errorf("power violation %s names no alert of the readings", v.ViolationID)
			}
		}
	}
}

func compareCard(t tb, asOf, town string, s *cScore, sc cTruthCard) {
	t.Helper()
	got := fmt.Sprint(s.due, s.detected, s.missed, s.ledgerDue, s.onTime, s.overdue, s.rectFalse, s.newAfter, s.weeks, s.weeksDone, s.level, s.reasons,
		s.awaiting)
	want := fmt.Sprint(sc.ViolationsDue, sc.Detected, sc.Missed, sc.LedgerDue, sc.RectifiedOnTime, sc.OverdueOpen, sc.RectificationFalse,
		sc.NewAfterRectification, sc.PatrolWeeks, sc.PatrolWeeksDone, sc.Level, sc.Reasons, sc.AwaitingAcceptance)
	if got != want || !sameRate(s.missedRate, sc.MissedDetectionRate) || !sameRate(s.rectRate, sc.RectificationRate) || !sameRate(s.compliance, sc.PatrolCompliance) {
		t.Errorf("%s %s scorecard:\n files %s\n truth %s", asOf, town, got, want)
	}
}

// registerAt is the register version known at the end of d (nil before the first).
func (ds *dataset) registerAt(d day) *cRegister {
	var out *cRegister
	for i := range ds.registers {
		if !ds.registers[i].recv.After(d) && (out == nil || !ds.registers[i].recv.Before(out.recv)) {
			out = &ds.registers[i]
		}
	}
	return out
}

// unsignedLines counts the lines, of the forms known at d, whose 包村干部签字 is not a 包村干部 of
// their village in the register known when the form arrived.
func (ds *dataset) unsignedLines(d day) int {
	active := map[string]*cForm{}
	for _, f := range ds.forms {
		if !f.arr.day.After(d) && (active[f.key] == nil || f.arr.after(active[f.key].arr)) {
			active[f.key] = f
		}
	}
	n := 0
	for _, f := range active {
		reg := ds.registerAt(f.arr.day)
		if reg == nil {
			continue
		}
		for _, s := range f.signed {
			if !slices.ContainsFunc(reg.rows, func(r map[string]string) bool {
				return r["乡镇"] == s[0] && r["村"] == s[1] && r["责任类型"] == "包村干部" && r["姓名"] == s[2]
			}) {
				n++
			}
		}
	}
	return n
}

// checkAccountability re-derives the accountability list as of d with the register's names.
func checkAccountability(t tb, ds *dataset, tr *truthFile, cfg *campaign.Config, d day, vs []*cViolation, items []cItem) {
	got := map[string]string{}
	first := ds.registers[0].recv
	add := func(id, reason, town, village string, on day) {
		if on.Before(first) {
			on = first
		}
		if on.After(d) {
			on = d
		}
		reg := ds.registerAt(on)
		names := func(typ string, inVillage bool) string {
			var ns []string
			for _, r := range reg.rows {
				if r["乡镇"] == town && r["责任类型"] == typ && (!inVillage || r["村"] == village) && !slices.Contains(ns, r["姓名"]) {
					ns = append(ns, r["姓名"])
				}
			}
			sort.Strings(ns)
			return strings.Join(ns, "、")
		}
		got[id+" "+reason] = fmt.Sprint(town, "|", village, "|", fmtDay(on), "|", names("第一责任人", false), "|", names("分管领导", false), "|",
			names("直接责任人", true), "|", names("包村干部", true))
	}
	for _, v := range vs {
		pv := v.members[0]
		switch v.status {
		case "missed":
			add(pv.id, "应排漏排", pv.township, pv.village, cfg.DetectionDeadline())
		case "new_after_rectification":
			add(pv.id, "属地新增", pv.township, pv.village, pv.first)
		}
	}
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it.id] {
			continue
		}
		seen[it.id] = true
		if it.overdueAt(d) {
			add(it.id, "整改不到位", it.township, it.village, it.deadline)
		}
		if it.reopened != nil {
			add(it.id, "整改不实", it.township, it.village, it.deadline)
		}
	}
	want := map[string]string{}
	for _, a := range tr.Accountability {
		want[a["item_id"]+" "+a["reason"]] = fmt.Sprint(a["township"], "|", a["village"], "|", a["names_on"], "|", a["first_responsible"], "|",
			a["leader_in_charge"], "|", a["direct_responsible"], "|", a["village_cadre"])
	}
	compareMaps(t, "accountability entry", got, want)
	if len(want) == 0 {
		t.Errorf("the accountability list is empty")
	}
}

func compareMaps(t tb, what string, got, want map[string]string) {
	t.Helper()
	n := 0
	for k, w := range want {
		if g, ok := got[k]; !ok {
			t.Errorf("%s %s in truth.json, not in the files (%s)", what, k, w)
			n++
		} else if g != w {
			t.Errorf("%s %s:\n files %s\n truth %s", what, k, g, w)
			n++
		}
		if n > 10 {
			t.Fatalf("too many %s differences", what)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s %s in the files, not in truth.json (%s)", what, k, g)
		}
	}
}

// checkArrivals checks that files arrive as offices send them: forms on their date or the next day
// and by the deadline, weekly files by the Sunday after the latest date they state, except the
// planted late arrivals truth.json lists; and that every planted case is there.
func checkArrivals(t tb, ds *dataset, tr *truthFile, cfg *campaign.Config) {
	planted := map[string]string{}
	kinds := map[string]bool{}
	for _, a := range tr.Arrivals {
		kinds[a.Kind] = true
		if a.File == "" {
			continue
		}
		arr, ok := ds.files[a.File]
		if !ok {
			t.Errorf("planted %s: %s not in the manifest", a.Kind, a.File)
			continue
		}
		if a.ReceivedOn != "" && parseArrival(t, a.ReceivedOn, 0).key != arr.key {
			t.Errorf("planted %s: %s received %s, truth says %s", a.Kind, a.File, arr.key, a.ReceivedOn)
		}
		planted[a.File] = a.Kind
	}
	for _, k := range []string{"late_form", "late_rectification", "correction_in_time", "correction_late", "recurrence"} {
		if !kinds[k] {
			t.Errorf("no %s planted", k)
		}
	}
	deadline := cfg.DetectionDeadline()
	end := pday(t, tr.DataTo)
	for _, f := range ds.forms {
		late := planted[f.path] == "late_form" || planted[f.path] == "correction_late"
		if d := f.arr.day.Sub(f.day); !late && (d < 0 || d > 24*time.Hour) {
			t.Errorf("%s dated %s arrives %s", f.path, fmtDay(f.day), f.arr.key)
		}
		if !f.day.After(deadline) && f.arr.day.After(deadline) != late {
			t.Errorf("%s dated %s arrives %s: late %v, planted late %v", f.path, fmtDay(f.day), f.arr.key, f.arr.day.After(deadline), late)
		}
	}
	for path, kind := range ds.kinds {
		switch kind {
		case "power", "power-checks", "patrol", "rectification":
		default:
			continue
		}
		last, arr := ds.lastDate[path], ds.files[path]
		if last.IsZero() {
			continue // ledger updates without a date (整改中, 未整改)
		}
		if arr.day.After(end) {
			continue // the work after the data's last day (ongoing.go), monthly in the look-back; truth.json "periods"
		}
		sunday := last.AddDate(0, 0, (7-int(last.Weekday()))%7)
		if sunday.After(end) && !last.After(end) {
			sunday = end // the last, partial week closes on the last day of the data
		}
		if late := arr.day.After(sunday); late != (planted[path] == "late_rectification") {
			t.Errorf("%s: latest date %s, received %s", path, fmtDay(last), arr.key)
		}
	}
	// The planted recurrences are violations of their own, recurrence_of the site's violation.
	rec := map[string]string{}
	for _, tt := range tr.Townships {
		for _, v := range tt.Violations {
			if v.RecurrenceOf != nil {
				rec[v.ViolationID] = *v.RecurrenceOf
			}
		}
	}
	for _, a := range tr.Arrivals {
		if a.Kind == "recurrence" && (len(a.Items) != 2 || rec[a.Items[0]] != a.Items[1]) {
			t.Errorf("planted recurrence %v: truth has recurrence_of %q", a.Items, rec[a.Items[0]])
		}
	}
}
