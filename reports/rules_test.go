package reports

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landwatch/queries"
	"landwatch/reports/pdf"
)

// TestWeeklyPriceLatenessIsTheMart: the briefing's 超期工作日 of every late price determination is
// mart_cases_pipeline's price_late_workdays, row by row.
func TestWeeklyPriceLatenessIsTheMart(t *testing.T) {
	db := fixtureDB(t)
	want := map[string]string{}
	rows, err := db.Query(`SELECT case_id, CAST(price_late_workdays AS VARCHAR) FROM mart_cases_pipeline WHERE price_late`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, n string
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		want[id] = n
	}
	rows.Close()
	if len(want) == 0 {
		t.Fatal("the tiny county has no late price determination as of the fixture's day")
	}
	var buf bytes.Buffer
	if err := Weekly(context.Background(), db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt := pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8", "-layout")
	found := 0
	for _, line := range strings.Split(txt, "\n") {
		f := strings.Fields(line)
		if len(f) < 6 {
			continue
		}
		n, ok := want[f[0]]
		if !ok {
			continue
		}
		found++
		if f[len(f)-1] != n {
			t.Errorf("case %s: the briefing says %s working days late, the mart %s", f[0], f[len(f)-1], n)
		}
	}
	if found == 0 {
		t.Errorf("the briefing lists none of the %d late price determinations:\n%s", len(want), txt)
	}
}

// TestCountyFiguresAreTheMart: the county's figures — the briefing's 总体情况 and the export — are
// mart_county_scorecard's, and that row is the townships' rows summed with the rates of the sums.
func TestCountyFiguresAreTheMart(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	c, err := county(ctx, db, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	var due, missed, ledger, onTime int64
	score, err := scorecard(ctx, db, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range score {
		due, missed, ledger, onTime = due+r.ViolationsDue, missed+r.Missed, ledger+r.LedgerDue, onTime+r.RectOnTime
	}
	if c.ViolationsDue != due || c.Missed != missed || c.LedgerDue != ledger || c.RectOnTime != onTime || due == 0 || ledger == 0 {
		t.Fatalf("county row %+v, the townships sum to due %d missed %d ledger %d on time %d", c, due, missed, ledger, onTime)
	}
	if !c.MissedRate.Valid || c.MissedRate.Float64 != float64(missed)/float64(due) || !c.RectRate.Valid || c.RectRate.Float64 != float64(onTime)/float64(ledger) {
		t.Errorf("county rates %v %v, the sums give %v %v", c.MissedRate, c.RectRate, float64(missed)/float64(due), float64(onTime)/float64(ledger))
	}

	var buf bytes.Buffer
	if err := Weekly(ctx, db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt := pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8", "-layout", "-f", "1", "-l", "1")
	// the cards: a line of labels, then (past a blank line) the line of their values
	card := map[string]string{}
	lines := strings.Split(txt, "\n")
	for i, line := range lines {
		if !strings.Contains(line, "全县漏排率") && !strings.Contains(line, "按期整改率") || i+2 >= len(lines) {
			continue
		}
		labels, values := strings.Fields(line), strings.Fields(lines[i+2])
		if len(labels) != len(values) {
			continue
		}
		for k, l := range labels {
			card[l] = values[k]
		}
	}
	for label, want := range map[string]string{"应排查违法点位": fmt.Sprint(c.ViolationsDue), "应排漏排": fmt.Sprintf("%d处", c.Missed),
		"全县漏排率": pdf.Rate(c.MissedRate), "到期整改事项": fmt.Sprintf("%d项", c.LedgerDue), "按期整改率": pdf.Rate(c.RectRate),
		"逾期未整改": fmt.Sprintf("%d项", c.OverdueOpen)} {
		if card[label] != want {
			t.Errorf("the briefing's %s is %q, mart_county_scorecard's %q\n%s", label, card[label], want, txt)
		}
	}

	// the export carries the same row
	dir := filepath.Join(t.TempDir(), "export")
	if _, err := queries.Export(ctx, db, queries.ExportOptions{Out: dir}); err != nil {
		t.Fatal(err)
	}
	var exDue, exMissed int64
	var exRate sql.NullFloat64
	scan(t, db, fmt.Sprintf(`SELECT violations_due, missed, missed_detection_rate FROM read_parquet('%s') WHERE as_of = DATE '%s'`,
		filepath.Join(dir, "marts", "mart_county_scorecard.parquet"), fixtureAsOf.Format(time.DateOnly)), &exDue, &exMissed, &exRate)
	if exDue != c.ViolationsDue || exMissed != c.Missed || exRate != c.MissedRate {
		t.Errorf("the export's county row: due %d missed %d rate %v; the mart's %d %d %v", exDue, exMissed, exRate, c.ViolationsDue, c.Missed, c.MissedRate)
	}
}
