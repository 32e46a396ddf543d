package province

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"landwatch/queries"
)

// One county of the province roll-up, read as an export that may come from anyone: the manifest
// and every path it names are checked before anything is opened (queries.ExportPath: confined to
// the export folder, regular files only, reads no longer than the manifest says), the whole county
// is checked and read within a time limit, its as-of may not lie after the roll-up day, the row
// counts it states must be the files' own, and the marts are read by the columns the roll-up uses
// (any other column, a "filename" one included, is ignored). Whatever is wrong is the county's
// problem, named in Chinese; the other counties are read all the same.

// ProvinceOptions for ReadProvince.
type ProvinceOptions struct {
	// Day is the roll-up's day: a county whose as-of lies after it is refused (zero: today).
	Day time.Time
	// CountyTimeout limits the checking and reading of one county's export (0: DefaultCountyTimeout).
	CountyTimeout time.Duration
}

// DefaultCountyTimeout is the time limit of one county's export.
const DefaultCountyTimeout = 2 * time.Minute

// The marts the roll-up reads, and the columns it reads of each. A county's figures are its row of
// mart_county_scorecard (the county's figure: queries/marts/mart_county_scorecard.sql); an export
// written before that mart existed has them summed from its townships' rows of
// mart_township_scorecard, as the mart sums them.
const (
	martCounty     = "marts/mart_county_scorecard.parquet"
	martScorecard  = "marts/mart_township_scorecard.parquet"
	martViolations = "marts/mart_violations.parquet"
	martAlerts     = "marts/mart_power_alerts.parquet"
	martFines      = "marts/mart_fines.parquet" // 罚没款: the one definition (queries/README.md "Fines and confiscations")
)

// rolledMarts are the marts the roll-up reads, in the order it checks them.
var rolledMarts = []string{martScorecard, martCounty, martViolations, martAlerts, martFines}

// optionalMarts may be absent from an export written before they existed: the county's figures of
// that mart are then unknown (ProvinceCounty.FinesKnown) and its other figures are read.
var optionalMarts = map[string]bool{martFines: true, martCounty: true}

var martColumns = map[string][]string{
	martScorecard: {"township", "level", "as_of", "violations_due", "missed", "ledger_due", "rectified_on_time",
		"overdue_open", "new_after_rectification"},
	martCounty: {"as_of", "townships", "red", "yellow", "violations_due", "missed", "ledger_due", "rectified_on_time",
		"overdue_open", "new_after_rectification"},
	martViolations: {"recurrence_of"},
	martAlerts:     nil,
	martFines:      {"decided_yuan", "collected_yuan"},
}

// fmtDateZh writes a day in full: 2023年4月30日.
func fmtDateZh(t time.Time) string { return t.Format("2006年1月2日") }

// readCounty checks one county's export — its manifest, as-of, paths, sizes, checksums, and the
// row counts and columns its Parquet footers state — within ctx's deadline (limit, for the
// message). Its figures are read by DuckDB with every other county's after (Province.readParquet).
func readCounty(ctx context.Context, dir string, day time.Time, limit time.Duration) ProvinceCounty {
	c := ProvinceCounty{Dir: dir, County: filepath.Base(filepath.Clean(dir))}
	problem := func(status, why string) ProvinceCounty {
		c.Status, c.Problem = status, why
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			c.Status, c.Problem = CountyRefused, refusedForTime(limit)
		}
		return c
	}
	m, err := queries.ReadExportManifest(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return problem(CountyMissing, "没有 manifest.json（未导出或未传全）")
	case errors.Is(err, queries.ErrNotRegular):
		return problem(CountyCorrupt, "manifest.json 不是普通文件，不予读取")
	case err != nil:
		return problem(CountyCorrupt, "manifest.json 无法读取")
	case m.SchemaVersion != queries.ExportSchemaVersion:
		c.County = m.County
		return problem(CountyCorrupt, fmt.Sprintf("导出格式版本 %d 不受支持", m.SchemaVersion))
	}
	c.County, c.province = m.County, m.Province
	if strings.TrimSpace(c.County) == "" {
		c.County = filepath.Base(filepath.Clean(dir))
	}
	if c.AsOf, err = time.Parse(time.DateOnly, m.AsOf); err != nil {
		return problem(CountyCorrupt, "manifest.json 的截至日期无效")
	}
	if c.AsOf.After(day) {
		return problem(CountyRefused, fmt.Sprintf("截至日期为%s，晚于汇总日%s，不予采用", fmtDateZh(c.AsOf), fmtDateZh(day)))
	}
	if bad := queries.VerifyExport(ctx, dir, m); len(bad) > 0 {
		if len(bad) > 3 {
			bad = append(bad[:3], fmt.Sprintf("等%d处", len(bad)))
		}
		return problem(CountyCorrupt, strings.Join(bad, "；"))
	}
	listed := map[string]bool{}
	for _, f := range m.Files {
		listed[f.Path] = true
	}
	c.FinesKnown = listed[martFines]
	for _, mart := range rolledMarts {
		if !listed[mart] && !optionalMarts[mart] {
			return problem(CountyCorrupt, "缺少 "+mart)
		}
	}
	info, err := queries.ExportParquet(ctx, dir, m)
	if err != nil {
		return problem(CountyCorrupt, err.Error())
	}
	if bad := rowCountProblems(m, info); len(bad) > 0 {
		setProblems(&c, bad)
		return problem(c.Status, c.Problem)
	}
	if bad := columnProblems(info, &c); len(bad) > 0 {
		setProblems(&c, bad)
		return problem(c.Status, c.Problem)
	}
	c.manifest = m
	c.Status = CountyOK // so far: its Parquet files are read with the others' (Province.readParquet)
	return c
}

// fmtLimit writes a time limit in Chinese: 2分钟, 30秒.
func fmtLimit(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d分钟", int(d/time.Minute))
	}
	return fmt.Sprintf("%g秒", d.Seconds())
}

// refusedForTime is the problem of a county not read within its time limit.
func refusedForTime(limit time.Duration) string {
	return fmt.Sprintf("%s内未能核对和读取完毕（文件过大或异常），不予采用", fmtLimit(limit))
}

// parquetFile is what DuckDB reads of a county: a listed mart, its path checked (ExportPath).
type parquetFile struct {
	c    *ProvinceCounty
	rel  string // as listed
	path string // absolute, as DuckDB names it
}

func (f parquetFile) lit() string { return lit(f.path) }

// parquetFiles lists the marts the roll-up reads of the county.
func (c *ProvinceCounty) parquetFiles() ([]parquetFile, error) {
	var out []parquetFile
	for _, f := range c.manifest.Files {
		if !slices.Contains(rolledMarts, f.Path) {
			continue
		}
		p, err := queries.ExportPath(c.Dir, f.Path)
		if err != nil {
			return nil, fmt.Errorf("%s 无法读取", f.Path)
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		out = append(out, parquetFile{c, f.Path, abs})
	}
	return out, nil
}

// readParquet reads the figures of the counties checked so far (readFigures), every county at once
// within one county's time limit; when that fails (a column of the wrong type, a read too slow) it
// reads each county on its own, within its own time limit, and names the one that fails. Only ctx
// ending stops it.
func (p *Province) readParquet(ctx context.Context, db *sql.DB, limit time.Duration) {
	var todo []*ProvinceCounty
	for i := range p.Counties {
		if c := &p.Counties[i]; c.Status == CountyOK {
			todo = append(todo, c)
		}
	}
	if len(todo) == 0 {
		return
	}
	bctx, cancel := context.WithTimeout(ctx, limit)
	err := readFigures(bctx, db, todo)
	cancel()
	if err == nil || ctx.Err() != nil {
		return
	}
	for _, c := range todo {
		cctx, cancel := context.WithTimeout(ctx, limit)
		err := readFigures(cctx, db, []*ProvinceCounty{c})
		switch {
		case ctx.Err() != nil:
			cancel()
			return
		case errors.Is(cctx.Err(), context.DeadlineExceeded):
			c.Status, c.Problem = CountyRefused, refusedForTime(limit)
		case err != nil:
			c.Status, c.Problem = CountyCorrupt, err.Error()
		}
		cancel()
	}
}

// setProblems marks a county corrupt with its problems (the first three).
func setProblems(c *ProvinceCounty, bad []string) {
	if len(bad) == 0 {
		return
	}
	if len(bad) > 3 {
		bad = append(bad[:3], fmt.Sprintf("等%d处", len(bad)))
	}
	c.Status, c.Problem = CountyCorrupt, strings.Join(bad, "；")
}

// parquetOpts are the options of every read of a county's file: no folder (hive) columns added.
const parquetOpts = "hive_partitioning = false"

// rowCountProblems compares the manifest's row counts with the Parquet files' own (rows, by listed
// path, from their footers): every count with its files, every Parquet file with its count. Each
// mismatch names the file.
func rowCountProblems(m *queries.ExportManifest, info map[string]queries.ParquetInfo) []string {
	byKey := map[string][]string{}
	got := map[string]int64{}
	for _, f := range m.Files {
		if k := queries.RowsKey(f.Path); k != "" {
			byKey[k] = append(byKey[k], f.Path)
			got[k] += info[f.Path].Rows
		}
	}
	var bad []string
	for k := range byKey {
		if _, ok := m.Rows[k]; !ok {
			bad = append(bad, fmt.Sprintf("清单没有记 %s 的行数", strings.Join(byKey[k], "、")))
		}
	}
	slices.Sort(bad)
	keys := make([]string, 0, len(m.Rows))
	for k := range m.Rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		want, files := m.Rows[k], byKey[k]
		switch {
		case len(files) == 0 && want != 0:
			bad = append(bad, fmt.Sprintf("行数不符 %s：清单记 %d 行，没有这个文件", k, want))
		case len(files) > 0 && got[k] != want:
			name := files[0]
			if len(files) > 1 {
				name = fmt.Sprintf("%s（%d个文件）", k, len(files))
			}
			bad = append(bad, fmt.Sprintf("行数不符 %s：清单记 %d 行，文件中 %d 行", name, want, got[k]))
		}
	}
	return bad
}

// columnProblems checks that the marts the roll-up reads have the columns it reads (martColumns);
// it keeps every column name met in c.columns, so that the figures' file-name column is none of them.
func columnProblems(info map[string]queries.ParquetInfo, c *ProvinceCounty) []string {
	var bad []string
	for _, mart := range rolledMarts {
		if _, ok := info[mart]; !ok && optionalMarts[mart] {
			continue
		}
		have := map[string]bool{}
		for _, col := range info[mart].Columns {
			have[col] = true
			c.columns = append(c.columns, col)
		}
		var missing []string
		for _, col := range martColumns[mart] {
			if !have[col] {
				missing = append(missing, col)
			}
		}
		if len(missing) > 0 {
			bad = append(bad, fmt.Sprintf("%s 缺少列 %s", mart, strings.Join(missing, "、")))
		}
	}
	return bad
}

// readFigures reads the counties' figures from their marts, by the columns named in martColumns,
// one query per mart for all counties: read_parquet over the counties' files, each row with its
// file's name in a column named unlike any column of the files. A county's scorecard figures come
// from mart_county_scorecard when its export has it, else from its townships' rows.
func readFigures(ctx context.Context, db *sql.DB, cs []*ProvinceCounty) error {
	taken := map[string]bool{}
	for _, c := range cs {
		for _, col := range c.columns {
			taken[strings.ToLower(col)] = true
		}
	}
	fn := "lw_file"
	for i := 1; taken[fn]; i++ {
		fn = fmt.Sprintf("lw_file_%d", i)
	}
	byPath := map[string]*ProvinceCounty{}
	lists := map[string][]string{}
	asOf := map[string][]string{} // by scorecard mart: (file, the county's as-of)
	for _, c := range cs {
		fs, err := c.parquetFiles()
		if err != nil {
			return err
		}
		hasCounty := slices.ContainsFunc(fs, func(f parquetFile) bool { return f.rel == martCounty })
		for _, f := range fs {
			if f.rel == martScorecard && hasCounty { // the county's row is read instead
				continue
			}
			byPath[f.path] = c
			lists[f.rel] = append(lists[f.rel], f.lit())
			if f.rel == martScorecard || f.rel == martCounty {
				asOf[f.rel] = append(asOf[f.rel], fmt.Sprintf("(%s, DATE %s)", f.lit(), lit(c.AsOf.Format(time.DateOnly))))
			}
		}
	}
	from := func(mart string, cols ...string) string {
		return fmt.Sprintf(`(SELECT "%s" AS file, %s FROM read_parquet([%s], filename = '%s', union_by_name = true, %s))`,
			fn, strings.Join(append(cols, "1 AS one"), ", "), strings.Join(lists[mart], ", "), fn, parquetOpts)
	}
	// the rows of a scorecard mart of the last date up to each county's as-of
	lastRows := func(mart string) string {
		return `sc AS (SELECT s.* FROM ` + from(mart, martColumns[mart]...) + ` s
				JOIN (VALUES ` + strings.Join(asOf[mart], ", ") + `) v(file, day) USING (file) WHERE s.as_of <= v.day),
			last AS (SELECT file, max(as_of) AS as_of FROM sc GROUP BY file)`
	}
	scorecard := func(c *ProvinceCounty) []any {
		return []any{&c.Townships, &c.RedTownships, &c.YellowTownships, &c.ViolationsDue, &c.Missed,
			&c.LedgerDue, &c.RectifiedOnTime, &c.OverdueOpen, &c.NewAfterRectification}
	}
	reads := []struct {
		mart, sql string
		dest      func(c *ProvinceCounty) []any
	}{
		// an export with the county's row: that row, the county's figure
		{martCounty, `WITH ` + lastRows(martCounty) + `
			SELECT file, CAST(townships AS BIGINT), CAST(red AS BIGINT), CAST(yellow AS BIGINT),
				CAST(violations_due AS BIGINT), CAST(missed AS BIGINT), CAST(ledger_due AS BIGINT),
				CAST(rectified_on_time AS BIGINT), CAST(overdue_open AS BIGINT), CAST(new_after_rectification AS BIGINT)
			FROM sc JOIN last USING (file, as_of)`, scorecard},
		// an export written before mart_county_scorecard: its townships' rows summed as the mart sums them
		{martScorecard, `WITH ` + lastRows(martScorecard) + `
			SELECT file, count(*), count(*) FILTER (WHERE level = 'red'), count(*) FILTER (WHERE level = 'yellow'),
				coalesce(sum(violations_due), 0), coalesce(sum(missed), 0), coalesce(sum(ledger_due), 0),
				coalesce(sum(rectified_on_time), 0), coalesce(sum(overdue_open), 0), coalesce(sum(new_after_rectification), 0)
			FROM sc JOIN last USING (file, as_of) GROUP BY file`, scorecard},
		{martViolations, `SELECT file, count(*) FILTER (WHERE recurrence_of IS NOT NULL) FROM ` + from(martViolations, "recurrence_of") + ` GROUP BY file`,
			func(c *ProvinceCounty) []any { return []any{&c.Recurrences} }},
		{martAlerts, `SELECT file, count(*) FROM ` + from(martAlerts) + ` GROUP BY file`,
			func(c *ProvinceCounty) []any { return []any{&c.PowerAlerts} }},
		{martFines, `SELECT file, CAST(round(coalesce(sum(decided_yuan), 0)) AS BIGINT), CAST(round(coalesce(sum(collected_yuan), 0)) AS BIGINT)
				FROM ` + from(martFines, martColumns[martFines]...) + ` GROUP BY file`,
			func(c *ProvinceCounty) []any { return []any{&c.FinesDecided, &c.FinesCollected} }},
	}
	for _, r := range reads {
		if len(lists[r.mart]) == 0 { // an optional mart no county's export has
			continue
		}
		rows, err := db.QueryContext(ctx, r.sql)
		if err != nil {
			return fmt.Errorf("%s 无法读取（列的类型不符）", r.mart)
		}
		for rows.Next() {
			var file string
			vals := make([]int64, len(r.dest(&ProvinceCounty{})))
			dest := []any{&file}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return fmt.Errorf("%s 无法读取（列的类型不符）", r.mart)
			}
			c, ok := byPath[file]
			if !ok {
				rows.Close()
				return fmt.Errorf("%s 无法读取", r.mart)
			}
			for i, d := range r.dest(c) {
				*(d.(*int64)) = vals[i]
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("%s 无法读取（列的类型不符）", r.mart)
		}
	}
	return nil
}
