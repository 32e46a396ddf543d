// Package synth generates a deterministic synthetic county for the campaign: every input file of
// the README's "Input formats" (inspection forms, rectification ledgers, patrol logs, cases, clues, the meter registry,
// hourly power readings, power field checks, imagery patches) plus truth.json, the answers the SQL
// models must reproduce (queries/README.md). The same seed and scale give byte-identical files.
//
// Layout under the output directory (manifest.json lists the files in load order, kind by kind,
// each kind in the order the files arrived; every file has its received_on, see county/arrival.go):
//
//	meters/用电户档案.csv                      UTF-8 with BOM; 户号 1430000001…; received the day before the first reading
//	power/用电数据-{days}[-PP].csv             户号,时间,电量 hourly from the first day 06:00, a file per week,
//	                                          Monday to Sunday (large: PP splits the meters), received that
//	                                          Sunday; {days} names the week's first and last day of data as
//	                                          kit.Date.Span writes them: 20230501至0507
//	power-checks/用电核查-{days}.xlsx           预警编号 = {meter}-{NOD|SRG|CLM}-{first day}, some empty; that Sunday
//	imagery/卫片图斑-2023第N批-{day}.geojson      weekly cumulative export of batch N (batch 2 as .csv with a WKT
//	                                          column) whenever it changes: a patch checked later shows 未核查
//	cases/案件台账-{day}.xlsx                   weekly cumulative exports: every case found by then, later dates
//	                                          blank, 状态 the stage reached by then
//	case-stages/公安-办案环节-{day}.csv           公安's 立案侦查 entries dated in the week, that Sunday (chain/stages.go)
//	clues/其他线索-{day}.xlsx                   weekly cumulative exports
//	inspection/{乡镇}-{村}-村级自查-{date}.xlsx|.csv   extended template, 层级 村级; received on its date or the next
//	inspection/{乡镇}-乡镇复查-{date}[（更正）].xlsx   plain seed layout or extended; on its date or the next, by the
//	                                          deadline (a correction the same afternoon, YYYY-MM-DDTHH:MM)
//	inspection/{乡镇}-补报-{date}.xlsx|.csv            late lists (after the detection deadline), on their date
//	patrol/{乡镇}-巡查记录-{days}.xlsx             a file per township and week (Monday to Sunday), by that Sunday
//	rectification/{乡镇}-整改台账-{days}[（补报）].xlsx  ledger updates of the week, by that Sunday
//	chain/责任人名册-{day}.xlsx, chain/责任分解表.xlsx, chain/回头看复查-{days}.xlsx  the accountability
//	                                          chain (chain/chain.go)
//	licences/矿业权登记.geojson, inspection/{乡镇}-常态化排查-{date}.xlsx
//	                                          the licence register, the 常态化 period's forms, and meters of
//	                                          the configured customer types (period.go)
//	patrol/巡查记录-{year}年{MM}月.xlsx, patrol/巡查记录-{days}.xlsx, power/用电数据-{days}.csv
//	                                          the patrols after the scenario through the look-back and every
//	                                          period, every meter's readings in every period (ongoing.go)
//	imagery/卫片图斑-{year}第1批-{day}.geojson, cases/案件台账-{year}-{day}.xlsx, case-stages/…,
//	rectification/{乡镇}-整改台账-{days}.xlsx, collections/…
//	                                          the first 常态化 period's own findings: patches, cases
//	                                          through their stages, ledger updates, receipts (periodwork.go)
//	boundaries/乡镇边界.geojson                  township cells tiling the county box (manifest "boundaries";
//	                                          etl/synth/boundaries)
//	console.json                               what the units enter on the console: a cut-off, a department clue (console.go)
//	truth.json, manifest.json
//
// The last, partial week of the data closes on its last day. Every as-of date of truth.json is a
// Sunday, so whatever is dated by then has arrived by then, except the planted late arrivals.
//
// The scenario is a fixed profile per township (specs in county/plan.go), planted once (tiny) or
// three times (county, large): violations detected by reference (备注 names the record id) or by
// distance (50–250 m), missed outright or listed only on a late list, first seen after the
// detection deadline, after the end of rectification and after 04-30; channel merges (a case whose
// 来源编号 is a patch, clue or alert id; a clue 150 m from a patch in the same village, matched by a
// problem 200 m beyond the clue); lawful and unchecked patches, untrue clues, alerts checked 正常
// or 其他 or never; a closed mine stolen from twice (the second check names no alert); a corrected
// re-submission of a township form received before the deadline; patrol gaps; rectification on
// time, late, after 04-30, 整改中 and never. The arrival cases (county/plant.go, listed in truth.json
// "arrivals"): a township review list dated the day before the deadline but received a week after
// it, whose two lines match a true clue and a case — both missed (迟报, late_by names the line) yet
// matched for the ledger; a ledger update of one of those lines, 已整改 five days before the end of
// rectification, in a file received four days after the following Sunday (overdue as of that
// Sunday, on time later); a township form whose correction arrives after the deadline, adding a line
// that names a true patch and moving a line to within 200 m of a true clue (both missed: detection
// uses the first version); an illegal patch imaged after the end of rectification 120–200 m from a
// violation whose site was rectified before (a recurrence: recurrence_of, 属地新增). Sites of
// different violations lie more than 1.2 km apart; problems that must match nothing lie more than
// 1.2 km from every violation site.
//
// The generator is split by concern: etl/synth/kit (days, points, the seeded random source, the
// csv and xlsx writers), etl/synth/power (meters, hourly readings, alert rules), etl/synth/county
// (the planned county and the rules evaluated on it), etl/synth/chain (the two chains' files),
// etl/synth/boundaries (the township cells); this package adds the channels and the 常态化
// period's work, writes every file and computes truth.json (truth.go).
//
// Power readings are integer Wh computed from (seed, meter, hour) by a hash (etl/synth/power), so
// the csv and truth.json agree exactly. Ordinary meters cannot meet a rule: night per hour stays ≤ 0.8 × day
// per hour, the day-to-day factor within ±12 %, and closed mines read zero.
package synth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/etl/synth/boundaries"
	"landwatch/etl/synth/chain"
	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// Options says what to generate.
type Options struct {
	Out      string           // output directory
	Scale    string           // tiny, county or large
	Seed     int64            // same seed + scale → same bytes
	Config   *campaign.Config // nil: the embedded default campaign
	Progress io.Writer        // nil: quiet
}

// File is one generated input file, in load order (kit.File).
type File = kit.File

// Manifest lists what Generate wrote; it is also written as manifest.json.
type Manifest struct {
	Seed  int64  `json:"seed"`
	Scale string `json:"scale"`
	Files []File `json:"files"`
	// Boundaries is the township boundary GeoJSON (boundaries.Path), for `landwatch init
	// --boundaries`; it is not a load kind, so it is not in Files.
	Boundaries string `json:"boundaries,omitempty"`
	// Console is the entries the units make on the console (console.go, ConsolePath); not a load kind.
	Console string `json:"console,omitempty"`
}

// Kinds in load order.
var Kinds = []string{"meters", "power", "power-checks", "imagery", "licences", "cases", "case-stages", "clues", "inspection", "patrol", "rectification",
	"responsibilities", "duties", "rechecks", "restoration", "acceptances", "collections"}

// Generate writes the synthetic county into opt.Out and returns its manifest.
func Generate(ctx context.Context, opt Options) (*Manifest, error) {
	cfg := opt.Config
	if cfg == nil {
		cfg = campaign.Default()
	}
	sc, err := county.ScaleByName(opt.Scale, cfg)
	if err != nil {
		return nil, err
	}
	if opt.Out == "" {
		return nil, fmt.Errorf("no output directory")
	}
	progress := opt.Progress
	if progress == nil {
		progress = io.Discard
	}
	start := time.Now()
	step := func(format string, args ...any) {
		fmt.Fprintf(progress, "[%5.1fs] ", time.Since(start).Seconds())
		fmt.Fprintf(progress, format+"\n", args...)
	}

	w := &world{&chain.World{World: county.NewWorld(cfg, sc, opt.Seed)}}
	step("规划场景：%d 个乡镇、%d 个村（规模 %s，种子 %d）", len(w.Towns), w.villageCount(), sc.Name, opt.Seed)
	if err := w.Plan(); err != nil {
		return nil, err
	}
	step("计算标准答案：违法记录 %d 条，报表 %d 行，异常用电户 %d 户", w.recordCount(), w.formRowCount(), w.plantedMeters())
	tr, err := w.truth()
	if err != nil {
		return nil, err
	}
	w.planChannels() // explosives flows and camera events (channels.go)
	w.channelTruth(tr)
	w.planPeriodWork() // the 常态化 period's findings, after everything else (periodwork.go)
	w.planPeriodCutoff(tr)
	m := &Manifest{Seed: opt.Seed, Scale: sc.Name}
	add := func(kind, rel string, rows int64, recv kit.Date) {
		m.Files = append(m.Files, File{Kind: kind, Path: filepath.ToSlash(rel), Rows: rows, ReceivedOn: recv.String()})
	}
	out := opt.Out

	// meters
	if err := power.WriteMeters(filepath.Join(out, "meters", "用电户档案.csv"), w.Meters); err != nil {
		return nil, err
	}
	add("meters", "meters/用电户档案.csv", int64(len(w.Meters)), sc.ReadFrom-1) // before the first reading
	step("写入 meters/用电户档案.csv：%d 户", len(w.Meters))

	// power readings: a file per week (Monday to Sunday), sent that Sunday; the last, partial week
	// on the last day of the data
	parts := power.ReadingFiles(len(w.Meters), sc.MetersPerFile)
	var rfs []readingsFile
	for wk := sc.ReadFrom.Monday(); wk <= sc.ReadTo; wk += 7 {
		from, to := max(wk, sc.ReadFrom), min(wk+6, sc.ReadTo)
		for i, p := range parts {
			rel := "power/用电数据-" + from.Span(to) + ".csv"
			if len(parts) > 1 {
				rel = fmt.Sprintf("power/用电数据-%s-%02d.csv", from.Span(to), i+1)
			}
			rfs = append(rfs, readingsFile{rel: rel, pm: w.Power, ms: w.Meters[p[0]:p[1]], from: from, to: to})
		}
	}
	rowsOf, err := writeReadingsFiles(ctx, out, rfs) // readings.go: in parallel, the same bytes
	if err != nil {
		return nil, err
	}
	var nrows int64
	for i, rf := range rfs {
		add("power", rf.rel, rowsOf[i], rf.to)
		nrows += rowsOf[i]
	}
	nfiles := len(rfs)
	step("写入 %s：%d 个文件，%d 条读数（%s 至 %s，每周一个文件）", campaign.Label("input", "power"), nfiles, nrows, w.Power.From, w.Power.To)
	periodReadings, err := w.writePeriodReadings(ctx, out)
	if err != nil {
		return nil, fmt.Errorf("power: %w", err)
	}
	for _, f := range periodReadings {
		f.Kind, f.Path = "power", filepath.ToSlash(f.Path)
		m.Files = append(m.Files, f)
	}

	for _, wr := range []struct {
		kind string
		fn   func(out string) ([]File, error)
	}{
		{"power-checks", w.writeChecks},
		{"imagery", w.writeImagery},
		{"imagery", w.writePeriodImagery},
		{"licences", w.writeLicences},
		{"cases", w.writeCases},
		{"cases", w.writePeriodCases},
		{"case-stages", w.WriteCaseStages},
		{"case-stages", w.WriteChainStages},
		{"case-stages", w.writePeriodStages},
		{"clues", w.writeClues},
		{"inspection", w.writeForms},
		{"inspection", w.writePeriodForms},
		{"patrol", w.writePatrols},
		{"patrol", w.writeOngoingPatrols},
		{"rectification", w.writeRectifications},
		{"rectification", w.writePeriodRects},
		{"responsibilities", w.WriteRegisters},
		{"duties", w.WriteDuties},
		{"duties", w.writePeriodDuties},
		{"rechecks", w.WriteRechecks},
		{"explosives", w.writeExplosives},
		{"video", w.writeVideo},
		{"restoration", w.writeRestoration},
		{"acceptances", w.WriteAcceptances},
		{"collections", w.writeCollections},
		{"collections", w.writePeriodCollections},
	} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		files, err := wr.fn(out)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", wr.kind, err)
		}
		var rows int64
		for i := range files {
			files[i].Kind = wr.kind
			files[i].Path = filepath.ToSlash(files[i].Path)
			rows += files[i].Rows
		}
		// In the order they arrived (a correction after the form it replaces).
		slices.SortStableFunc(files, func(a, b File) int { return strings.Compare(stampKey(a.ReceivedOn), stampKey(b.ReceivedOn)) })
		m.Files = append(m.Files, files...)
		step("写入 %s：%d 个文件，%d 行", campaign.Label("input", wr.kind), len(files), rows)
	}

	islands, err := boundaries.Write(w.planned(), out)
	if err != nil {
		return nil, err
	}
	m.Boundaries = boundaries.Path
	step("写入 %s：%d 个乡镇，%d 个点位落在邻乡范围内的小块飞地", boundaries.Path, len(w.Towns), islands)

	tr.Seed, tr.Scale = opt.Seed, sc.Name
	details, err := time.Parse(time.DateOnly, tr.DetailsAsOf)
	if err != nil {
		return nil, fmt.Errorf("details_as_of %q: %w", tr.DetailsAsOf, err)
	}
	tr.CaseStages = w.StageTruth(kit.MkDate(details))
	tr.Fines = w.fineTruth()
	con, ct, err := w.console(tr)
	if err != nil {
		return nil, err
	}
	w.periodCutoffs(con, ct)
	w.channelConsole(tr, con, ct)
	if err := writeConsole(out, con); err != nil {
		return nil, err
	}
	tr.Console, m.Console = ct, ConsolePath
	tr.Periods = w.periodTruth()
	if err := writeJSON(filepath.Join(out, "truth.json"), tr); err != nil {
		return nil, err
	}
	if err := writeJSON(filepath.Join(out, "manifest.json"), m); err != nil {
		return nil, err
	}
	step("完成：%d 个文件及 truth.json、manifest.json，在 %s", len(m.Files), out)
	for _, sc := range tr.Townships {
		last := sc.Scorecards[len(sc.Scorecards)-1]
		step("  %-5s %s 违法%d 漏排%d 台账%d 按期%d 逾期%d 新增%d 巡查%d/%d %s", sc.Township, campaign.Label("level", last.Level),
			len(sc.Violations), last.Missed, last.LedgerDue, last.RectifiedOnTime, last.OverdueOpen,
			last.NewAfterRectification, last.PatrolWeeksDone, last.PatrolWeeks, last.Reasons)
	}
	return m, nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return kit.WriteFile(path, append(data, '\n'))
}
