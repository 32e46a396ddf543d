package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"
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
