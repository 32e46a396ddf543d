package province

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"landwatch/etl"
	"landwatch/internal/testtool"
	"landwatch/queries"
	"landwatch/warehouse"
)

// tinyExport loads testdata/tiny, runs the models as of 2023-04-30 and exports it as Parquet.
func tinyExport(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := db.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := etl.LoadManifest(ctx, db, cfg, filepath.Join("..", "..", "testdata", "tiny"), etl.Options{LoadedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := queries.Run(ctx, db, queries.RunOptions{AsOf: time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export")
	if _, err := queries.Export(ctx, db, queries.ExportOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func provinceDirs(t testing.TB, root string) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(root, "county-*"))
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestProvince: six synthetic counties from tiny's export — three good, one stale, one with a
// damaged mart file, one without its manifest. The roll-up ranks the good and stale ones, sums
// them, names the others and why, and the PDF says so in Chinese.
func TestProvince(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the tiny county")
	}
	src := tinyExport(t)
	root := t.TempDir()
	if err := SynthProvince(context.Background(), SynthProvinceOptions{From: src, Out: root, Counties: 6, Stale: 1, Corrupt: 1, Missing: 1}); err != nil {
		t.Fatal(err)
	}
	p, err := ReadProvince(context.Background(), provinceDirs(t, root), ProvinceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Counties) != 6 || p.Count(CountyOK) != 3 || p.Count(CountyStale) != 1 || p.Count(CountyCorrupt) != 1 || p.Count(CountyMissing) != 1 {
		t.Fatalf("statuses: %+v", p.Counties)
	}
	if p.Name != "山西省" || p.Newest.Format(time.DateOnly) != "2023-04-30" {
		t.Errorf("province %q newest %s", p.Name, p.Newest)
	}
	var sumDue, sumMissed int64
	for i, c := range p.Counties {
		switch {
		case i < 4 && !c.Figures():
			t.Errorf("county %d (%s) %s ranked after one without figures", i, c.County, c.Status)
		case c.Status == CountyStale:
			if c.County != "模拟004县" || c.AsOf.Format(time.DateOnly) != "2023-04-16" {
				t.Errorf("stale: %s as of %s", c.County, c.AsOf)
			}
		case c.Status == CountyCorrupt:
			if c.County != "模拟005县" || !strings.Contains(c.Problem, "校验和不符 marts/mart_ledger.parquet") {
				t.Errorf("corrupt: %s %q", c.County, c.Problem)
			}
		case c.Status == CountyMissing:
			if c.County != "county-006" || !strings.Contains(c.Problem, "manifest.json") {
				t.Errorf("missing: %s %q", c.County, c.Problem)
			}
		}
		if c.Figures() {
			if c.Townships != 12 || c.ViolationsDue == 0 || c.PowerAlerts != 20 {
				t.Errorf("%s: %d townships, %d due, %d alerts", c.County, c.Townships, c.ViolationsDue, c.PowerAlerts)
			}
			sumDue += c.ViolationsDue
			sumMissed += c.Missed
		}
		if i > 0 && c.Figures() && p.Counties[i-1].Figures() && cmpRate(p.Counties[i-1].MissedRate(), c.MissedRate(), true) > 0 {
			t.Errorf("ranking: %s before %s", p.Counties[i-1].County, c.County)
		}
	}
	if p.Total.ViolationsDue != sumDue || p.Total.Missed != sumMissed || p.Total.PowerAlerts != 80 {
		t.Errorf("totals %+v", p.Total)
	}

	var buf bytes.Buffer
	if err := ProvincePDF(p, time.Date(2023, 5, 2, 9, 0, 0, 0, time.UTC), &buf); err != nil {
		t.Fatal(err)
	}
	txt := squash(testtool.PDFText(t, buf.Bytes()))
	for _, want := range []string{"山西省打击非法违法采矿专项行动各县数据汇总", "共收到6个县的导出", "4个县的数据纳入汇总", "全省合计",
		"各县排名", "模拟004县（过期）", "数据截至2023-04-16，比最新的2023-04-30早14天", "导出损坏", "校验和不符marts/mart_ledger.parquet",
		"缺少导出", "没有manifest.json", "按期整改率最低的县", "属地新增最多的县"} {
		if !strings.Contains(txt, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
}

// provinceBench is the 117-county synthetic province, made once per test binary.
var provinceBench struct {
	once sync.Once
	root string
	err  error
}

// BenchmarkProvince117 reads 117 synthetic counties' exports (3 stale, 1 damaged, 1 without a
// manifest) and writes the roll-up PDF, and reports its time per op as a multiple of the reference
// measured in the same process (x-ref): hashAndRead, the least any roll-up must do.
// go test ./reports/province -run '^$' -bench Province117 -benchtime 1x
func BenchmarkProvince117(b *testing.B) {
	provinceBench.once.Do(func() {
		root := filepath.Join("..", "bench-data", "province-117")
		if _, err := os.Stat(filepath.Join(root, "county-117")); err != nil {
			src := tinyExport(b)
			tmp := root + ".tmp"
			os.RemoveAll(tmp)
			if provinceBench.err = SynthProvince(context.Background(), SynthProvinceOptions{From: src, Out: tmp, Counties: 117,
				Stale: 3, Corrupt: 1, Missing: 1}); provinceBench.err != nil {
				return
			}
			provinceBench.err = os.Rename(tmp, root)
		}
		provinceBench.root = root
	})
	if provinceBench.err != nil {
		b.Fatal(provinceBench.err)
	}
	dirs := provinceDirs(b, provinceBench.root)
	ref := hashAndReadNs(b, dirs)
	b.Logf("reference (read and SHA-256 every file of the %d exports): %.3f s/op", len(dirs), ref/1e9)
	b.ResetTimer()
	var size int
	for b.Loop() {
		p, err := ReadProvince(context.Background(), dirs, ProvinceOptions{})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := ProvincePDF(p, time.Now(), &buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(len(dirs)), "counties")
	b.ReportMetric(float64(size)/1024, "KiB")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/ref, "x-ref")
	b.ReportMetric(ref/1e9, "ref-s/op")
}

// hashAndReadNs is the reference of BenchmarkProvince117: every regular file of every county's
// export directory (manifest.json and the Parquet files) read once and hashed with SHA-256, which
// the roll-up must at least do to check the checksums (queries.VerifyExport) before it reads the
// marts. The mean of 3 passes after one warm-up pass, in nanoseconds.
func hashAndReadNs(b *testing.B, dirs []string) float64 {
	b.Helper()
	pass := func() int64 {
		var total int64
		for _, dir := range dirs {
			err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || !d.Type().IsRegular() {
					return err
				}
				f, err := os.Open(p)
				if err != nil {
					return err
				}
				defer f.Close()
				k, err := io.Copy(sha256.New(), f)
				total += k
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		return total
	}
	if pass() == 0 {
		b.Fatal("the exports hold no bytes")
	}
	const n = 3
	start := time.Now()
	for range n {
		pass()
	}
	return float64(time.Since(start).Nanoseconds()) / n
}
