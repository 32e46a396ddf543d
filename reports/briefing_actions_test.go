package reports

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"landwatch/reports/pdf"
)

// TestWeeklyActionRates: the briefing's 发现一起、查处一起 section shows 查处到位率 per unit and per
// township exactly as mart_action_rates has it (due, done on time, rate, overdue), every row of it.
func TestWeeklyActionRates(t *testing.T) {
	briefing := renderWeekly(t)
	txt := squash(pdfTool(t, briefing, "pdftotext", "-enc", "UTF-8"))
	if !strings.Contains(txt, squash("查处到位率＝按期办结的应办事项÷已到期或已办结的应办事项")) {
		t.Fatal("briefing lacks the definition of 查处到位率")
	}
	db := fixtureDB(t)
	rows, err := db.Query(`SELECT scope, name, due, on_time, rate, overdue FROM mart_action_rates`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n, units := 0, 0
	for rows.Next() {
		var scope, name string
		var due, onTime, overdue int64
		var rate sql.NullFloat64
		if err := rows.Scan(&scope, &name, &due, &onTime, &rate, &overdue); err != nil {
			t.Fatal(err)
		}
		kind := map[string]string{"unit": "单位", "township": "乡镇"}[scope]
		want := squash(fmt.Sprintf("%s%s%d%d%s%d", name, kind, due, onTime, pdf.Rate(rate), overdue))
		if !strings.Contains(txt, want) {
			t.Errorf("briefing lacks the row %q", want)
		}
		n++
		if scope == "unit" && due > 0 {
			units++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 || units == 0 {
		t.Fatalf("mart_action_rates has %d rows, %d units with actions due: nothing to show", n, units)
	}
}
