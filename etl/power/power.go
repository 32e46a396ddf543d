// Package power loads electricity readings (用电数据) and power alerts computed outside the
// warehouse: a readings csv through the parallel Go parser (powerfast.go) or DuckDB's reader, a
// Parquet file through read_parquet, each checked in SQL or by what the parser learnt of it
// (powerspan.go, powercheck.go) — unknown meters, bad values, times outside the campaign,
// implausible kWh, overlaps with loaded readings, readings after the arrival stamp — and written
// in one transaction as one batch.
package power

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/text/encoding/simplifiedchinese"

	"landwatch/campaign"
	"landwatch/etl/batch"
	"landwatch/etl/read"
	"landwatch/internal/rss"
	"landwatch/warehouse"
)

// Power readings are loaded straight into raw_power_readings, inside the file's transaction: a csv
// by the parallel Go parser of powerfast.go through a DuckDB table function, or — for a file that
// parser leaves to DuckDB (bad values, unusual formats) — by read_csv with the contract's column
// types (bad values go to a rejects table with their line numbers); Parquet by read_parquet.
// Validation then runs in SQL over the loaded rows (unknown meters, negative kWh, times outside
// the campaign year); any error rolls everything back.
//
// source_row is the csv line (header = 1) counted over non-blank lines — a blank line (empty, or
// only a CR) is skipped and not counted, by both readers — or the Parquet row + 1.

// KindReadings and KindAlerts are the input kinds this package loads (etl.KindPower,
// etl.KindPowerAlerts).
const (
	KindReadings read.Kind = "power"
	KindAlerts   read.Kind = "power-alerts"
)

// Columns is the readings file's contract (README "Input formats"); the key doubles as the English
// alias.
var Columns = []read.Field{
	{Key: "meter_id", Zh: "户号", Required: true},
	{Key: "ts", Zh: "时间", Alt: []string{"采集时间", "时段"}, Required: true},
	{Key: "kwh", Zh: "电量", Alt: []string{"用电量"}, Required: true},
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// powerColumns maps the readings file's header to the contract: the SQL column names in file order
// and which of them are meter, time and kWh.
type powerColumns struct {
	names                []string
	meter, ts, kwh       string
	delim                string
	encoding             string
	headerLine           string
	avgLineLen           float64
	meterZh, tsZh, kwhZh string
}

func sniffPowerCSV(path string) (*powerColumns, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	buf = buf[:n]
	pc := &powerColumns{encoding: "UTF-8"}
	if b, ok := strings.CutPrefix(string(buf), "\uFEFF"); ok {
		buf = []byte(b)
		pc.encoding = "UTF-8 BOM"
	}
	line, rest, _ := strings.Cut(string(buf), "\n")
	line = strings.TrimRight(line, "\r")
	if !utf8.ValidString(line) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().String(line)
		if err != nil {
			return nil, errors.New("表头既不是UTF-8也不是GB18030编码")
		}
		line, pc.encoding = dec, "GB18030"
	}
	pc.headerLine = line
	// The data lines must be readable as UTF-8 (meter ids, times and numbers are ASCII anyway).
	if pc.encoding == "GB18030" && !utf8.ValidString(truncateToRune(rest)) {
		return nil, errors.New("GB18030编码的用电数据只能在表头含中文，数据行只能有数字、字母和标点")
	}
	if lines := strings.Count(rest, "\n"); lines > 0 {
		pc.avgLineLen = float64(len(rest)) / float64(lines)
	}
	pc.delim = ","
	if strings.Count(line, "\t") > strings.Count(line, ",") {
		pc.delim = "\t"
	}
	m := read.NewMatcher(Columns)
	seen := map[string]bool{}
	for i, h := range strings.Split(line, pc.delim) {
		h = strings.Trim(strings.TrimSpace(h), `"`)
		name := fmt.Sprintf("c%d", i)
		pc.names = append(pc.names, name)
		fd := m.Match(h)
		if fd == nil || seen[fd.Key] {
			continue
		}
		seen[fd.Key] = true
		switch fd.Key {
		case "meter_id":
			pc.meter, pc.meterZh = name, h
		case "ts":
			pc.ts, pc.tsZh = name, h
		case "kwh":
			pc.kwh, pc.kwhZh = name, h
		}
	}
	return pc, nil
}

// truncateToRune drops a partial UTF-8 sequence at the end of a sample.
func truncateToRune(s string) string {
	for i := 0; i < utf8.UTFMax && len(s) > 0; i++ {
		if r, size := utf8.DecodeLastRuneInString(s); r != utf8.RuneError || size > 1 {
			return s
		}
		s = s[:len(s)-1]
	}
	return s
}

// fileSHA hashes a file, counting the bytes it read in *done (so progress can discount them).
func fileSHA(path string, done *atomic.Int64) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	buf := make([]byte, 1<<20)
	for {
		n, err := f.Read(buf)
		h.Write(buf[:n])
		done.Add(int64(n))
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// LoadReadings loads one readings file (csv or Parquet) at path; name is the file name users
// know it by (an upload is read from a temporary copy).
func LoadReadings(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, path, name string, opt batch.Options) (*batch.Result, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("导入 %s：%w", name, err)
	}
	// on a running server's warehouse, DuckDB reads only files put in its staging folder (warehouse/seal.go)
	path, unstage, err := db.Stage(path)
	if err != nil {
		return nil, fmt.Errorf("导入 %s：%w", name, err)
	}
	defer unstage()
	p := &read.Problems{File: name}
	res := &batch.Result{Kind: KindReadings, File: name}
	arr, err := batch.ResolveArrival(opt, cfg.Location())
	if err != nil {
		p.Add(0, "", "", err.Error())
		return nil, p.Err(KindReadings)
	}
	sha := startSHA(path, name)
	if st.Size() < 64<<20 { // a small file is checked for a repeat before it is read
		if done, err := alreadyLoaded(ctx, db, sha, res); done || err != nil {
			return res, err
		}
	}
	l := &powerLoad{ctx: ctx, db: db, cfg: cfg, path: path, name: name, p: p,
		parquet: strings.EqualFold(filepath.Ext(name), ".parquet")}
	if err := l.prepare(res); err != nil {
		return nil, err
	}
	unlock, err := lockMeterKeys(ctx, db) // one readings load at a time hands out meter keys (powerkeys.go)
	if err != nil {
		return nil, fmt.Errorf("导入 %s：%w", name, err)
	}
	defer unlock()
	restore, err := setMemoryLimit(ctx, db, opt.MemoryLimit)
	if err != nil {
		return nil, err
	}
	defer restore()

	prog := newProgress(opt.Progress, name, st.Size(), l.pc)
	prog.other = &sha.read
	defer prog.stop()
	if !l.parquet && fastPowerCSV {
		// Before the transaction begins: its snapshot of the catalog must hold the function.
		if err := registerPowerUDF(ctx, db); err != nil {
			return nil, err
		}
	}
	if err := l.begin(); err != nil {
		return nil, err
	}
	defer func() { l.tx.Rollback() }()
	prog.start()
	t0, c0 := time.Now(), rss.CPU()
	n, fast, err := l.read(prog, opt)
	tRead, cRead := time.Since(t0), rss.CPU()-c0
	prog.stop()
	if err != nil {
		return nil, err
	}
	batch.Pause(batch.PauseReadingsLoaded)
	t0 = time.Now()
	if err := l.check(arr); err != nil {
		return nil, err
	}
	tCheck := time.Since(t0)
	if err := sha.wait(); err != nil {
		return nil, err
	}
	if done, err := alreadyLoaded(ctx, l.tx, sha, res); done || err != nil {
		return res, err // rolled back
	}
	if err := checkReadingsOverlap(ctx, db, l.tx, l.batchID, l.summary, p); err != nil {
		return nil, err
	}
	if err := p.Err(KindReadings); err != nil {
		return nil, err
	}
	b := &batch.Batch{ID: l.batchID, Kind: KindReadings, File: name, SHA: sha.sum, Rows: n, LoadedBy: opt.LoadedBy, Arrival: arr}
	if err := batch.Insert(ctx, l.tx, b, p.Warns); err != nil {
		return nil, err
	}
	// the batch's meter-days, kept for the power rules (warehouse/meterdays.go): the models then
	// aggregate nothing of it
	t0, c0 = time.Now(), rss.CPU()
	if err := l.addMeterDays(n); err != nil {
		return nil, fmt.Errorf("导入 %s：%w", name, err)
	}
	tMeterDays, cMeterDays := time.Since(t0), rss.CPU()-c0
	res.BatchID, res.Rows, res.Warnings, res.ReceivedAt, res.ReceivedBy = l.batchID, n, p.Warns, arr.At, arr.GivenBy
	res.MeterDaysCPU = cMeterDays
	batch.Pause(batch.PauseCommit)
	t0, c0 = time.Now(), rss.CPU()
	if err := l.tx.Commit(); err != nil {
		if errors.Is(err, sql.ErrTxDone) && ctx.Err() != nil { // rolled back for the cancellation
			return nil, fmt.Errorf("导入 %s：%w", name, ctx.Err())
		}
		return nil, fmt.Errorf("导入 %s：提交：%w", name, err)
	}
	opt.Logger().Debug("power readings loaded", "file", name, "rows", n, "go parser", fast, "read", tRead, "read cpu", cRead,
		"check", tCheck, "meter-days", tMeterDays, "meter-days cpu", cMeterDays, "commit", time.Since(t0), "commit cpu", rss.CPU()-c0)
	prog.done(n)
	return res, nil
}

// addMeterDays keeps the batch's n readings' meter-days: those the Go parser added up while it read
// the file when it could (powermeterdays.go), else the SQL's (warehouse.AddMeterDays).
func (l *powerLoad) addMeterDays(n int64) error {
	if l.days != nil && l.summary != nil && l.summary.flagged == 0 {
		if total, ok := l.days.check(); ok && total == n {
			return insertParsedMeterDays(l.ctx, l, l.days, n)
		}
	}
	return warehouse.AddMeterDays(l.ctx, l.tx, l.batchID)
}

// shaFuture is the sha256 of a file, computed in the background while DuckDB reads it.
type shaFuture struct {
	name string
	read atomic.Int64 // bytes hashed so far, for the progress bar
	c    chan [2]string
	sum  string
}

func startSHA(path, name string) *shaFuture {
	f := &shaFuture{name: name, c: make(chan [2]string, 1)}
	go func() {
		s, err := fileSHA(path, &f.read)
		e := ""
		if err != nil {
			e = err.Error()
		}
		f.c <- [2]string{s, e}
	}()
	return f
}

func (f *shaFuture) wait() error {
	if f.sum != "" {
		return nil
	}
	r := <-f.c
	if r[1] != "" {
		return fmt.Errorf("导入 %s：%s", f.name, r[1])
	}
	f.sum = r[0]
	return nil
}

// alreadyLoaded says whether the same bytes were loaded before, filling res when so.
func alreadyLoaded(ctx context.Context, q batch.Querier, sha *shaFuture, res *batch.Result) (bool, error) {
	if err := sha.wait(); err != nil {
		return false, err
	}
	id, rows, _, err := batch.FindLoaded(ctx, q, KindReadings, sha.sum)
	if err != nil {
		return false, fmt.Errorf("导入 %s：%w", res.File, err)
	}
	if id == 0 {
		return false, nil
	}
	res.BatchID, res.Rows, res.AlreadyLoaded = id, rows, true
	return true, nil
}

// setMemoryLimit caps DuckDB's memory (a global setting) for the length of a load; restore puts
// the earlier cap back.
func setMemoryLimit(ctx context.Context, db *warehouse.DB, limit string) (restore func(), err error) {
	if limit == "" {
		limit = "1GB"
	}
	var old string
	if err := db.QueryRowContext(ctx, `SELECT current_setting('memory_limit')`).Scan(&old); err != nil {
		return func() {}, nil
	}
	if _, err := db.ExecContext(ctx, "SET memory_limit = "+sqlString(limit)); err != nil {
		return nil, fmt.Errorf("set memory_limit: %w", err)
	}
	return func() { db.ExecContext(context.WithoutCancel(ctx), "SET memory_limit = "+sqlString(old)) }, nil
}

// powerLoad is one readings file on its way into raw_power_readings.
type powerLoad struct {
	ctx     context.Context
	db      *warehouse.DB
	cfg     *campaign.Config
	path    string
	name    string
	p       *read.Problems
	parquet bool
	source  string        // Parquet: the SELECT producing (source_row, meter_id, ts, kwh)
	pc      *powerColumns // csv: its columns
	tx      *sql.Tx
	batchID int64
	summary *readingsSummary // what the Go parser learnt of the file (powerspan.go); nil from read_csv or Parquet
	days    *meterDayJob     // the batch's meter-days as the Go parser added them up (powermeterdays.go); nil: SQL adds them
}

// prepare reads the file's columns (csv) or builds its source (Parquet), refusing a file without
// the required columns.
func (l *powerLoad) prepare(res *batch.Result) error {
	var err error
	if l.parquet {
		l.source, err = parquetSource(l.ctx, l.db, l.path, l.p)
		if err != nil {
			return err
		}
		res.Encoding = "parquet"
		return l.p.Err(KindReadings)
	}
	l.pc, err = sniffPowerCSV(l.path)
	if err != nil {
		l.p.Add(0, "", "", err.Error())
		return l.p.Err(KindReadings)
	}
	res.Encoding = l.pc.encoding
	for _, c := range [][2]string{{l.pc.meter, "户号"}, {l.pc.ts, "时间"}, {l.pc.kwh, "电量"}} {
		if c[0] == "" {
			l.p.Add(1, c[1], "", "缺少必需的列")
		}
	}
	return l.p.Err(KindReadings)
}

// begin starts (or starts again) the load's transaction and takes its batch id.
func (l *powerLoad) begin() error {
	var err error
	if l.tx, err = l.db.BeginTx(l.ctx, nil); err != nil {
		return err
	}
	l.batchID, err = batch.NewID(l.ctx, l.tx)
	return err
}

func (l *powerLoad) rejects() string { return fmt.Sprintf("lw_rejects_%d", l.batchID) }

// csvSource reads the csv with DuckDB's reader. The csv is read strictly first: a bad value aborts
// the read. Only then is it read again with a rejects table, to name every bad line (a second pass
// for bad files keeps good ones fast).
func (l *powerLoad) csvSource(keepRejects bool) string {
	pc := l.pc
	var cols []string
	for _, n := range pc.names {
		typ := "VARCHAR"
		switch n {
		case pc.ts:
			typ = "TIMESTAMP"
		case pc.kwh:
			typ = "DOUBLE"
		}
		cols = append(cols, fmt.Sprintf("%s: '%s'", sqlString(n), typ))
	}
	opts := ""
	if keepRejects {
		opts = fmt.Sprintf(", store_rejects = true, rejects_table = %s, rejects_scan = %s, rejects_limit = %d",
			sqlString(l.rejects()), sqlString(l.rejects()+"_scan"), read.MaxErrors)
	}
	return fmt.Sprintf(`SELECT %s AS meter_id, %s AS ts, %s AS kwh
		FROM read_csv(%s, header = true, auto_detect = false, delim = %s, quote = '"', escape = '"', columns = {%s}%s)`,
		pc.meter, pc.ts, pc.kwh, sqlString(l.path), sqlString(pc.delim), strings.Join(cols, ", "), opts)
}

func numbered(scan string) string {
	return "SELECT row_number() OVER () + 1 AS source_row, * FROM (" + scan + ")"
}

// readingsSQL is the rows of source with their checks. Every bad reading is marked by a sentinel
// time that checkReadings finds with one range filter on ts (which DuckDB's zone maps answer almost
// for free): an empty time is 0001-01-01, a meter not in the registry 0002-01-01 (its 户号 keyed
// like any other, to be named), a negative kWh 0003-01-01 (its value kept), an empty kWh
// 0004-01-01, a time that is not the start of a reading interval (power.interval_minutes)
// 0005-01-01 with the time itself, in microseconds since 1970, kept in kwh (unless the
// configuration truncates such a time to its interval's start). The registry check is a mark join
// (the registry is its build side) in the same pass.
// The csv's line numbers come from row_number() OVER (), a streaming window that DuckDB runs on
// one thread, so this pass is serial. (Ending it early with a materialized CTE helped small files
// but doubled the CPU time at 100 M rows.)
func readingsSQL(cfg *campaign.Config, source string) string {
	iv := cfg.Power.Interval().Microseconds()
	good := "s.ts"
	offInterval := fmt.Sprintf("WHEN epoch_us(s.ts) %% %d <> 0 THEN TIMESTAMP '0005-01-01'", iv)
	if cfg.Power.TruncateToInterval {
		good = fmt.Sprintf("make_timestamp(epoch_us(s.ts) - ((epoch_us(s.ts) %% %d) + %d) %% %d)", iv, iv, iv)
		offInterval = ""
	}
	return fmt.Sprintf(`SELECT source_row, meter_id, t AS ts, CASE WHEN t = TIMESTAMP '0005-01-01' THEN epoch_us(ts)::DOUBLE ELSE kwh END AS kwh
	FROM (SELECT s.source_row, coalesce(s.meter_id, '') AS meter_id,
		CASE WHEN s.ts IS NULL THEN TIMESTAMP '0001-01-01'
			WHEN s.meter_id IS NULL OR s.meter_id NOT IN (SELECT m.meter_id FROM raw_meters m JOIN load_batches b USING (batch_id)
				WHERE b.replaced_by IS NULL) THEN TIMESTAMP '0002-01-01'
			WHEN s.kwh < 0 THEN TIMESTAMP '0003-01-01' WHEN s.kwh IS NULL OR isnan(s.kwh) THEN TIMESTAMP '0004-01-01'
			%s ELSE %s END AS t, s.ts,
		coalesce(s.kwh, 'NaN'::DOUBLE) AS kwh
	FROM (%s) s)`, offInterval, good, source)
}

// insertBySQL inserts the readings of source (source_row, meter_id, ts, kwh) as batch batchID:
// the rows with the sentinels of readingsSQL are kept in a temporary table, which
// warehouse.InsertReadings keys and writes. The source is read once.
func insertBySQL(ctx context.Context, tx *sql.Tx, cfg *campaign.Config, batchID int64, source string) (sql.Result, error) {
	tmp := fmt.Sprintf("lw_readings_%d", batchID)
	if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE "+tmp+" AS "+readingsSQL(cfg, source)); err != nil {
		return nil, err
	}
	r, err := warehouse.InsertReadings(ctx, tx, fmt.Sprintf(`SELECT CAST(%d AS BIGINT) AS batch_id, source_row, meter_id, ts, kwh FROM %s`, batchID, tmp))
	if err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE "+tmp); err != nil {
		return nil, err
	}
	return r, nil
}

// read inserts the readings: through the Go parser when it can read the file exactly as read_csv
// would, else through DuckDB's reader; a file that fails is read again to name its bad lines.
func (l *powerLoad) read(prog *progress, opt batch.Options) (n int64, fast bool, err error) {
	ctx, p := l.ctx, l.p
	var r sql.Result
	if !l.parquet && fastPowerCSV && len(l.pc.delim) == 1 && len(l.pc.names) <= maxFastFields {
		if r, fast, err = l.readFast(prog, opt); err != nil && !fast {
			return 0, false, err
		}
	}
	if !fast {
		source := l.source
		if !l.parquet {
			source = numbered(l.csvSource(false))
		}
		r, err = insertBySQL(ctx, l.tx, l.cfg, l.batchID, source)
	}
	if err != nil {
		if ctx.Err() != nil {
			return 0, false, ctx.Err()
		}
		if !l.parquet && !fast {
			// Read again, keeping the bad lines, in a transaction that is always rolled back.
			l.tx.Rollback()
			if derr := diagnose(ctx, l.db, l.cfg, numbered(l.csvSource(true)), l.rejects(), l.batchID, l.pc, p); derr != nil {
				return 0, false, derr
			}
		}
		if len(p.Errs) == 0 {
			p.Add(0, "", "", "读取失败"+why(err))
		}
		return 0, false, p.Err(KindReadings)
	}
	n, _ = r.RowsAffected()
	if fast {
		fastLoads.Add(1)
	}
	return n, fast, nil
}

// readFast inserts through the Go parser. fast reports whether its insert stands (then err is the
// insert's); when the parser cannot read the file exactly as read_csv would, the transaction is
// started again and fast is false, for read_csv to take over.
func (l *powerLoad) readFast(prog *progress, opt batch.Options) (r sql.Result, fast bool, err error) {
	ctx, db, pc := l.ctx, l.db, l.pc
	// The Go parser first; a file it cannot read exactly as read_csv would goes to read_csv.
	// A blank line met while counting every line end makes it count again, exactly.
	// Every row carries its source_row, so the insert need not keep the scan's order; kept, it
	// would run on one thread (a Go table function has no batch index to order by). The
	// read_csv path needs the order (row_number() OVER ()), so it is restored after.
	var keepOrder bool
	if err := db.QueryRowContext(ctx, `SELECT current_setting('preserve_insertion_order')`).Scan(&keepOrder); err == nil && keepOrder {
		if _, err := db.ExecContext(ctx, "SET preserve_insertion_order = false"); err != nil {
			return nil, false, fmt.Errorf("set preserve_insertion_order: %w", err)
		}
	}
	restoreOrder := func() {
		if keepOrder {
			keepOrder = false
			db.ExecContext(context.WithoutCancel(ctx), "SET preserve_insertion_order = true")
		}
	}
	defer restoreOrder()
	for _, exact := range []bool{false, true} {
		var job *csvJob
		var keys *meterKeys
		if keys, err = loadMeterKeys(ctx, l.tx); err == nil {
			job, err = newCSVJob(ctx, l.path, pc, keys, exact)
		}
		if err == nil {
			job.interval, job.truncate = l.cfg.Power.Interval().Microseconds(), l.cfg.Power.TruncateToInterval
			job.ceiling, job.dataSpans = l.cfg.Power.KWhCeiling(), dataSpansUS(l.cfg)
			if parseMeterDays {
				var end, start int
				var ok bool
				if end, start, ok, err = warehouse.MeterDayNightHours(ctx, l.tx); ok {
					job.meterDays = &meterDayJob{end: end, start: start, keys: keys, blocks: make([]blockDays, len(job.blocks))}
				}
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, false, ctx.Err()
			}
			return nil, false, fmt.Errorf("导入 %s：%w", l.name, err)
		}
		id := csvJobSeq.Add(1)
		csvJobs.Store(id, job)
		prog.rows.Store(&job.rows)
		// The parser marks bad readings itself, with the sentinels of readingsSQL.
		r, err = l.tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO raw_power_readings (batch_id, source_row, meter_key, ts, kwh)
			SELECT %d, source_row, meter_key, make_timestamp(ts_us), kwh FROM lw_power_csv(%d)`, l.batchID, id))
		csvJobs.Delete(id)
		job.close()
		fast = true
		why := job.fallback.Load()
		if why == nil && err == nil {
			err = keys.insertUsed(ctx, l.tx) // the keys of 户号 new to the warehouse, in the batch's transaction
		}
		if why == nil || ctx.Err() != nil {
			if why == nil && err == nil && job.summary.complete(len(job.blocks)) {
				l.summary, l.days = job.summary, job.meterDays
			}
			break
		}
		opt.Logger().Debug("readings csv read again", "file", l.name, "why", *why, "exact", exact)
		err = nil // the parser's refusal: read_csv takes over
		l.tx.Rollback()
		if err := l.begin(); err != nil {
			return nil, false, err
		}
		fast = false
		prog.rows.Store(nil)
		if !job.recount.Load() {
			break
		}
	}
	restoreOrder()
	return r, fast, err
}

// check runs every check of the inserted readings: sentinels of bad values, plausibility, the
// arrival stamp and frozen days.
func (l *powerLoad) check(arr batch.Arrival) error {
	// The Go parser counted the readings checkReadings reports (powerspan.go): none, nothing to scan.
	if l.summary == nil || l.summary.flagged > 0 {
		if err := checkReadings(l.ctx, l.tx, l.cfg, l.batchID, nil, l.p); err != nil {
			return err
		}
	}
	if err := checkReadingsPlausible(l.ctx, l.tx, l.cfg, l.batchID, nil, l.summary, l.p); err != nil {
		return err
	}
	if l.summary == nil || !l.summary.before(arr.At) {
		if err := checkReadingsArrival(l.ctx, l.tx, l.p, l.batchID, arr); err != nil {
			return err
		}
	}
	if err := batch.CheckFrozen(l.ctx, l.tx, l.p, arr); err != nil {
		return err
	}
	return l.p.Err(KindReadings)
}

// diagnose re-reads a csv that failed the strict read, with a rejects table, and records every bad
// line and every failed check; its transaction is rolled back.
func diagnose(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, source, rejects string, batchID int64, pc *powerColumns, p *read.Problems) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := insertBySQL(ctx, tx, cfg, batchID, source); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.Add(0, "", "", "读取失败"+why(err))
		return nil
	}
	rejected, err := collectRejects(ctx, tx, rejects, pc, p)
	if err != nil {
		return err
	}
	if err := checkReadings(ctx, tx, cfg, batchID, rejected, p); err != nil {
		return err
	}
	return checkReadingsPlausible(ctx, tx, cfg, batchID, rejected, nil, p)
}

// parquetSource maps a Parquet file's columns to the contract by name.
func parquetSource(ctx context.Context, db *warehouse.DB, path string, p *read.Problems) (string, error) {
	rows, err := db.QueryContext(ctx, fmt.Sprintf(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(%s))`, sqlString(path)))
	if err != nil {
		p.Add(0, "", "", "不是有效的 Parquet 文件"+why(err))
		return "", p.Err(KindReadings)
	}
	defer rows.Close()
	m := read.NewMatcher(Columns)
	got := map[string]string{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return "", err
		}
		if fd := m.Match(c); fd != nil && got[fd.Key] == "" {
			got[fd.Key] = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
		}
	}
	for _, c := range [][2]string{{"meter_id", "户号"}, {"ts", "时间"}, {"kwh", "电量"}} {
		if got[c[0]] == "" {
			p.Add(0, c[1], "", "缺少必需的列")
		}
	}
	if len(p.Errs) > 0 {
		return "", p.Err(KindReadings)
	}
	return fmt.Sprintf(`SELECT file_row_number + 1 AS source_row, CAST(%s AS VARCHAR) AS meter_id, TRY_CAST(%s AS TIMESTAMP) AS ts,
		TRY_CAST(%s AS DOUBLE) AS kwh FROM read_parquet(%s, file_row_number = true)`, got["meter_id"], got["ts"], got["kwh"], sqlString(path)), nil
}

// collectRejects turns the csv reader's rejected lines into cell errors.
// It returns the rejected line numbers in order: the rows after them were numbered without them.
func collectRejects(ctx context.Context, tx *sql.Tx, table string, pc *powerColumns, p *read.Problems) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT line, coalesce(column_idx, 0), coalesce(csv_line, ''), error_type, error_message
		FROM %s ORDER BY line LIMIT %d`, table, read.MaxErrors+1))
	if err != nil {
		return nil, fmt.Errorf("读取被拒绝的行：%w", err)
	}
	defer rows.Close()
	var lines []int64
	for rows.Next() {
		var line int64
		var idx int
		var text, typ, msg string
		if err := rows.Scan(&line, &idx, &text, &typ, &msg); err != nil {
			return nil, err
		}
		if len(lines) == 0 || lines[len(lines)-1] != line {
			lines = append(lines, line)
		}
		col, val := "", ""
		fields := strings.Split(text, pc.delim)
		if idx >= 1 && idx <= len(pc.names) {
			switch pc.names[idx-1] {
			case pc.meter:
				col = "户号"
			case pc.ts:
				col = "时间"
			case pc.kwh:
				col = "电量"
			default:
				col = read.ColName(idx - 1)
			}
			if idx <= len(fields) {
				val = strings.Trim(fields[idx-1], `"`)
			}
		}
		switch {
		case typ == "CAST" && col == "时间":
			p.Add(int(line), col, val, "不是有效时间（应如 2023-03-05 14:00:00）")
		case typ == "CAST" && col == "电量":
			p.Add(int(line), col, val, "不是有效数字")
		case typ == "CAST":
			p.Add(int(line), col, val, "格式错误")
		case typ == "TOO MANY COLUMNS" || typ == "MISSING COLUMNS":
			p.Add(int(line), "", read.Clip(text), fmt.Sprintf("列数不对（应为%d列）", len(pc.names)))
		default:
			p.Add(int(line), col, read.Clip(text), "无法读取")
		}
	}
	return lines, rows.Err()
}

// actualLine turns a row number counted without the rejected lines into the file's line.
func actualLine(row int64, rejected []int64) int64 {
	for _, l := range rejected {
		if l <= row {
			row++
		}
	}
	return row
}

// checkReadings validates the loaded rows in SQL: one range filter on ts finds the sentinels the
// insert wrote and the times outside the campaign's data spans (campaign.Config.DataSpans: the
// campaign year through the look-back, and the 常态化 periods); then the lines of whatever failed.
func checkReadings(ctx context.Context, tx *sql.Tx, cfg *campaign.Config, batchID int64, rejected []int64, p *read.Problems) error {
	sqlChecks.readings.Add(1)
	var inside []string
	var spanArgs []any
	for _, s := range cfg.DataSpans() {
		inside = append(inside, "(ts >= ? AND ts < ?)")
		spanArgs = append(spanArgs, s.From, s.To.AddDate(0, 0, 1))
	}
	outside := "NOT (" + strings.Join(inside, " OR ") + ")"
	unknownTS := time.Date(2, 1, 1, 0, 0, 0, 0, time.UTC)
	var bad, unknown int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE ts = ?)
		FROM raw_power_readings WHERE batch_id = ? AND `+outside, append([]any{unknownTS, batchID}, spanArgs...)...).Scan(&bad, &unknown); err != nil {
		return fmt.Errorf("核对用电数据：%w", err)
	}
	if unknown > 0 {
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT k.meter_id, u.first, u.n
			FROM (SELECT meter_key, min(source_row) AS first, count(*) AS n FROM raw_power_readings
				WHERE batch_id = ? AND ts = ? GROUP BY meter_key) u JOIN power_meter_keys k ON k.meter_key = u.meter_key
			ORDER BY u.first LIMIT %d`, read.MaxErrors+1), batchID, unknownTS)
		if err != nil {
			return fmt.Errorf("核对用电数据：%w", err)
		}
		for rows.Next() {
			var id string
			var first, n int64
			if err := rows.Scan(&id, &first, &n); err != nil {
				rows.Close()
				return err
			}
			first = actualLine(first, rejected)
			if id == "" {
				p.Add(int(first), "户号", "", fmt.Sprintf("不能为空（共%d行）", n))
			} else {
				p.Add(int(first), "户号", id, fmt.Sprintf("不在用电户档案中（共%d行）", n))
			}
		}
		rows.Close()
	}
	if bad == unknown {
		return nil
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT source_row, ts, kwh FROM raw_power_readings
		WHERE batch_id = ? AND %s AND ts <> ? ORDER BY source_row LIMIT %d`, outside, read.MaxErrors+1),
		append(append([]any{batchID}, spanArgs...), unknownTS)...)
	if err != nil {
		return fmt.Errorf("核对用电数据：%w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var line int64
		var ts time.Time
		var kwh float64
		if err := rows.Scan(&line, &ts, &kwh); err != nil {
			return err
		}
		line = actualLine(line, rejected)
		switch ts.Year() {
		case 1:
			p.Add(int(line), "时间", "", "不能为空")
		case 3:
			p.Add(int(line), "电量", strconv.FormatFloat(kwh, 'f', -1, 64), "不能为负数")
		case 4:
			p.Add(int(line), "电量", "", "不能为空")
		case 5:
			// kwh holds the time itself (see readingsSQL)
			at := time.UnixMicro(int64(kwh)).UTC()
			iv := cfg.Power.Interval()
			start := at.Add(-time.Duration(at.UnixMicro()%iv.Microseconds()) * time.Microsecond)
			p.Add(int(line), "时间", at.Format("2006-01-02 15:04:05.999999"),
				fmt.Sprintf("不是读数时段的起点（读数间隔为%s，见 power.interval_minutes；此读数所在时段的起点为 %s）",
					cfg.Power.IntervalText(), start.Format("2006-01-02 15:04:05")))
		default:
			p.Add(int(line), "时间", ts.Format("2006-01-02 15:04:05"), "不在专项行动的阶段或常态化周期内（"+cfg.DataSpansText()+"）")
		}
	}
	return rows.Err()
}

// progress reports a running load: a bar on a terminal, a line every few seconds otherwise. With
// the Go parser it counts the rows parsed; when DuckDB reads the file itself, progress is the bytes
// this process has read (/proc/self/io) turned into rows by the average line length.
type progress struct {
	w       io.Writer
	name    string
	size    int64
	lineLen float64
	bar     *progressbar.ProgressBar
	quit    chan struct{}
	stopped atomic.Bool
	began   time.Time
	other   *atomic.Int64                // bytes read by something else meanwhile (the sha256)
	rows    atomic.Pointer[atomic.Int64] // rows parsed so far, when this process parses the file
}

func newProgress(w io.Writer, name string, size int64, pc *powerColumns) *progress {
	pr := &progress{w: w, name: name, size: size, quit: make(chan struct{}), other: new(atomic.Int64)}
	if pc != nil {
		pr.lineLen = pc.avgLineLen
	}
	return pr
}

func (pr *progress) estRows(bytes int64) int64 {
	if pr.lineLen <= 0 {
		return 0
	}
	return int64(float64(bytes) / pr.lineLen)
}

func (pr *progress) start() {
	if pr.w == nil {
		pr.stopped.Store(true)
		return
	}
	pr.began = time.Now()
	base := readBytes()
	otherBase := pr.other.Load()
	total := pr.estRows(pr.size)
	tty := false
	if f, ok := pr.w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		tty = true
		pr.bar = progressbar.NewOptions64(max(total, 1), progressbar.OptionSetWriter(pr.w),
			progressbar.OptionSetDescription(pr.name), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("rows"), progressbar.OptionSetPredictTime(true), progressbar.OptionFullWidth(),
			progressbar.OptionThrottle(200*time.Millisecond))
	}
	go func() {
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-pr.quit:
				return
			case <-tick.C:
				read := min(max(readBytes()-base-(pr.other.Load()-otherBase), 0), pr.size)
				rows := pr.estRows(read)
				if n := pr.rows.Load(); n != nil { // the Go parser reads a mapped file, not by read(2)
					rows = n.Load()
					read = min(int64(float64(rows)*pr.lineLen), pr.size)
				}
				if tty {
					if time.Since(pr.began) >= time.Second { // the bar's rate needs some history
						pr.bar.Set64(min(rows, total))
					}
				} else if time.Since(last) >= 5*time.Second {
					last = time.Now()
					secs := time.Since(pr.began).Seconds()
					fmt.Fprintf(pr.w, "%s: 约%d行 (%.0f%%), %.0f 行/秒\n", pr.name, rows, 100*float64(read)/float64(max(pr.size, 1)), float64(rows)/secs)
				}
			}
		}
	}()
}

func (pr *progress) stop() {
	if pr.stopped.CompareAndSwap(false, true) {
		close(pr.quit)
	}
}

func (pr *progress) done(rows int64) {
	if pr.w == nil {
		return
	}
	secs := time.Since(pr.began).Seconds()
	if pr.bar != nil {
		pr.bar.ChangeMax64(max(rows, 1))
		pr.bar.Set64(rows)
		pr.bar.Finish()
		fmt.Fprintln(pr.w)
	}
	fmt.Fprintf(pr.w, "%s: %d行, %.1f秒, %.0f 行/秒\n", pr.name, rows, secs, float64(rows)/max(secs, 1e-9))
}

// readBytes is what this process has read so far (Linux); 0 elsewhere.
func readBytes() int64 {
	f, err := os.Open("/proc/self/io")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "rchar: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}
