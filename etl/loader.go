package etl

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/etl/batch"
	"landwatch/etl/read"
	"landwatch/warehouse"
)

// loader holds what validating one file needs.
type loader struct {
	ctx  context.Context
	tx   batch.Querier
	cfg  *campaign.Config
	kind Kind
	file string
	p    *read.Problems

	villages    map[string]map[string]bool // township → village → known (any dim_villages row)
	newVillages map[[2]string]bool
	newOrder    [][2]string
	formYear    int        // year of the form's date, for 3月5日
	arrivalDay  time.Time  // the day the file arrived (its stamp's day), for 3月5日 without a form date
	unit        string     // Options.Unit: the only member unit the file may speak for ("" any)
	dir         string     // Options.Dir: the file's folder (a video list's screenshots lie there)
	cache       *loadCache // a manifest's shared look-ups and deferred writes; nil for one file
}

// out is what a kind's converter produces.
type out struct {
	table string
	cols  []string // without batch_id
	rows  [][]any
	b     batch.Batch // township, form date, level, village of a form
	// ids are the file's record ids (checked against active batches of the same kind).
	ids     []string
	idCol   string
	idRows  []int
	idTable string
	idField string
	// more are further tables the file fills (rows without batch_id, like rows).
	more []table
	// versions: the file is a register or ledger export (cases, clues, patches, meters) whose rows
	// are the current version of their records; an id an earlier batch loaded is allowed and its
	// row is the newer version from this file's arrival on.
	versions bool
}

// table is a further table a converter fills.
type table struct {
	name string
	cols []string // without batch_id
	rows [][]any
}

type converter func(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error)

var converters = map[Kind]converter{
	KindInspection:    convInspection,
	KindRectification: convRectification,
	KindPatrol:        convPatrol,
	KindCases:         convCases,
	KindMeters:        convMeters,
	KindPowerChecks:   convPowerChecks,
	KindImagery:       convImageryTable,
	KindClues:         convClues,
	KindLicences:      convLicences,
	KindCaseStages:    convCaseStages,

	KindResponsibilities: convResponsibilities,
	KindDuties:           convDuties,
	KindRestoration:      convRestoration,
	KindExplosives:       convExplosives,
	KindVideo:            convVideo,
	KindRechecks:         convRechecks,
	KindAcceptances:      convAcceptances,
	KindCollections:      convCollections,
}

func loadBytes(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, kind Kind, name string, data []byte, opt Options) (*Result, error) {
	sha := batch.Sum(data)
	res := &Result{Kind: kind, File: name}
	p := &read.Problems{File: name}
	arr, err := batch.ResolveArrival(opt, cfg.Location())
	if err != nil {
		p.Add(0, "", "", err.Error())
		return nil, p.Err(kind)
	}
	// The same bytes again are a no-op — unless a correction replaced them and they come again
	// after it: then the earlier file is reinstated (a new batch replacing the correction).
	if id, rows, replacedAt, err := batch.FindLoaded(ctx, db, kind, sha); err != nil {
		return nil, fmt.Errorf("导入 %s：%w", name, err)
	} else if id != 0 && (!replacedAt.Valid || !arr.At.After(replacedAt.Time)) {
		res.BatchID, res.Rows, res.AlreadyLoaded = id, rows, true
		return res, nil
	}
	f, err := parseSmall(kind, name, data, sha, arr)
	if err != nil {
		return nil, err
	}
	var result *Result
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		var err error
		result, err = f.load(ctx, tx, cfg, opt, nil)
		if err == nil {
			batch.Pause(batch.PauseCommit)
		}
		return err
	})
	if err != nil {
		if _, ok := err.(*FileError); ok {
			return nil, err
		}
		if errors.Is(err, sql.ErrTxDone) && ctx.Err() != nil { // rolled back for the cancellation
			return nil, fmt.Errorf("导入 %s：%w", name, ctx.Err())
		}
		return nil, fmt.Errorf("导入 %s：%w", name, err)
	}
	return result, nil
}

// smallFile is a small file read, its header found and its records cut, before the warehouse is
// asked anything (so that a manifest's files can be read in parallel).
type smallFile struct {
	kind     Kind
	name     string
	sha      string
	arr      batch.Arrival
	p        *read.Problems
	encoding string
	g        *read.Grid
	h        *read.Header
	recs     []*read.Record
}

// parseSmall reads a small file (csv, xlsx or GeoJSON) and finds its header; a file that cannot
// be read or lacks a required column is refused here.
func parseSmall(kind Kind, name string, data []byte, sha string, arr batch.Arrival) (*smallFile, error) {
	p := &read.Problems{File: name}
	f := &smallFile{kind: kind, name: name, sha: sha, arr: arr, p: p}
	// Read the file into a grid (or features, for GeoJSON).
	var grids []*read.Grid
	var feats []*read.Record
	ext := strings.ToLower(strings.TrimPrefix(pathExt(name), "."))
	switch {
	case (kind == KindImagery || kind == KindLicences) && (ext == "geojson" || ext == "json"):
		fs, err := readGeoJSON(kind, data)
		if err != nil {
			p.Add(0, "", "", err.Error())
			return nil, p.Err(kind)
		}
		feats = fs
	case ext == "xlsx" || ext == "xlsm":
		gs, err := read.ReadXLSX(name, data)
		if err != nil {
			p.Add(0, "", "", err.Error())
			return nil, p.Err(kind)
		}
		grids = gs
		f.encoding = "xlsx"
	case ext == "xls":
		p.Add(0, "", "", "不支持旧版Excel(.xls)文件，请另存为.xlsx")
		return nil, p.Err(kind)
	default: // csv, txt
		g, enc, err := read.ReadCSV(data)
		if err != nil {
			p.Add(0, "", "", err.Error())
			return nil, p.Err(kind)
		}
		grids = []*read.Grid{g}
		f.encoding = enc
	}

	m := newMatcher(kind)
	if feats != nil {
		f.g, f.h, f.recs = &read.Grid{}, &read.Header{Present: map[string]bool{}}, feats
		for _, fd := range specs[kind] {
			f.h.Present[fd.Key] = true // GeoJSON properties are checked per feature
		}
		return f, nil
	}
	var g *read.Grid
	var h *read.Header
	best := 0
	for _, cand := range grids {
		if ch := read.FindHeader(cand, m); ch != nil {
			n := 0
			for range ch.Present {
				n++
			}
			if n > best {
				g, h, best = cand, ch, n
			}
		}
	}
	if h == nil {
		var want []string
		for _, fd := range specs[kind] {
			if fd.Required {
				want = append(want, fd.Zh)
			}
		}
		if len(want) == 0 {
			want = []string{"序号", "村", "发现隐患"}
		}
		p.Add(0, "", "", "找不到表头行（应含 "+strings.Join(want, "、")+"；可在上传页下载模板）")
		for _, fd := range specs[kind] { // every column it lacks, not only the first
			if fd.Required {
				p.Add(0, fd.Zh, "", "缺少必需的列")
			}
		}
		return nil, p.Err(kind)
	}
	p.Sheet = g.Sheet
	if len(grids) == 1 {
		p.Sheet = "" // csv, or a workbook of one sheet: the row number is enough
	}
	for j, fd := range h.Cols {
		if fd != nil || j >= len(h.Names) || h.Names[j] == "" {
			continue
		}
		if want, ok := m.Lookalike(h.Names[j], h.Present); ok {
			p.Add(g.Nums[h.Index], h.Names[j], "", fmt.Sprintf("列“%s”是不是“%s”？请改用标准列名后重新上传", h.Names[j], want))
		}
	}
	for _, fd := range specs[kind] {
		if fd.Required && !h.Present[fd.Key] {
			p.Add(g.Nums[h.Index], fd.Zh, "", "缺少必需的列")
		}
	}
	if len(p.Errs) > 0 {
		return nil, p.Err(kind)
	}
	f.g, f.h, f.recs = g, h, read.Records(g, h)
	return f, nil
}

// load validates the file against the warehouse and writes it, in tx. c is the manifest's
// shared look-ups and deferred writes (manifest.go), nil for a file loaded alone.
func (f *smallFile) load(ctx context.Context, tx *sql.Tx, cfg *campaign.Config, opt Options, c *loadCache) (*Result, error) {
	kind, name, p, arr := f.kind, f.name, f.p, f.arr
	l := &loader{ctx: ctx, tx: tx, cfg: cfg, kind: kind, file: name, p: p, newVillages: map[[2]string]bool{}, arrivalDay: arr.Day(), unit: opt.Unit, dir: opt.Dir, cache: c}
	if err := l.loadVillages(); err != nil {
		return nil, err
	}
	o, err := converters[kind](l, f.g, f.h, f.recs)
	if err != nil {
		return nil, err
	}
	// Replacement of an earlier form (inspection forms only).
	b := o.b
	if kind == KindInspection && b.Township != "" && b.FormDate != nil {
		prev, err := l.findReplaced(&b)
		if err != nil {
			return nil, err
		}
		b.Replaces = prev
	}
	if err := l.checkIDs(o, b.Replaces); err != nil {
		return nil, err
	}
	o.checkArrival(p, arr, b.FormRow)
	if c != nil && b.Replaces != 0 { // the form it replaces may be among the rows not yet written
		if err := c.flush(); err != nil {
			return nil, err
		}
	}
	if err := batch.CheckReplace(ctx, tx, p, b.Replaces, arr); err != nil {
		return nil, err
	}
	if err := l.checkFrozen(arr); err != nil {
		return nil, err
	}
	if err := p.Err(kind); err != nil {
		return nil, err
	}
	// All checks passed: write.
	b.ID, err = l.newBatchID()
	if err != nil {
		return nil, err
	}
	b.Kind, b.File, b.SHA, b.Rows, b.LoadedBy, b.Arrival = kind, name, f.sha, int64(len(o.rows)), opt.LoadedBy, arr
	if c != nil && b.Replaces == 0 {
		// In a manifest the batch's row is written with its rows, at the end (manifest.go).
		at, err := c.loadedAt()
		if err != nil {
			return nil, err
		}
		c.deferRows("load_batches", batch.RowCols, [][]any{batch.Row(&b, len(p.Warns), at)})
	} else if err := batch.InsertRow(ctx, tx, &b, len(p.Warns)); err != nil {
		return nil, err
	}
	if err := l.insert("load_warnings", batch.WarningCols, batch.WarningRows(b.ID, p.Warns)); err != nil {
		return nil, err
	}
	if err := l.insert(o.table, append([]string{"batch_id"}, o.cols...), withBatch(b.ID, o.rows)); err != nil {
		return nil, err
	}
	for _, t := range o.more {
		if err := l.insert(t.name, append([]string{"batch_id"}, t.cols...), withBatch(b.ID, t.rows)); err != nil {
			return nil, err
		}
	}
	var villages [][]any
	for _, v := range l.newOrder {
		villages = append(villages, []any{v[0], v[1], false, b.ID})
	}
	if err := l.insert("dim_villages", []string{"township", "village", "confirmed", "added_by_batch"}, villages); err != nil {
		return nil, err
	}
	res := &Result{BatchID: b.ID, Kind: kind, File: name, Rows: b.Rows, Warnings: p.Warns, Replaced: b.Replaces, Encoding: f.encoding,
		ReceivedAt: arr.At, ReceivedBy: arr.GivenBy}
	if c != nil {
		c.took(l, o, &b)
		// A manifest writes its rows at the end: their repetitions are named then (manifest.go).
		c.dups = append(c.dups, batch.DupCheck{Res: res, Table: o.table, Cols: o.cols})
		return res, nil
	}
	if err := batch.WarnDuplicates(ctx, tx, res, o.table, o.cols); err != nil {
		return nil, err
	}
	return res, nil
}

func withBatch(id int64, rows [][]any) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = append([]any{id}, r...)
	}
	return out
}

func pathExt(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		return name[i:]
	}
	return ""
}

func (l *loader) loadVillages() error {
	if l.cache != nil && l.cache.villages != nil {
		l.villages = l.cache.villages
		return nil
	}
	if l.cache != nil {
		defer func() { l.cache.villages = l.villages }()
	}
	l.villages = map[string]map[string]bool{}
	for _, t := range l.cfg.Townships {
		l.villages[t.Name] = map[string]bool{}
		for _, v := range t.Villages {
			l.villages[t.Name][v] = true
		}
	}
	rows, err := l.tx.QueryContext(l.ctx, `SELECT township, village FROM dim_villages`)
	if err != nil {
		return fmt.Errorf("读取村名单：%w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var t, v string
		if err := rows.Scan(&t, &v); err != nil {
			return err
		}
		if l.villages[t] == nil {
			l.villages[t] = map[string]bool{}
		}
		l.villages[t][v] = true
	}
	return rows.Err()
}

// township checks a township name against the configuration (campaign.Config.Township: the full
// name, or a name without its 镇/乡 suffix when that is unambiguous) and returns its full name. It
// returns "" (after recording an error) when unknown.
func (l *loader) township(row int, col, val string) string {
	v := strings.TrimSpace(val)
	if v == "" {
		l.p.Add(row, col, "", "乡镇不能为空")
		return ""
	}
	if t, ok := l.cfg.Township(v); ok {
		return t.Name
	}
	l.p.Add(row, col, v, "不是本县的乡镇")
	return ""
}

// village returns the village (nil when empty); an unknown one is accepted with a warning and added
// to dim_villages as unconfirmed.
func (l *loader) village(row int, col, township, v string) any {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	if township == "" {
		return v
	}
	if !l.villages[township][v] {
		key := [2]string{township, v}
		if !l.newVillages[key] {
			l.newVillages[key] = true
			l.newOrder = append(l.newOrder, key)
		}
		l.p.Warn(row, col, fmt.Sprintf("“%s”不在%s的村名录中，已作为未确认村加入", v, township))
	}
	return v
}

// date parses a date column; it must lie in a phase or 常态化 period of the campaign
// (campaign.Config.DataSpans) — a deadline (整改时限) may also lie after them. nil when empty or bad.
// A date without its year (3月5日) takes the form's own year, else the year the file arrived in
// when that gives a day of the campaign on or before the arrival, else the campaign year.
func (l *loader) date(r *read.Record, key, col string, required bool) any {
	s := r.Get(key)
	if s == "" {
		if required {
			l.p.Add(r.Row, col, "", "不能为空")
		}
		return nil
	}
	d, ok := ParseDate(s, l.defaultYear(s))
	if !ok {
		l.p.Add(r.Row, col, s, "不是有效日期")
		return nil
	}
	if !l.cfg.Covers(d) && !(key == "deadline" && d.After(l.cfg.Start())) {
		l.p.Add(r.Row, col, s, "不在专项行动的阶段或常态化周期内（"+l.cfg.DataSpansText()+"）")
		return nil
	}
	return d
}

// defaultYear is the year a date written without one (3月5日) is taken to be in.
func (l *loader) defaultYear(s string) int {
	if l.formYear != 0 {
		return l.formYear
	}
	if y := l.arrivalDay.Year(); y > l.cfg.Campaign.Year {
		if d, ok := ParseDate(s, y); ok && !d.After(l.arrivalDay) && l.cfg.Covers(d) {
			return y
		}
	}
	return l.cfg.Campaign.Year
}

// number parses a numeric column; nonNegative refuses values below 0.
func (l *loader) number(r *read.Record, key, col string, nonNegative bool) any {
	s := r.Get(key)
	if s == "" {
		return nil
	}
	v, ok := ParseNumber(s)
	if !ok {
		l.p.Add(r.Row, col, s, "不是有效数字")
		return nil
	}
	if nonNegative && v < 0 {
		l.p.Add(r.Row, col, s, "不能为负数")
		return nil
	}
	return v
}

// coords parses 经度/纬度: both or neither, inside the county's box.
func (l *loader) coords(r *read.Record) (lon, lat any) {
	ls, as := r.Get("lon"), r.Get("lat")
	if ls == "" && as == "" {
		return nil, nil
	}
	if ls == "" || as == "" {
		col := "经度"
		if ls != "" {
			col = "纬度"
		}
		l.p.Add(r.Row, col, "", "经度和纬度须同时填写")
		return nil, nil
	}
	x, ok1 := ParseNumber(ls)
	y, ok2 := ParseNumber(as)
	if !ok1 {
		l.p.Add(r.Row, "经度", ls, "不是有效数字")
	}
	if !ok2 {
		l.p.Add(r.Row, "纬度", as, "不是有效数字")
	}
	if !ok1 || !ok2 {
		return nil, nil
	}
	if !l.inBox(r.Row, x, y, ls, as) {
		return nil, nil
	}
	return x, y
}

func (l *loader) inBox(row int, x, y float64, ls, as string) bool {
	b := l.cfg.County.BBox
	ok := true
	if x < b.MinLon || x > b.MaxLon {
		l.p.Add(row, "经度", ls, fmt.Sprintf("超出县域范围（%g–%g）", b.MinLon, b.MaxLon))
		ok = false
	}
	if y < b.MinLat || y > b.MaxLat {
		l.p.Add(row, "纬度", as, fmt.Sprintf("超出县域范围（%g–%g）", b.MinLat, b.MaxLat))
		ok = false
	}
	return ok
}

// oneOf checks a value against a closed list.
func (l *loader) oneOf(r *read.Record, key, col string, required bool, allowed ...string) any {
	s := r.Get(key)
	if s == "" {
		if required {
			l.p.Add(r.Row, col, "", "不能为空")
		}
		return nil
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	l.p.Add(r.Row, col, s, "应为"+strings.Join(allowed, "/")+"之一")
	return nil
}

func (l *loader) required(r *read.Record, key, col string) any {
	s := r.Get(key)
	if s == "" {
		l.p.Add(r.Row, col, "", "不能为空")
		return nil
	}
	return s
}

func optional(r *read.Record, key string) any {
	if s := r.Get(key); s != "" {
		return s
	}
	return nil
}

// category reads a 问题类别 (code, name or "M1 name"); when empty and text is given, it infers one
// from the configuration's keyword rules (first category in order with a matching keyword).
func (l *loader) category(r *read.Record, key, col string, text ...string) (code any, inferred bool) {
	s := r.Get(key)
	if s != "" {
		n := strings.ToUpper(read.NormalizeText(s))
		for _, c := range l.cfg.Categories {
			if n == c.Code || s == c.Name || strings.HasPrefix(n, c.Code+" ") || strings.HasPrefix(n, c.Code+"、") ||
				strings.HasPrefix(n, c.Code+"：") || strings.HasPrefix(n, c.Code+":") || strings.HasPrefix(n, c.Code+"-") {
				return c.Code, false
			}
		}
		if c := l.inferCategory(s); c != "" {
			return c, true
		}
		l.p.Add(r.Row, col, s, "不是已知的问题类别")
		return nil, false
	}
	if c := l.inferCategory(strings.Join(text, " ")); c != "" {
		return c, true
	}
	return nil, false
}

// inferCategory applies the keyword rules: the first category in configuration order with a keyword
// in the text wins; "" when none matches.
func (l *loader) inferCategory(all string) string {
	if strings.TrimSpace(all) == "" {
		return ""
	}
	for _, c := range l.cfg.Categories {
		for _, kw := range c.Keywords {
			if kw != "" && strings.Contains(all, kw) {
				return c.Code
			}
		}
	}
	return ""
}

// dupIDs records an error for every id seen twice in the file.
func (l *loader) dupIDs(col string, ids []string, rows []int) {
	first := map[string]int{}
	for i, id := range ids {
		if id == "" {
			continue
		}
		if r, dup := first[id]; dup {
			l.p.Add(rows[i], col, id, fmt.Sprintf("编号重复（第%d行已有）", r))
			continue
		}
		first[id] = rows[i]
	}
}

// checkIDs refuses ids repeated inside the file, and unless the file holds versions, ids already
// loaded by an active batch of the same kind (other than the batch this file replaces).
func (l *loader) checkIDs(o *out, replaces int64) error {
	if o.idTable == "" || len(o.ids) == 0 {
		return nil
	}
	l.dupIDs(o.idCol, o.ids, o.idRows)
	if o.versions {
		return nil
	}
	if l.cache != nil {
		have, err := l.cache.ids(o.idTable, o.idField)
		if err != nil {
			return fmt.Errorf("核对编号：%w", err)
		}
		for i, id := range o.ids {
			for _, b := range have[id] {
				if b != replaces {
					l.p.Add(o.idRows[i], o.idCol, id, fmt.Sprintf("编号已由批次%d导入", b))
					break
				}
			}
		}
		return nil
	}
	rows, err := l.tx.QueryContext(l.ctx, fmt.Sprintf(`SELECT DISTINCT t.%s, t.batch_id FROM %s t JOIN load_batches b USING (batch_id)
		WHERE b.replaced_by IS NULL AND t.batch_id <> ?`, o.idField, o.idTable), replaces)
	if err != nil {
		return fmt.Errorf("核对编号：%w", err)
	}
	defer rows.Close()
	have := map[string]int64{}
	for rows.Next() {
		var id string
		var b int64
		if err := rows.Scan(&id, &b); err != nil {
			return err
		}
		have[id] = b
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, id := range o.ids {
		if b, ok := have[id]; ok {
			l.p.Add(o.idRows[i], o.idCol, id, fmt.Sprintf("编号已由批次%d导入", b))
		}
	}
	return nil
}

// knownMeters returns the meter ids of the active registry.
func (l *loader) knownMeters() (map[string]bool, error) {
	return l.idSet(`SELECT m.meter_id FROM raw_meters m JOIN load_batches b USING (batch_id) WHERE b.replaced_by IS NULL`)
}

func (l *loader) idSet(q string) (map[string]bool, error) {
	if l.cache != nil {
		return l.cache.idSet(q)
	}
	return queryIDSet(l.ctx, l.tx, q)
}

func queryIDSet(ctx context.Context, tx batch.Querier, q string) (map[string]bool, error) {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	set := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		set[s] = true
	}
	return set, rows.Err()
}

// reAlert is a power alert id: {meter}-{rule}-{first day}.
var reAlert = regexp.MustCompile(`^(.+)-(NOD|SRG|CLM|CUT)-(\d{8})$`)

func (l *loader) findReplaced(b *batch.Batch) (int64, error) {
	if l.cache != nil {
		return l.cache.replaced(b)
	}
	var id int64
	err := l.tx.QueryRowContext(l.ctx, `SELECT batch_id FROM load_batches WHERE kind = 'inspection' AND replaced_by IS NULL
		AND township = ? AND form_date = ? AND coalesce(form_level, '乡镇') = ? AND coalesce(form_village, '') = ?
		ORDER BY batch_id DESC LIMIT 1`, b.Township, *b.FormDate, b.Level, b.Village).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// checkFrozen is batch.CheckFrozen (etl/batch/arrival.go), asked once per day in a manifest.
func (l *loader) checkFrozen(a batch.Arrival) error {
	if l.cache == nil {
		return batch.CheckFrozen(l.ctx, l.tx, l.p, a)
	}
	return l.cache.frozen(l, a)
}

// newBatchID takes the next batch id.
func (l *loader) newBatchID() (int64, error) {
	if l.cache == nil {
		return batch.NewID(l.ctx, l.tx)
	}
	return l.cache.batchID()
}

// insert writes rows into table now, or, in a manifest, with the manifest's other files at its end.
func (l *loader) insert(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if l.cache == nil {
		return batch.InsertRows(l.ctx, l.tx, table, cols, rows)
	}
	l.cache.deferRows(table, cols, rows)
	return nil
}

func ymd(t time.Time) string { return t.Format("20060102") }

// categoryName is a category code's name for messages (a code never reaches a reader).
func (l *loader) categoryName(code any) string {
	s, _ := code.(string)
	if c, ok := l.cfg.Category(s); ok {
		return c.Name
	}
	return s
}
