// Package province is the province roll-up: many counties' Parquet exports (`landwatch export
// parquet`) read by DuckDB in one process — an in-memory database, no warehouse — into one Chinese
// PDF that ranks the counties. An export that is missing, damaged or older than the newest by more than StaleDays is
// named, never allowed to fail the whole report.
package province

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"landwatch/queries"
	"landwatch/reports/pdf"
	"landwatch/warehouse"
)

// StaleDays is how far a county's as-of may lie behind the newest before its export counts as stale.
const StaleDays = 7

// County statuses in a roll-up.
const (
	CountyOK      = "ok"
	CountyStale   = "stale"   // 数据过期: as-of more than StaleDays before the newest
	CountyMissing = "missing" // 缺少导出: no manifest.json
	CountyCorrupt = "corrupt" // 导出损坏: unreadable manifest, checksum mismatch, a file missing, a path out of the export, wrong row counts
	CountyRefused = "refused" // 不予采用: as-of after the roll-up day, or not read within the time limit
)

// ProvinceCounty is one county of the roll-up.
type ProvinceCounty struct {
	Dir     string
	County  string // from the manifest; the directory's name when there is none
	AsOf    time.Time
	Status  string
	Problem string // why missing, corrupt or refused, in Chinese

	province string                  // the manifest's
	manifest *queries.ExportManifest // once read
	columns  []string                // of the marts read

	Townships             int64
	RedTownships          int64
	YellowTownships       int64
	ViolationsDue         int64
	Missed                int64
	LedgerDue             int64
	RectifiedOnTime       int64
	OverdueOpen           int64
	NewAfterRectification int64 // 属地新增
	Recurrences           int64 // of them or earlier: violations with recurrence_of (复发)
	PowerAlerts           int64
	FinesDecided          int64 // 罚没款 decided and collected, yuan (mart_fines)
	FinesCollected        int64
	FinesKnown            bool // the export has mart_fines (one written before it existed has not)
}

// MissedRate is missed / violations due, NULL when none were due.
func (c *ProvinceCounty) MissedRate() sql.NullFloat64 { return rate(c.Missed, c.ViolationsDue) }

// RectificationRate is rectified on time / ledger items due, NULL when none were due.
func (c *ProvinceCounty) RectificationRate() sql.NullFloat64 {
	return rate(c.RectifiedOnTime, c.LedgerDue)
}

// Province is a roll-up: every county given, ranked (counties with figures first, by missed
// detection rate, then rectification rate, then 属地新增), and the province's totals over the
// counties with figures (stale ones included: they are marked).
type Province struct {
	Name     string // the province, from the manifests
	Counties []ProvinceCounty
	Newest   time.Time
	Day      time.Time // the roll-up's day: no county's as-of may lie after it
	Total    ProvinceCounty
	Read     time.Duration
}

// Figures says whether a county's figures are in the roll-up.
func (c *ProvinceCounty) Figures() bool { return c.Status == CountyOK || c.Status == CountyStale }

// ReadProvince reads the exports in dirs with an in-memory DuckDB, one county after the other,
// each within its time limit: a county whose export is missing, damaged, dated after the roll-up
// day, too slow to read or hostile is named with the reason (provincecounty.go), and the others
// are read all the same. Only ctx ending (the command interrupted) stops the roll-up.
func ReadProvince(ctx context.Context, dirs []string, opt ProvinceOptions) (*Province, error) {
	start := time.Now()
	day := opt.Day
	if day.IsZero() {
		day = time.Now()
	}
	day = warehouse.DateOnly(day)
	limit := opt.CountyTimeout
	if limit <= 0 {
		limit = DefaultCountyTimeout
	}
	p := &Province{Day: day}
	connector, err := duckdb.NewConnector(warehouse.DSN("", false), nil)
	if err != nil {
		return nil, fmt.Errorf("province: open DuckDB: %w", err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	for _, dir := range dirs {
		cctx, cancel := context.WithTimeout(ctx, limit)
		c := readCounty(cctx, dir, day, limit)
		cancel()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.Counties = append(p.Counties, c)
	}
	p.readParquet(ctx, db, limit)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range p.Counties {
		if c := &p.Counties[i]; c.Status == CountyOK {
			if p.Name == "" {
				p.Name = c.province
			}
			if c.AsOf.After(p.Newest) {
				p.Newest = c.AsOf
			}
		}
	}
	for i := range p.Counties {
		c := &p.Counties[i]
		if c.Status == CountyOK && p.Newest.Sub(c.AsOf) > StaleDays*24*time.Hour {
			c.Status = CountyStale
		}
	}
	p.rank()
	p.Read = time.Since(start)
	return p, nil
}

// rate is n/d over a county's or the province's counts, NULL when d is 0: the marts' rule for a
// rate (queries/README.md), applied to counts summed across counties, which no mart holds.
func rate(n, d int64) sql.NullFloat64 {
	if d == 0 {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: float64(n) / float64(d), Valid: true}
}

// lit quotes s as a SQL string literal.
func lit(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// rank orders the counties and sums the totals: counties with figures first, by missed detection
// rate (highest first, none last), then rectification rate (lowest first), then 属地新增 (most
// first), then name; the others by name.
func (p *Province) rank() {
	p.Total = ProvinceCounty{County: "全省合计"}
	for _, c := range p.Counties {
		if !c.Figures() {
			continue
		}
		t := &p.Total
		t.Townships += c.Townships
		t.RedTownships += c.RedTownships
		t.YellowTownships += c.YellowTownships
		t.ViolationsDue += c.ViolationsDue
		t.Missed += c.Missed
		t.LedgerDue += c.LedgerDue
		t.RectifiedOnTime += c.RectifiedOnTime
		t.OverdueOpen += c.OverdueOpen
		t.NewAfterRectification += c.NewAfterRectification
		t.Recurrences += c.Recurrences
		t.PowerAlerts += c.PowerAlerts
		t.FinesDecided += c.FinesDecided
		t.FinesCollected += c.FinesCollected
		t.FinesKnown = t.FinesKnown || c.FinesKnown
	}
	sort.SliceStable(p.Counties, func(i, j int) bool {
		a, b := &p.Counties[i], &p.Counties[j]
		if a.Figures() != b.Figures() {
			return a.Figures()
		}
		if !a.Figures() {
			return a.County < b.County
		}
		if c := cmpRate(a.MissedRate(), b.MissedRate(), true); c != 0 {
			return c < 0
		}
		if c := cmpRate(a.RectificationRate(), b.RectificationRate(), false); c != 0 {
			return c < 0
		}
		if a.NewAfterRectification != b.NewAfterRectification {
			return a.NewAfterRectification > b.NewAfterRectification
		}
		return a.County < b.County
	})
}

// cmpRate orders two rates, a missing one last; high first when desc.
func cmpRate(a, b sql.NullFloat64, desc bool) int {
	switch {
	case a.Valid != b.Valid:
		if a.Valid {
			return -1
		}
		return 1
	case !a.Valid || a.Float64 == b.Float64:
		return 0
	case (a.Float64 > b.Float64) == desc:
		return -1
	default:
		return 1
	}
}

// Count returns how many counties have the status.
func (p *Province) Count(status string) int {
	n := 0
	for _, c := range p.Counties {
		if c.Status == status {
			n++
		}
	}
	return n
}

// ProvincePDF writes the roll-up as a Chinese PDF: the summary, every county ranked, the lowest
// rectification rates, the most 属地新增, and the counties whose exports are stale, missing or
// damaged.
func ProvincePDF(p *Province, created time.Time, w io.Writer) error {
	name := p.Name
	if name == "" {
		name = "全省"
	}
	title := name + "打击非法违法采矿专项行动 各县数据汇总"
	d := pdf.New(title, title+"　数据来自各县导出（landwatch export parquet）", created)
	d.AddPage()
	d.Font(17)
	d.Color(pdf.ColTitle)
	for _, l := range d.Wrap(title, pdf.BodyW) {
		d.SetX(pdf.MarginL)
		d.CellFormat(pdf.BodyW, 9, l, "", 1, "C", false, 0, "")
	}
	d.Color(pdf.ColText)
	d.Ln(2)
	withFigures := len(p.Counties) - p.Count(CountyMissing) - p.Count(CountyCorrupt) - p.Count(CountyRefused)
	newest := "—"
	if !p.Newest.IsZero() {
		newest = pdf.Date(p.Newest)
	}
	d.Para(fmt.Sprintf("共收到 %d 个县的导出：%d 个县的数据纳入汇总（其中 %d 个县数据过期，截至日期比最新的 %s 早 %d 天以上，已标注）；"+
		"%d 个县缺少导出，%d 个县的导出损坏（校验和、行数不符或文件缺失），%d 个县的导出不予采用（截至日期晚于汇总日或读取超时），均未纳入，名单见文末。生成时间 %s。",
		len(p.Counties), withFigures, p.Count(CountyStale), newest, StaleDays, p.Count(CountyMissing), p.Count(CountyCorrupt),
		p.Count(CountyRefused), created.Format("2006-01-02 15:04")), 10)

	d.Heading("全省合计")
	t := &p.Total
	tab := d.NewTable(9, pdf.Column{Title: "项目", Width: 70}, pdf.Column{Title: "数值", Align: "R"})
	for _, r := range [][2]string{
		{"纳入汇总的县", fmt.Sprint(withFigures)},
		{"乡镇（红 / 黄）", fmt.Sprintf("%d（%d / %d）", t.Townships, t.RedTownships, t.YellowTownships)},
		{"应发现违法点位 / 应排漏排", fmt.Sprintf("%d / %d", t.ViolationsDue, t.Missed)},
		{"漏排率", pdf.Rate(t.MissedRate())},
		{"到期整改事项 / 按期整改", fmt.Sprintf("%d / %d", t.LedgerDue, t.RectifiedOnTime)},
		{"按期整改率", pdf.Rate(t.RectificationRate())},
		{"整改不到位", fmt.Sprint(t.OverdueOpen)},
		{"属地新增（其中复发点位）", fmt.Sprintf("%d（%d）", t.NewAfterRectification, t.Recurrences)},
		{"用电异常预警", fmt.Sprint(t.PowerAlerts)},
		{"罚没款：决定 / 已收缴 / 未收缴（元）", fmtFines(t)},
	} {
		tab.Row(pdf.Cell{Text: r[0]}, pdf.Cell{Text: r[1]})
	}

	d.Heading("各县排名（按漏排率，其次按期整改率、属地新增）")
	cols := []pdf.Column{{Title: "序号", Width: 10, Align: "C"}, {Title: "县", Width: 26, Wrap: true}, {Title: "截至", Width: 19, Align: "C"},
		{Title: "应发现", Width: 13, Align: "R"}, {Title: "漏排", Width: 11, Align: "R"}, {Title: "漏排率", Width: 15, Align: "R"},
		{Title: "到期事项", Width: 14, Align: "R"}, {Title: "按期整改率", Width: 17, Align: "R"},
		{Title: "整改不到位", Width: 15, Align: "R"}, {Title: "属地新增", Width: 14, Align: "R"}, {Title: "复发", Align: "R"}}
	tab = d.NewTable(8, cols...)
	red, amber := pdf.LevelColors["red"], pdf.LevelColors["yellow"]
	rank := 0
	for i := range p.Counties {
		c := &p.Counties[i]
		if !c.Figures() {
			continue
		}
		rank++
		asOf := pdf.Cell{Text: pdf.Date(c.AsOf)}
		name := c.County
		if c.Status == CountyStale {
			asOf.FG = &amber
			name += "（过期）"
		}
		mr := pdf.Cell{Text: pdf.Rate(c.MissedRate())}
		if v := c.MissedRate(); v.Valid && v.Float64 >= 0.3 {
			mr.FG = &red
		}
		tab.Row(pdf.Cell{Text: fmt.Sprint(rank)}, pdf.Cell{Text: name}, asOf, pdf.Cell{Text: fmt.Sprint(c.ViolationsDue)},
			pdf.Cell{Text: fmt.Sprint(c.Missed)}, mr, pdf.Cell{Text: fmt.Sprint(c.LedgerDue)}, pdf.Cell{Text: pdf.Rate(c.RectificationRate())},
			pdf.Cell{Text: fmt.Sprint(c.OverdueOpen)}, pdf.Cell{Text: fmt.Sprint(c.NewAfterRectification)}, pdf.Cell{Text: fmt.Sprint(c.Recurrences)})
	}

	top := func(heading string, less func(a, b *ProvinceCounty) bool, value func(c *ProvinceCounty) string, valueTitle string) {
		var list []*ProvinceCounty
		for i := range p.Counties {
			if p.Counties[i].Figures() {
				list = append(list, &p.Counties[i])
			}
		}
		sort.SliceStable(list, func(i, j int) bool { return less(list[i], list[j]) })
		if len(list) > 10 {
			list = list[:10]
		}
		d.Heading(heading)
		tb := d.NewTable(9, pdf.Column{Title: "序号", Width: 14, Align: "C"}, pdf.Column{Title: "县", Width: 70}, pdf.Column{Title: valueTitle, Align: "R"})
		for i, c := range list {
			tb.Row(pdf.Cell{Text: fmt.Sprint(i + 1)}, pdf.Cell{Text: c.County}, pdf.Cell{Text: value(c)})
		}
	}
	d.Heading("各县罚没款（元）")
	tab = d.NewTable(8, pdf.Column{Title: "县", Width: 50, Wrap: true}, pdf.Column{Title: "截至", Width: 22, Align: "C"},
		pdf.Column{Title: "决定", Width: 36, Align: "R"}, pdf.Column{Title: "已收缴", Width: 36, Align: "R"}, pdf.Column{Title: "未收缴", Align: "R"})
	for i := range p.Counties {
		if c := &p.Counties[i]; c.Figures() {
			if !c.FinesKnown {
				tab.Row(pdf.Cell{Text: c.County}, pdf.Cell{Text: pdf.Date(c.AsOf)}, pdf.Cell{Text: "导出无罚没款数据"}, pdf.Cell{Text: "—"}, pdf.Cell{Text: "—"})
				continue
			}
			tab.Row(pdf.Cell{Text: c.County}, pdf.Cell{Text: pdf.Date(c.AsOf)}, pdf.Cell{Text: fmt.Sprint(c.FinesDecided)},
				pdf.Cell{Text: fmt.Sprint(c.FinesCollected)}, pdf.Cell{Text: fmt.Sprint(c.FinesDecided - c.FinesCollected)})
		}
	}

	top("按期整改率最低的县（前10）", func(a, b *ProvinceCounty) bool {
		return cmpRate(a.RectificationRate(), b.RectificationRate(), false) < 0
	}, func(c *ProvinceCounty) string { return pdf.Rate(c.RectificationRate()) }, "按期整改率")
	top("属地新增最多的县（前10）", func(a, b *ProvinceCounty) bool {
		if a.NewAfterRectification != b.NewAfterRectification {
			return a.NewAfterRectification > b.NewAfterRectification
		}
		return a.Recurrences > b.Recurrences
	}, func(c *ProvinceCounty) string {
		return fmt.Sprintf("%d（复发%d）", c.NewAfterRectification, c.Recurrences)
	}, "属地新增（复发）")

	d.Heading("问题：数据过期、缺失、损坏或不予采用的县")
	var bad []*ProvinceCounty
	for i := range p.Counties {
		if p.Counties[i].Status != CountyOK {
			bad = append(bad, &p.Counties[i])
		}
	}
	if len(bad) == 0 {
		d.Para("各县导出齐全、完好，截至日期相差均不超过7天。", 10)
	} else {
		tb := d.NewTable(9, pdf.Column{Title: "县", Width: 40, Wrap: true}, pdf.Column{Title: "情况", Width: 24, Align: "C"},
			pdf.Column{Title: "说明", Wrap: true})
		for _, c := range bad {
			what, why := "", c.Problem
			switch c.Status {
			case CountyStale:
				what = "数据过期"
				why = fmt.Sprintf("数据截至 %s，比最新的 %s 早 %d 天；排名中已标注（过期）", pdf.Date(c.AsOf), pdf.Date(p.Newest),
					int(p.Newest.Sub(c.AsOf).Hours()/24))
			case CountyMissing:
				what = "缺少导出"
			case CountyCorrupt:
				what = "导出损坏"
			case CountyRefused:
				what = "不予采用"
			}
			tb.Row(pdf.Cell{Text: c.County}, pdf.Cell{Text: what, FG: &red}, pdf.Cell{Text: why + "（" + c.Dir + "）"})
		}
	}
	return d.Render(w)
}

// SynthProvinceOptions for SynthProvince.
type SynthProvinceOptions struct {
	From     string // a county's export (landwatch export parquet)
	Out      string // where the counties' exports go, one directory each (county-001 …)
	Counties int
	// Stale, Corrupt and Missing counties come last: their as-of lies two weeks back, a mart file
	// has a byte changed after its checksum was taken, or the manifest is absent.
	Stale, Corrupt, Missing int
	// Readings writes, instead, one export for the Spark job: every county's readings and meters
	// (the source's, with the meter ids prefixed by the county's number) in Out itself.
	Readings bool
}

// SynthProvince writes a deterministic synthetic province from one county's export, with DuckDB:
// county i's marts are the source's with its own county name and its scorecard figures moved by a
// hash of (i, township) — missed up by 0–2 (within what was due), rectified on time down by 0–2,
// 属地新增 up by 0–1 — so that the counties rank differently.
func SynthProvince(ctx context.Context, opt SynthProvinceOptions) error {
	src, err := queries.ReadExportManifest(opt.From)
	if err != nil {
		return fmt.Errorf("synthetic province: %w", err)
	}
	if opt.Counties < 1 {
		return errors.New("synthetic province: no counties")
	}
	connector, err := duckdb.NewConnector(warehouse.DSN("", false), nil)
	if err != nil {
		return fmt.Errorf("synthetic province: open DuckDB: %w", err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	from := func(rel string) string { return lit(filepath.Join(opt.From, filepath.FromSlash(rel))) }
	if opt.Readings {
		return synthReadings(ctx, db, src, opt, from)
	}
	asOf, err := time.Parse(time.DateOnly, src.AsOf)
	if err != nil {
		return fmt.Errorf("synthetic province: as-of %q: %w", src.AsOf, err)
	}
	for i := 1; i <= opt.Counties; i++ {
		dir := filepath.Join(opt.Out, fmt.Sprintf("county-%03d", i))
		if err := os.MkdirAll(filepath.Join(dir, "marts"), 0o700); err != nil {
			return fmt.Errorf("synthetic province: %w", err)
		}
		name := fmt.Sprintf("模拟%03d县", i)
		first := opt.Counties - opt.Stale - opt.Corrupt - opt.Missing
		day := asOf
		if i > first && i <= first+opt.Stale {
			day = asOf.AddDate(0, 0, -14)
		}
		m := &queries.ExportManifest{County: name, Province: src.Province, AsOf: pdf.Date(day), SchemaVersion: src.SchemaVersion,
			CreatedAt: src.CreatedAt, Parameters: src.Parameters, Rows: map[string]int64{}}
		for _, f := range src.Files {
			mart, ok := strings.CutPrefix(f.Path, "marts/")
			if !ok {
				continue
			}
			mart = strings.TrimSuffix(mart, ".parquet")
			if mart == "mart_county_scorecard" {
				continue // written from the county's own townships below
			}
			sel := fmt.Sprintf(`SELECT * REPLACE (%s AS county) FROM read_parquet(%s)`, lit(name), from(f.Path))
			if mart == "mart_township_scorecard" {
				h := fmt.Sprintf(`hash(%d, township)`, i)
				sel = fmt.Sprintf(`WITH s AS (SELECT * REPLACE (%[1]s AS county,
						least(violations_due, missed + CAST(%[2]s %% 3 AS INTEGER)) AS missed,
						greatest(0, rectified_on_time - CAST((%[2]s >> 8) %% 3 AS INTEGER)) AS rectified_on_time,
						new_after_rectification + CAST((%[2]s >> 16) %% 2 AS INTEGER) AS new_after_rectification)
					FROM read_parquet(%[3]s) WHERE as_of <= DATE %[4]s)
					SELECT * REPLACE (violations_due - missed AS detected,
						CASE WHEN violations_due > 0 THEN missed / violations_due END AS missed_detection_rate,
						CASE WHEN ledger_due > 0 THEN rectified_on_time / ledger_due END AS rectification_rate) FROM s`,
					lit(name), h, from(f.Path), lit(pdf.Date(day)))
			}
			var n int64
			out := lit(filepath.Join(dir, "marts", mart+".parquet"))
			if err := db.QueryRowContext(ctx, "COPY ("+sel+") TO "+out+" (FORMAT parquet, COMPRESSION zstd)").Scan(&n); err != nil {
				return fmt.Errorf("synthetic province: %s: %w", mart, err)
			}
			m.Rows["marts/"+mart] = n
		}
		if slices.ContainsFunc(src.Files, func(f queries.ExportFile) bool { return f.Path == "marts/mart_county_scorecard.parquet" }) {
			// the county's row summed from its moved townships by the mart's own SQL
			n, err := synthCountyScorecard(ctx, db, name, dir)
			if err != nil {
				return err
			}
			m.Rows["marts/mart_county_scorecard"] = n
		}
		if m.Files, err = queries.HashExport(dir); err != nil {
			return err
		}
		if err := writeManifest(dir, m); err != nil {
			return err
		}
		switch {
		case i > first+opt.Stale && i <= first+opt.Stale+opt.Corrupt:
			p := filepath.Join(dir, "marts", "mart_ledger.parquet")
			data, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("synthetic province: %w", err)
			}
			data[len(data)/2] ^= 0xff
			if err := os.WriteFile(p, data, 0o600); err != nil {
				return fmt.Errorf("synthetic province: %w", err)
			}
		case i > first+opt.Stale+opt.Corrupt:
			if err := os.Remove(filepath.Join(dir, queries.ExportManifestName)); err != nil {
				return fmt.Errorf("synthetic province: %w", err)
			}
		}
	}
	return nil
}

// synthReadings writes one export holding every synthetic county's readings and meters.
func synthReadings(ctx context.Context, db *sql.DB, src *queries.ExportManifest, opt SynthProvinceOptions,
	from func(string) string) error {
	if err := os.MkdirAll(opt.Out, 0o700); err != nil {
		return fmt.Errorf("synthetic province: %w", err)
	}
	prefix := `'C' || lpad(CAST(i AS VARCHAR), 3, '0') || '-' || meter_id`
	counties := fmt.Sprintf(`range(1, %d) c(i)`, opt.Counties+1)
	m := &queries.ExportManifest{County: fmt.Sprintf("模拟省（%d个县）", opt.Counties), Province: src.Province, AsOf: src.AsOf,
		SchemaVersion: src.SchemaVersion, CreatedAt: src.CreatedAt, Parameters: src.Parameters, Rows: map[string]int64{}}
	var n int64
	readings := lit(filepath.Join(opt.From, "power_readings", "*", "*.parquet"))
	q := `COPY (SELECT ` + prefix + ` AS meter_id, ts, kwh, day FROM read_parquet(` + readings + `, hive_partitioning = true)
		CROSS JOIN ` + counties + ` ORDER BY day, meter_id, ts) TO ` + lit(filepath.Join(opt.Out, "power_readings")) +
		` (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (day))`
	if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return fmt.Errorf("synthetic province: readings: %w", err)
	}
	m.Rows["power_readings"] = n
	q = `COPY (SELECT * REPLACE (` + prefix + ` AS meter_id) FROM read_parquet(` + from("meters.parquet") + `)
		CROSS JOIN ` + counties + `) TO ` + lit(filepath.Join(opt.Out, "meters.parquet")) + ` (FORMAT parquet, COMPRESSION zstd)`
	if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return fmt.Errorf("synthetic province: meters: %w", err)
	}
	m.Rows["meters"] = n
	var err error
	if m.Files, err = queries.HashExport(opt.Out); err != nil {
		return err
	}
	return writeManifest(opt.Out, m)
}

func writeManifest(dir string, m *queries.ExportManifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, queries.ExportManifestName), append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	// owner-only, whatever the umask DuckDB's COPY wrote the county's files with
	return warehouse.PrivateTree(dir)
}

// fmtFines writes a county's (or the total's) 罚没款: decided / collected / outstanding, yuan.
func fmtFines(c *ProvinceCounty) string {
	if !c.FinesKnown {
		return "—"
	}
	return fmt.Sprintf("%d / %d / %d", c.FinesDecided, c.FinesCollected, c.FinesDecided-c.FinesCollected)
}

// synthCountyScorecard writes a synthetic county's mart_county_scorecard from its own township rows
// (dir/marts/mart_township_scorecard.parquet) with the model's SQL
// (queries/marts/mart_county_scorecard.sql), as an export writes it: the county's name first.
func synthCountyScorecard(ctx context.Context, db *sql.DB, name, dir string) (int64, error) {
	models, err := queries.Models()
	if err != nil {
		return 0, err
	}
	i := slices.IndexFunc(models, func(m *queries.Model) bool { return m.Name == "mart_county_scorecard" })
	if i < 0 {
		return 0, errors.New("synthetic province: no model mart_county_scorecard")
	}
	marts := filepath.Join(dir, "marts")
	sel := fmt.Sprintf("WITH mart_township_scorecard AS (SELECT * EXCLUDE (county) FROM read_parquet(%s))\nSELECT %s AS county, * FROM (\n%s\n)",
		lit(filepath.Join(marts, "mart_township_scorecard.parquet")), lit(name), models[i].SQL)
	var n int64
	if err := db.QueryRowContext(ctx, "COPY ("+sel+") TO "+lit(filepath.Join(marts, "mart_county_scorecard.parquet"))+
		" (FORMAT parquet, COMPRESSION zstd)").Scan(&n); err != nil {
		return 0, fmt.Errorf("synthetic province: mart_county_scorecard: %w", err)
	}
	return n, nil
}
