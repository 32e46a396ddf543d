package reports

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

// The marts the roll-up reads, and the columns it reads of each.
const (
	martScorecard  = "marts/mart_township_scorecard.parquet"
	martViolations = "marts/mart_violations.parquet"
	martAlerts     = "marts/mart_power_alerts.parquet"
)

var martColumns = map[string][]string{
	martScorecard: {"township", "level", "as_of", "violations_due", "missed", "ledger_due", "rectified_on_time",
		"overdue_open", "new_after_rectification"},
	martViolations: {"recurrence_of"},
	martAlerts:     nil,
}

// fmtDateZh writes a day in full: 2023年4月30日.
func fmtDateZh(t time.Time) string { return t.Format("2006年1月2日") }

// readCounty checks and reads one county's export within ctx's deadline (limit, for the message).
func readCounty(ctx context.Context, db *sql.DB, dir string, day time.Time, limit time.Duration) ProvinceCounty {
	c := ProvinceCounty{Dir: dir, County: filepath.Base(filepath.Clean(dir))}
	problem := func(status, why string) ProvinceCounty {
		c.Status, c.Problem = status, why
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			c.Status, c.Problem = CountyRefused, fmt.Sprintf("%s内未能核对和读取完毕（文件过大或异常），不予采用", fmtLimit(limit))
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
	for _, mart := range []string{martScorecard, martViolations, martAlerts} {
		if !listed[mart] {
			return problem(CountyCorrupt, "缺少 "+mart)
		}
	}
	if bad, err := checkRowCounts(ctx, db, dir, m); err != nil {
		return problem(CountyCorrupt, err.Error())
	} else if len(bad) > 0 {
		if len(bad) > 3 {
			bad = append(bad[:3], fmt.Sprintf("等%d处", len(bad)))
		}
		return problem(CountyCorrupt, strings.Join(bad, "；"))
	}
	if err := readCountyFigures(ctx, db, dir, &c); err != nil {
		return problem(CountyCorrupt, err.Error())
	}
	c.Status = CountyOK
	return c
}

// fmtLimit writes a time limit in Chinese: 2分钟, 30秒.
func fmtLimit(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%d分钟", int(d/time.Minute))
	}
	return fmt.Sprintf("%g秒", d.Seconds())
}

// martFile is a listed file's path for DuckDB, its path having been checked by VerifyExport.
func martFile(dir, rel string) (string, error) {
	p, err := queries.ExportPath(dir, rel)
	if err != nil {
		return "", fmt.Errorf("%s 无法读取", rel)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return lit(abs), nil
}

// parquetOpts are the options of every read of a county's file: no file name or folder
// (hive) columns added, so a column of the file's own cannot clash with them.
const parquetOpts = "filename = false, hive_partitioning = false"

// checkRowCounts compares the manifest's row counts with the Parquet files' own (their metadata):
// every count with its files, every Parquet file with its count. Each mismatch names the file.
func checkRowCounts(ctx context.Context, db *sql.DB, dir string, m *queries.ExportManifest) ([]string, error) {
	byKey := map[string][]string{}
	for _, f := range m.Files {
		if k := queries.RowsKey(f.Path); k != "" {
			byKey[k] = append(byKey[k], f.Path)
		}
	}
	var bad []string
	keys := make([]string, 0, len(m.Rows))
	for k := range m.Rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for k := range byKey {
		if _, ok := m.Rows[k]; !ok {
			bad = append(bad, fmt.Sprintf("清单没有记 %s 的行数", strings.Join(byKey[k], "、")))
		}
	}
	slices.Sort(bad)
	for _, k := range keys {
		want, files := m.Rows[k], byKey[k]
		if len(files) == 0 {
			if want != 0 {
				bad = append(bad, fmt.Sprintf("行数不符 %s：清单记 %d 行，没有这个文件", k, want))
			}
			continue
		}
		var list []string
		for _, f := range files {
			p, err := martFile(dir, f)
			if err != nil {
				return nil, err
			}
			list = append(list, p)
		}
		var got sql.NullInt64
		if err := db.QueryRowContext(ctx, `SELECT sum(num_rows) FROM parquet_file_metadata([`+strings.Join(list, ", ")+`])`).Scan(&got); err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			return nil, fmt.Errorf("%s 不是有效的 Parquet 文件", strings.Join(files, "、"))
		}
		if got.Int64 != want {
			name := files[0]
			if len(files) > 1 {
				name = fmt.Sprintf("%s（%d个文件）", k, len(files))
			}
			bad = append(bad, fmt.Sprintf("行数不符 %s：清单记 %d 行，文件中 %d 行", name, want, got.Int64))
		}
	}
	return bad, nil
}

// readCountyFigures reads the county's figures from its marts, by the columns named in martColumns.
func readCountyFigures(ctx context.Context, db *sql.DB, dir string, c *ProvinceCounty) error {
	files := map[string]string{}
	for mart, cols := range martColumns {
		f, err := martFile(dir, mart)
		if err != nil {
			return err
		}
		files[mart] = f
		if len(cols) == 0 {
			continue
		}
		rows, err := db.QueryContext(ctx, `SELECT name FROM parquet_schema(`+f+`)`)
		if err != nil {
			return fmt.Errorf("%s 不是有效的 Parquet 文件", mart)
		}
		have := map[string]bool{}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return err
			}
			have[n] = true
		}
		rows.Close()
		var missing []string
		for _, col := range cols {
			if !have[col] {
				missing = append(missing, col)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s 缺少列 %s", mart, strings.Join(missing, "、"))
		}
	}
	read := func(mart, q string, dest ...any) error {
		if err := db.QueryRowContext(ctx, q).Scan(dest...); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%s 无法读取（列的类型不符）", mart)
		}
		return nil
	}
	cols := strings.Join(martColumns[martScorecard], ", ")
	err := read(martScorecard, `WITH sc AS (SELECT `+cols+` FROM read_parquet(`+files[martScorecard]+`, `+parquetOpts+`)
			WHERE as_of <= DATE `+lit(c.AsOf.Format(time.DateOnly))+`),
		last AS (SELECT max(as_of) AS as_of FROM sc)
		SELECT count(*), count(*) FILTER (WHERE level = 'red'), count(*) FILTER (WHERE level = 'yellow'),
			coalesce(sum(violations_due), 0), coalesce(sum(missed), 0), coalesce(sum(ledger_due), 0),
			coalesce(sum(rectified_on_time), 0), coalesce(sum(overdue_open), 0), coalesce(sum(new_after_rectification), 0)
		FROM sc JOIN last USING (as_of)`,
		&c.Townships, &c.RedTownships, &c.YellowTownships, &c.ViolationsDue, &c.Missed,
		&c.LedgerDue, &c.RectifiedOnTime, &c.OverdueOpen, &c.NewAfterRectification)
	if err != nil {
		return err
	}
	if err := read(martViolations, `SELECT count(*) FILTER (WHERE recurrence_of IS NOT NULL) FROM read_parquet(`+files[martViolations]+`, `+parquetOpts+`)`,
		&c.Recurrences); err != nil {
		return err
	}
	return read(martAlerts, `SELECT count(*) FROM read_parquet(`+files[martAlerts]+`, `+parquetOpts+`)`, &c.PowerAlerts)
}
