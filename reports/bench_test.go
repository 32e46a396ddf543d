package reports

import (
	"bytes"
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"landwatch/queries"
	"landwatch/warehouse"
)

// benchDB opens the warehouse named by LANDWATCH_BENCH_DB (a county built with `landwatch gen
// --scale county`, loaded, and `models run --as-of 2023-04-16`), or the test fixture.
func benchDB(b *testing.B) *warehouse.DB {
	path := os.Getenv("LANDWATCH_BENCH_DB")
	if path == "" {
		return fixtureDB(b)
	}
	db, err := warehouse.Open(context.Background(), path, warehouse.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkWeeklyBriefing renders the weekly PDF briefing (queries and PDF), as `report weekly` does,
// and reports its time per op as a multiple of the reference measured in the same process (x-ref):
// the staff dashboard printed to PDF by headless chromium (dashboardPrintNs). Without chromium it
// fails (testtool.Installed), so the ratio is never silently missing.
func BenchmarkWeeklyBriefing(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	ref := dashboardPrintNs(b, db)
	b.Logf("reference (dashboard printed by chromium): %.3f s/op", ref/1e9)
	asOf, err := queries.LatestAsOf(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Weekly(ctx, db, asOf, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/ref, "x-ref")
	b.ReportMetric(ref/1e9, "ref-s/op")
}

// dashboardPrintNs is the reference of BenchmarkWeeklyBriefing: the time of one print of the
// dashboard as BenchmarkDashboardPrintToPDF times it (charts drawn, printed to A4), the mean of 3
// prints after one warm-up, in nanoseconds. The browser starts outside the timing.
func dashboardPrintNs(b *testing.B, db *warehouse.DB) float64 {
	b.Helper()
	srv := chartServer(b, db)
	br := newBrowser(b)
	br.chartsDrawn(b, srv.URL+"/dashboard")
	const n = 3
	start := time.Now()
	for range n {
		if len(printDashboard(b, br, srv.URL)) == 0 {
			b.Fatal("chromium printed an empty PDF")
		}
	}
	return float64(time.Since(start).Nanoseconds()) / n
}

// printDashboard loads the dashboard until every chart is drawn and prints it to PDF (A4).
func printDashboard(b *testing.B, br *browser, base string) []byte {
	b.Helper()
	br.chartsDrawn(b, base+"/dashboard")
	res, err := chromedp.Call(br.ctx, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: ptr(true),
		PaperWidth: 8.27, PaperHeight: 11.69})
	if err != nil {
		b.Fatal(err)
	}
	return res.Data
}

// BenchmarkDashboardPrintToPDF is the alternative: the staff dashboard served over HTTP, loaded in
// headless chromium until every chart is drawn, and printed to PDF (A4). The browser starts once,
// outside the timing.
func BenchmarkDashboardPrintToPDF(b *testing.B) {
	db := benchDB(b)
	srv := chartServer(b, db)
	br := newBrowser(b)
	br.chartsDrawn(b, srv.URL+"/dashboard") // warm up: start the browser, cache the script
	var pdf []byte
	for b.Loop() {
		pdf = printDashboard(b, br, srv.URL)
	}
	b.ReportMetric(float64(len(pdf)), "pdf-bytes")
	if dir := os.Getenv("LANDWATCH_KEEP_PDF"); dir != "" {
		os.WriteFile(dir+"/dashboard-print.pdf", pdf, 0o644)
	}
}

func ptr[T any](v T) *T { return &v }
