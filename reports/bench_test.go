package reports

import (
	"bytes"
	"context"
	"os"
	"testing"

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

// BenchmarkWeeklyBriefing renders the weekly PDF briefing (queries and PDF), as `report weekly` does.
func BenchmarkWeeklyBriefing(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
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
		br.chartsDrawn(b, srv.URL+"/dashboard")
		res, err := chromedp.Call(br.ctx, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: ptr(true),
			PaperWidth: 8.27, PaperHeight: 11.69})
		if err != nil {
			b.Fatal(err)
		}
		pdf = res.Data
	}
	b.ReportMetric(float64(len(pdf)), "pdf-bytes")
	if dir := os.Getenv("LANDWATCH_KEEP_PDF"); dir != "" {
		os.WriteFile(dir+"/dashboard-print.pdf", pdf, 0o644)
	}
}

func ptr[T any](v T) *T { return &v }
