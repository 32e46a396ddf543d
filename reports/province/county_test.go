package province

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"landwatch/internal/testtool"
	"landwatch/queries"
	"landwatch/warehouse"
)

// hostileBase is a synthetic province of good counties from tiny's export, made once; each test
// copies it.
var hostileBase struct {
	once sync.Once
	root string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if hostileBase.root != "" {
		os.RemoveAll(hostileBase.root)
	}
	os.Exit(code)
}

func hostileProvince(t *testing.T, counties int) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the tiny county")
	}
	hostileBase.once.Do(func() {
		src := tinyExport(t) // removed with t; the province outlives it (removed by TestMain)
		if hostileBase.root, hostileBase.err = os.MkdirTemp("", "landwatch-province-"); hostileBase.err != nil {
			return
		}
		hostileBase.err = SynthProvince(context.Background(), SynthProvinceOptions{From: src, Out: hostileBase.root, Counties: 6})
	})
	if hostileBase.err != nil {
		t.Fatal(hostileBase.err)
	}
	root := t.TempDir()
	var dirs []string
	for _, d := range provinceDirs(t, hostileBase.root)[:counties] {
		dst := filepath.Join(root, filepath.Base(d))
		if err := os.CopyFS(dst, os.DirFS(d)); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, dst)
	}
	return dirs
}

// editManifest rewrites dir's manifest.json through edit.
func editManifest(t *testing.T, dir string, edit func(m *queries.ExportManifest)) {
	t.Helper()
	m, err := queries.ReadExportManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	edit(m)
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, queries.ExportManifestName), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// rehash puts a file's new size and SHA-256 into the manifest, as a careful forger would.
func rehash(t *testing.T, dir, rel string) {
	t.Helper()
	sum, n, err := queries.HashFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	editManifest(t, dir, func(m *queries.ExportManifest) {
		for i := range m.Files {
			if m.Files[i].Path == rel {
				m.Files[i].Bytes, m.Files[i].SHA256 = n, sum
			}
		}
	})
}

// readProvince runs ReadProvince under a deadline, so that a roll-up that spins cannot hang the
// test: it fails instead.
func readProvince(t *testing.T, dirs []string, opt ProvinceOptions) *Province {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	type result struct {
		p   *Province
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := ReadProvince(ctx, dirs, opt)
		done <- result{p, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.p
	case <-ctx.Done():
		t.Fatal("the roll-up did not return (a path read without end)")
		return nil
	}
}

func countyNamed(t *testing.T, p *Province, dir string) *ProvinceCounty {
	t.Helper()
	for i := range p.Counties {
		if p.Counties[i].Dir == dir {
			return &p.Counties[i]
		}
	}
	t.Fatalf("no county of %s", dir)
	return nil
}

// A manifest naming a path out of the export — ../../../../../dev/zero, /dev/zero, a link to it or
// to another county's file, a pipe — is refused before anything is read; so is a manifest.json
// that is itself a link to /dev/zero. The other counties are read.
func TestProvinceHostilePaths(t *testing.T) {
	dirs := hostileProvince(t, 6)
	addFile := func(dir, rel string) {
		editManifest(t, dir, func(m *queries.ExportManifest) {
			m.Files = append(m.Files, queries.ExportFile{Path: rel, Bytes: 1 << 40, SHA256: strings.Repeat("0", 64)})
		})
	}
	addFile(dirs[0], "../../../../../dev/zero")
	addFile(dirs[1], "/dev/zero")
	if err := os.Symlink("/dev/zero", filepath.Join(dirs[2], "marts", "zero.parquet")); err != nil {
		t.Fatal(err)
	}
	addFile(dirs[2], "marts/zero.parquet")
	// a listed mart replaced by a link to another county's file with the same bytes
	ledger := filepath.Join(dirs[3], "marts", "mart_ledger.parquet")
	if err := os.Remove(ledger); err != nil {
		t.Fatal(err)
	}
	other, _ := filepath.Abs(filepath.Join(dirs[5], "marts", "mart_ledger.parquet"))
	if err := os.Symlink(other, ledger); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dirs[4], "marts", "pipe.parquet"), 0o600); err != nil {
		t.Fatal(err)
	}
	addFile(dirs[4], "marts/pipe.parquet")
	p := readProvince(t, dirs, ProvinceOptions{})
	for i, want := range []string{`路径 "../../../../../dev/zero" 含“..”`, `路径 "/dev/zero" 是绝对路径`, "marts/zero.parquet 是符号链接",
		"marts/mart_ledger.parquet 是符号链接", "marts/pipe.parquet 不是普通文件"} {
		c := countyNamed(t, p, dirs[i])
		if c.Status != CountyCorrupt || !strings.Contains(c.Problem, want) {
			t.Errorf("%s: %s %q, want %q", c.County, c.Status, c.Problem, want)
		}
	}
	if c := countyNamed(t, p, dirs[5]); c.Status != CountyOK || c.Townships != 12 {
		t.Errorf("the good county: %s %q, %d townships", c.Status, c.Problem, c.Townships)
	}

	// manifest.json itself a link to /dev/zero
	man := filepath.Join(dirs[5], queries.ExportManifestName)
	os.Remove(man)
	if err := os.Symlink("/dev/zero", man); err != nil {
		t.Fatal(err)
	}
	p = readProvince(t, dirs[5:], ProvinceOptions{})
	if c := p.Counties[0]; c.Status != CountyCorrupt || !strings.Contains(c.Problem, "manifest.json 不是普通文件") {
		t.Errorf("manifest link: %s %q", c.Status, c.Problem)
	}
}

// The /dev/zero path is refused by its name alone: queries.ExportPath never opens it.
func TestExportPathRefusals(t *testing.T) {
	dir := t.TempDir()
	for _, rel := range []string{"../../../../../dev/zero", "/dev/zero", "marts/../../x.parquet", "./marts/x.parquet", "marts//x.parquet",
		"marts/*.parquet", `marts\x.parquet`, "", "..", "."} {
		if _, err := queries.ExportPath(dir, rel); err == nil || errors.Is(err, os.ErrNotExist) {
			t.Errorf("%q: %v", rel, err)
		}
	}
	if err := os.Symlink("/dev", filepath.Join(dir, "dev")); err != nil {
		t.Fatal(err)
	}
	if _, err := queries.ExportPath(dir, "dev/zero"); err == nil || !strings.Contains(err.Error(), "符号链接") {
		t.Errorf("a folder link out: %v", err)
	}
}

// A county whose export takes longer than its time limit is refused, named with the limit; an
// interrupted roll-up (SIGTERM cancels the command's context) returns at once.
func TestProvinceCountyTimeLimit(t *testing.T) {
	dirs := hostileProvince(t, 1)
	expired, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	c := readCounty(expired, dirs[0], time.Now(), 90*time.Second)
	if c.Status != CountyRefused || c.Problem != "90秒内未能核对和读取完毕（文件过大或异常），不予采用" {
		t.Errorf("past its deadline: %s %q", c.Status, c.Problem)
	}
	interrupted, stop := context.WithCancel(t.Context())
	stop()
	if _, err := ReadProvince(interrupted, dirs, ProvinceOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("interrupted roll-up: %v", err)
	}
}

// A column named filename inside a correctly hashed mart, an as-of of 2099-01-01, a tampered row
// count and a summed column holding text each concern their county only: the first is read (extra columns are ignored), the
// second refused with its full date and marks no other county stale, the third named with the
// file, the fourth named with its mart; every other county is ranked and the PDF lists the problems in Chinese.
func TestProvinceHostileContents(t *testing.T) {
	dirs := hostileProvince(t, 5)
	connector, err := duckdb.NewConnector(warehouse.DSN("", false), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	var sc, tmp string
	for _, mart := range []string{martScorecard, martCounty} {
		sc = filepath.Join(dirs[0], filepath.FromSlash(mart))
		tmp = sc + ".tmp"
		if _, err := db.Exec(`COPY (SELECT *, 'x' AS filename, 1 AS dir FROM read_parquet(` + lit(sc) + `)) TO ` + lit(tmp) + ` (FORMAT parquet)`); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, sc); err != nil {
			t.Fatal(err)
		}
		rehash(t, dirs[0], mart)
	}
	editManifest(t, dirs[1], func(m *queries.ExportManifest) { m.AsOf = "2099-01-01" })
	editManifest(t, dirs[2], func(m *queries.ExportManifest) { m.Rows["marts/mart_ledger"]++ })
	// a column the roll-up reads holding text, correctly hashed (the county's row: the roll-up reads
	// it, not the townships', when the export has it)
	sc = filepath.Join(dirs[4], filepath.FromSlash(martCounty))
	if _, err := db.Exec(`COPY (SELECT * REPLACE ('很多' AS missed) FROM read_parquet(` + lit(sc) + `)) TO ` + lit(tmp) + ` (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, sc); err != nil {
		t.Fatal(err)
	}
	rehash(t, dirs[4], martCounty)

	p := readProvince(t, dirs, ProvinceOptions{Day: time.Date(2023, 5, 2, 0, 0, 0, 0, time.UTC)})
	if c := countyNamed(t, p, dirs[0]); c.Status != CountyOK || c.Townships != 12 || c.ViolationsDue == 0 {
		t.Errorf("a filename column: %s %q, %d townships", c.Status, c.Problem, c.Townships)
	}
	future := countyNamed(t, p, dirs[1])
	if future.Status != CountyRefused || !strings.Contains(future.Problem, "截至日期为2099年1月1日，晚于汇总日2023年5月2日") {
		t.Errorf("as-of 2099: %s %q", future.Status, future.Problem)
	}
	if c := countyNamed(t, p, dirs[2]); c.Status != CountyCorrupt || !strings.Contains(c.Problem, "行数不符 marts/mart_ledger.parquet：清单记") {
		t.Errorf("tampered row count: %s %q", c.Status, c.Problem)
	}
	if c := countyNamed(t, p, dirs[4]); c.Status != CountyCorrupt || c.Problem != "marts/mart_county_scorecard.parquet 无法读取（列的类型不符）" {
		t.Errorf("a text column: %s %q", c.Status, c.Problem)
	}
	if c := countyNamed(t, p, dirs[3]); c.Status != CountyOK || c.Townships != 12 || c.PowerAlerts != 20 {
		t.Errorf("a good county: %s %q %+v", c.Status, c.Problem, c)
	}
	if p.Count(CountyStale) != 0 || p.Count(CountyOK) != 2 || p.Newest.Format(time.DateOnly) != "2023-04-30" {
		t.Errorf("stale %d, ok %d, newest %s", p.Count(CountyStale), p.Count(CountyOK), p.Newest)
	}
	var buf bytes.Buffer
	if err := ProvincePDF(p, time.Date(2023, 5, 2, 9, 0, 0, 0, time.UTC), &buf); err != nil {
		t.Fatal(err)
	}
	txt := squash(testtool.PDFText(t, buf.Bytes()))
	for _, want := range []string{"问题：数据过期、缺失、损坏或不予采用的县", "不予采用", "截至日期为2099年1月1日，晚于汇总日2023年5月2日",
		"导出损坏", "行数不符marts/mart_ledger.parquet", "2023-04-30"} {
		if !strings.Contains(txt, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}

// A manifest that lists a Parquet file without its row count, or a count without its file, is
// named too.
func TestProvinceRowCountsListed(t *testing.T) {
	dirs := hostileProvince(t, 2)
	editManifest(t, dirs[0], func(m *queries.ExportManifest) { delete(m.Rows, "marts/mart_ledger") })
	editManifest(t, dirs[1], func(m *queries.ExportManifest) { m.Rows["marts/mart_nothing"] = 5 })
	p := readProvince(t, dirs, ProvinceOptions{})
	if c := countyNamed(t, p, dirs[0]); c.Status != CountyCorrupt || !strings.Contains(c.Problem, "清单没有记 marts/mart_ledger.parquet 的行数") {
		t.Errorf("no count: %s %q", c.Status, c.Problem)
	}
	if c := countyNamed(t, p, dirs[1]); c.Status != CountyCorrupt || !strings.Contains(c.Problem, "行数不符 marts/mart_nothing：清单记 5 行，没有这个文件") {
		t.Errorf("no file: %s %q", c.Status, c.Problem)
	}
}
