package etl

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"landwatch/campaign"
	"landwatch/etl/batch"
	"landwatch/etl/read"
	"landwatch/warehouse"
)

// A manifest's small files — every kind but readings — load in one transaction: all are read
// first (in parallel: xlsx, csv and GeoJSON need no warehouse), then checked in manifest order
// against the warehouse and the files before them, and written only if every one of them passed.
// One bad file refuses them all, and every bad file's errors are reported together
// (ManifestError). The look-ups the checks make (the village list, the registers of ids, the
// forms a correction replaces, frozen days, earlier loads of the same bytes) are read once and
// kept up to date with each file the transaction takes (loadCache); the files' rows and their
// load_batches rows are written together at the end (or before a look-up that must see them),
// through DuckDB's appender on the transaction's connection (etl/batch/append.go), and their repeated rows
// are named by two queries per table for all the files (batch.WarnDuplicatesAll). A correction
// (a form replacing an earlier one) writes what is pending first and records its batch as
// LoadFile does. What the warehouse holds afterwards is what the files loaded one by one would
// leave (manifest_same_test.go), but one load time for all the manifest's batches.
// The command then records every batch in one audit entry (cmd/landwatch/load.go auditLoaded),
// each bound with its file's name and SHA-256; a crash between the commit and that entry leaves
// batches that `audit verify` names as bound by no entry.
// Readings files load after the small files, each in its own transaction, as LoadFile loads them
// (the registry of meters they are checked against is then committed).

// ManifestError refuses a manifest's small files: nothing of them was loaded. Files holds each
// refused file's errors, in manifest order.
type ManifestError struct {
	Dir   string
	Files []*FileError
}

func (e *ManifestError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s：%d 个文件有错误，清单中的表格文件一个也未导入", e.Dir, len(e.Files))
	for _, f := range e.Files {
		b.WriteString("\n")
		b.WriteString(f.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find the first refused file.
func (e *ManifestError) Unwrap() []error {
	out := make([]error, len(e.Files))
	for i, f := range e.Files {
		out[i] = f
	}
	return out
}

// manifestFile is one file of a manifest on its way in.
type manifestFile struct {
	kind  Kind
	path  string // on disk
	name  string // base name
	opt   Options
	data  []byte
	sha   string
	arr   batch.Arrival
	small *smallFile
	err   error // the file's refusal (a *FileError) or a reading error
	res   *Result
}

// LoadManifest loads every file listed in dir/manifest.json: the small files in one transaction
// (all or none), then the readings files in their order. It returns the results of the files
// loaded (in manifest order) with the error.
func LoadManifest(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, dir string, opt Options) ([]*Result, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("按清单导入：目录 %s 中没有 manifest.json", dir)
		}
		return nil, fmt.Errorf("按清单导入：%w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("按清单导入 %s：%w", filepath.Join(dir, "manifest.json"), err)
	}
	files := make([]*manifestFile, 0, len(m.Files))
	for _, f := range m.Files {
		if _, err := ParseKind(string(f.Kind)); err != nil {
			return nil, fmt.Errorf("清单：%w", err)
		}
		p := f.Path
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, filepath.FromSlash(p))
		}
		fopt := opt
		if fopt.Dir == "" { // a video list's screenshots lie beside it
			fopt.Dir = filepath.Dir(p)
		}
		if f.ReceivedOn != "" {
			at, err := ParseReceived(f.ReceivedOn, cfg.Location())
			if err != nil {
				return nil, fmt.Errorf("清单 %s：%w", f.Path, err)
			}
			fopt.ReceivedAt = at
		}
		files = append(files, &manifestFile{kind: f.Kind, path: p, name: filepath.Base(p), opt: fopt})
	}
	var small, big []*manifestFile
	for _, f := range files {
		if f.kind == KindPower || f.kind == KindPowerAlerts {
			big = append(big, f)
		} else {
			small = append(small, f)
		}
	}
	if err := loadSmallFiles(ctx, db, cfg, dir, small); err != nil {
		return collected(files), err
	}
	for _, f := range big {
		res, err := LoadFile(ctx, db, cfg, f.kind, f.path, f.opt)
		if err != nil {
			return collected(files), err
		}
		f.res = res
	}
	return collected(files), nil
}

// collected is the results of the files loaded, in manifest order.
func collected(files []*manifestFile) []*Result {
	var out []*Result
	for _, f := range files {
		if f.res != nil {
			out = append(out, f.res)
		}
	}
	return out
}

// loadSmallFiles loads a manifest's small files in one transaction.
func loadSmallFiles(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, dir string, files []*manifestFile) error {
	if len(files) == 0 {
		return nil
	}
	// Read every file and its hash, and its arrival stamp, in parallel.
	each(files, func(f *manifestFile) {
		if f.data, f.err = os.ReadFile(f.path); f.err != nil {
			f.err = read.OpenError(f.path, f.err)
			return
		}
		f.sha = batch.Sum(f.data)
		var err error
		if f.arr, err = batch.ResolveArrival(f.opt, cfg.Location()); err != nil {
			p := &read.Problems{File: f.name}
			p.Add(0, "", "", err.Error())
			f.err = p.Err(f.kind)
		}
	})
	for _, f := range files {
		if f.err != nil {
			if _, ok := f.err.(*FileError); !ok {
				return f.err
			}
		}
	}
	c := &loadCache{ctx: ctx, sets: map[string]map[string]bool{}, frozenDays: map[time.Time]*CellError{}, pending: map[string]*pendingRows{}}
	if err := c.readLoaded(db, files); err != nil {
		return err
	}
	// The bytes loaded before (and not reinstated by a later stamp) need no reading.
	each(files, func(f *manifestFile) {
		if f.err != nil {
			return
		}
		if _, _, ok := c.sameBytes(f); ok {
			return
		}
		f.small, f.err = parseSmall(f.kind, f.name, f.data, f.sha, f.arr)
		f.data = nil
	})
	for _, f := range files {
		if f.small != nil {
			c.need++
		}
	}
	// The transaction on a connection of its own, which the appender (etl/batch/append.go) writes through.
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	c.tx, c.conn = tx, conn
	var refused []*FileError
	for _, f := range files {
		if f.err == nil {
			// The same bytes as a batch before, or as an earlier file of the manifest, are a no-op,
			// as in loadBytes.
			if id, rows, ok := c.sameBytes(f); ok {
				f.res = &Result{Kind: f.kind, File: f.name, BatchID: id, Rows: rows, AlreadyLoaded: true}
			} else {
				if f.small == nil { // reinstated by a correction earlier in the manifest
					f.small, f.err = parseSmall(f.kind, f.name, f.data, f.sha, f.arr)
				}
				if f.err == nil {
					f.res, f.err = f.small.load(ctx, tx, cfg, f.opt, c)
				}
			}
		}
		if f.err != nil {
			f.res = nil
			var fe *FileError
			if !errors.As(f.err, &fe) {
				if errors.Is(f.err, sql.ErrTxDone) && ctx.Err() != nil {
					return fmt.Errorf("导入 %s：%w", f.name, ctx.Err())
				}
				return fmt.Errorf("导入 %s：%w", f.name, f.err)
			}
			refused = append(refused, fe)
		}
	}
	if len(refused) > 0 {
		for _, f := range files {
			f.res = nil
		}
		return &ManifestError{Dir: dir, Files: refused}
	}
	if err := c.flush(); err != nil {
		return err
	}
	if err := batch.WarnDuplicatesAll(ctx, tx, c.dups); err != nil {
		return fmt.Errorf("按清单导入 %s：%w", dir, err)
	}
	batch.Pause(batch.PauseCommit)
	if err := tx.Commit(); err != nil {
		for _, f := range files {
			f.res = nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("按清单导入 %s：%w", dir, ctx.Err())
		}
		return fmt.Errorf("按清单导入 %s：提交：%w", dir, err)
	}
	return nil
}

// each runs fn on every file, on as many goroutines as there are CPUs.
func each(files []*manifestFile, fn func(*manifestFile)) {
	var wg sync.WaitGroup
	next := make(chan *manifestFile)
	for range max(1, min(runtime.GOMAXPROCS(0), len(files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				fn(f)
			}
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
}

// loadCache is what a manifest's transaction knows of the warehouse, kept up to date with every
// file it takes, and the rows it will write at the end.
type loadCache struct {
	ctx        context.Context
	tx         *sql.Tx
	conn       *sql.Conn // tx's connection
	villages   map[string]map[string]bool
	sets       map[string]map[string]bool    // idSet's query → ids
	idLists    map[string]map[string][]int64 // "table.field" → id → active batches holding it
	forms      map[formKey]int64             // an active inspection form's key → its batch
	frozenDays map[time.Time]*CellError      // a stamp's day → the freeze refusing it (nil: none)
	loaded     map[[2]string]*loadedBatch    // kind, sha256 → the latest batch of those bytes
	byBatch    map[int64]*loadedBatch        // the same, by batch
	batchIDs   []int64                       // batch ids taken, not yet used
	pending    map[string]*pendingRows       // table and columns → rows to write
	dups       []batch.DupCheck              // batches whose repeated rows are named after the write
	order      []string                      // pending's keys in the order first written
	need       int                           // files still to take a batch id
	now        time.Time                     // loadedAt, once read
}

// loadedBatch is batch.FindLoaded's answer for some bytes.
type loadedBatch struct {
	id, rows   int64
	replacedAt sql.NullTime
}

type pendingRows struct {
	table string
	cols  []string
	rows  [][]any
}

type formKey struct{ township, date, level, village string }

// readLoaded reads, in one query, the latest batch of each of the files' bytes (batch.FindLoaded).
func (c *loadCache) readLoaded(db *warehouse.DB, files []*manifestFile) error {
	c.loaded, c.byBatch = map[[2]string]*loadedBatch{}, map[int64]*loadedBatch{}
	var kinds, shas []string
	for _, f := range files {
		if f.err == nil {
			kinds, shas = append(kinds, string(f.kind)), append(shas, f.sha)
		}
	}
	if len(kinds) == 0 {
		return nil
	}
	rows, err := db.QueryContext(c.ctx, `WITH want AS (SELECT DISTINCT unnest(string_split(?, ',')) AS kind, unnest(string_split(?, ',')) AS sha256)
		SELECT b.kind, b.sha256, b.batch_id, b.rows, coalesce(r.received_at, r.loaded_at) FROM load_batches b
		JOIN want USING (kind, sha256) LEFT JOIN load_batches r ON r.batch_id = b.replaced_by
		QUALIFY row_number() OVER (PARTITION BY b.kind, b.sha256 ORDER BY b.batch_id DESC) = 1`,
		strings.Join(kinds, ","), strings.Join(shas, ","))
	if err != nil {
		return fmt.Errorf("按清单导入：%w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind, sha string
		lb := &loadedBatch{}
		if err := rows.Scan(&kind, &sha, &lb.id, &lb.rows, &lb.replacedAt); err != nil {
			return err
		}
		c.loaded[[2]string{kind, sha}], c.byBatch[lb.id] = lb, lb
	}
	return rows.Err()
}

// sameBytes says whether an earlier file of this manifest (or the warehouse, for bytes a later
// stamp reinstates) holds f's bytes, as batch.FindLoaded would within the transaction.
func (c *loadCache) sameBytes(f *manifestFile) (id, rows int64, ok bool) {
	lb := c.loaded[[2]string{string(f.kind), f.sha}]
	if lb == nil || (lb.replacedAt.Valid && f.arr.At.After(lb.replacedAt.Time)) {
		return 0, 0, false
	}
	return lb.id, lb.rows, true
}

// took keeps the look-ups up to date with a file the transaction took as batch b.
func (c *loadCache) took(l *loader, o *out, b *batch.Batch) {
	lb := &loadedBatch{id: b.ID, rows: b.Rows}
	c.loaded[[2]string{string(b.Kind), b.SHA}], c.byBatch[b.ID] = lb, lb
	for _, v := range l.newOrder {
		if c.villages[v[0]] == nil {
			c.villages[v[0]] = map[string]bool{}
		}
		c.villages[v[0]][v[1]] = true
	}
	written := map[string]bool{o.table: true}
	for _, t := range o.more {
		written[t.name] = true
	}
	for q := range c.sets {
		for t := range written {
			if b.Replaces != 0 || strings.Contains(q, t) {
				delete(c.sets, q)
				break
			}
		}
	}
	if b.Replaces != 0 {
		if r := c.byBatch[b.Replaces]; r != nil {
			r.replacedAt = sql.NullTime{Time: b.Arrival.At, Valid: true}
		}
		for _, byID := range c.idLists {
			for id, bs := range byID {
				byID[id] = removeBatch(bs, b.Replaces)
			}
		}
	}
	if o.idTable != "" {
		if byID := c.idLists[o.idTable+"."+o.idField]; byID != nil {
			for _, id := range o.ids {
				if id != "" {
					byID[id] = append(byID[id], b.ID)
				}
			}
		}
	}
	if b.Kind == KindInspection && c.forms != nil && b.Township != "" && b.FormDate != nil {
		c.forms[formKey{b.Township, b.FormDate.Format("2006-01-02"), orDefault(b.Level, "乡镇"), b.Village}] = b.ID
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func removeBatch(bs []int64, id int64) []int64 {
	out := bs[:0]
	for _, b := range bs {
		if b != id {
			out = append(out, b)
		}
	}
	return out
}

// idSet answers loader.idSet from the transaction once per query until a file writes a table the
// query reads.
func (c *loadCache) idSet(q string) (map[string]bool, error) {
	if s, ok := c.sets[q]; ok {
		return s, nil
	}
	if err := c.flush(); err != nil {
		return nil, err
	}
	s, err := queryIDSet(c.ctx, c.tx, q)
	if err != nil {
		return nil, err
	}
	c.sets[q] = s
	return s, nil
}

// ids is every id of table.field with the active batches holding it.
func (c *loadCache) ids(table, field string) (map[string][]int64, error) {
	key := table + "." + field
	if byID, ok := c.idLists[key]; ok {
		return byID, nil
	}
	if err := c.flush(); err != nil {
		return nil, err
	}
	rows, err := c.tx.QueryContext(c.ctx, fmt.Sprintf(`SELECT DISTINCT t.%s, t.batch_id FROM %s t JOIN load_batches b USING (batch_id)
		WHERE b.replaced_by IS NULL AND t.%s IS NOT NULL ORDER BY 2`, field, table, field))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[string][]int64{}
	for rows.Next() {
		var id string
		var b int64
		if err := rows.Scan(&id, &b); err != nil {
			return nil, err
		}
		byID[id] = append(byID[id], b)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if c.idLists == nil {
		c.idLists = map[string]map[string][]int64{}
	}
	c.idLists[key] = byID
	return byID, nil
}

// replaced is loader.findReplaced from the active inspection forms, read once.
func (c *loadCache) replaced(b *batch.Batch) (int64, error) {
	if c.forms == nil {
		if err := c.flush(); err != nil {
			return 0, err
		}
		rows, err := c.tx.QueryContext(c.ctx, `SELECT batch_id, township, strftime(form_date, '%Y-%m-%d'), coalesce(form_level, '乡镇'),
			coalesce(form_village, '') FROM load_batches WHERE kind = 'inspection' AND replaced_by IS NULL
			AND township IS NOT NULL AND form_date IS NOT NULL ORDER BY batch_id`)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		c.forms = map[formKey]int64{}
		for rows.Next() {
			var id int64
			var k formKey
			if err := rows.Scan(&id, &k.township, &k.date, &k.level, &k.village); err != nil {
				return 0, err
			}
			c.forms[k] = id
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
	}
	return c.forms[formKey{b.Township, b.FormDate.Format("2006-01-02"), b.Level, b.Village}], nil
}

// frozen is batch.CheckFrozen, asked once per day.
func (c *loadCache) frozen(l *loader, a batch.Arrival) error {
	day := a.Day()
	ce, ok := c.frozenDays[day]
	if !ok {
		p := &read.Problems{File: l.file}
		if err := batch.CheckFrozen(c.ctx, c.tx, p, a); err != nil {
			return err
		}
		if len(p.Errs) > 0 {
			ce = p.Errs[0]
		}
		c.frozenDays[day] = ce
	}
	if ce != nil {
		l.p.Add(ce.Row, ce.Column, ce.Value, ce.Msg)
	}
	return nil
}

// batchID takes the next batch id; the first asks for as many as the manifest's files need.
func (c *loadCache) batchID() (int64, error) {
	if len(c.batchIDs) == 0 {
		rows, err := c.tx.QueryContext(c.ctx, `SELECT nextval('batch_seq') AS id FROM range(?) ORDER BY id`, max(1, c.need))
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return 0, err
			}
			c.batchIDs = append(c.batchIDs, id)
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
		if len(c.batchIDs) == 0 {
			return 0, errors.New("no batch id")
		}
	}
	id := c.batchIDs[0]
	c.batchIDs, c.need = c.batchIDs[1:], c.need-1
	return id, nil
}

// loadedAt is the transaction's current_timestamp::TIMESTAMP (the loaded_at batch.InsertRow
// writes), read once.
func (c *loadCache) loadedAt() (time.Time, error) {
	if c.now.IsZero() {
		if err := c.tx.QueryRowContext(c.ctx, `SELECT current_timestamp::TIMESTAMP`).Scan(&c.now); err != nil {
			return time.Time{}, fmt.Errorf("read the time: %w", err)
		}
	}
	return c.now, nil
}

// deferRows keeps rows to write at the end (flush).
func (c *loadCache) deferRows(table string, cols []string, rows [][]any) {
	key := table + "(" + strings.Join(cols, ",") + ")"
	pr := c.pending[key]
	if pr == nil {
		pr = &pendingRows{table: table, cols: cols}
		c.pending[key] = pr
		c.order = append(c.order, key)
	}
	pr.rows = append(pr.rows, rows...)
}

// flush writes the rows kept so far.
func (c *loadCache) flush() error {
	for _, key := range c.order {
		pr := c.pending[key]
		if err := c.writeRows(pr.table, pr.cols, pr.rows); err != nil {
			return err
		}
	}
	c.pending, c.order = map[string]*pendingRows{}, nil
	return nil
}
