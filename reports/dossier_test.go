package reports

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestDossierListsMissedViolationsWithEvidence: 郭道镇's dossier as of 04-16 lists every missed
// violation of the mart with its evidence (file and row), says in words which problem came too
// late, and counts its overdue items as the ledger does.
func TestDossierListsMissedViolationsWithEvidence(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := Dossier(ctx, db, "郭道镇", fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt := squash(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	var missed, overdue int
	scan(t, db, `SELECT count(*) FROM mart_violations WHERE township = '郭道镇' AND detection_status = 'missed'`, &missed)
	scan(t, db, `SELECT count(*) FROM mart_ledger WHERE township = '郭道镇' AND overdue`, &overdue)
	if missed == 0 || overdue == 0 {
		t.Fatalf("the tiny county's 郭道镇 has %d missed and %d overdue as of %s", missed, overdue, fixtureAsOf.Format(time.DateOnly))
	}
	want := []string{"郭道镇追责问责材料", fmt.Sprintf("二、应排漏排违法点位（%d处）", missed),
		fmt.Sprintf("四、逾期未整改事项（%d项）", overdue), "迟报：表上日期03-13，03-21才报送，晚于03-14截止"}
	rows, err := db.Query(`SELECT v.violation_id, strftime(v.first_seen, '%Y-%m-%d'), e.origin
		FROM mart_violations v JOIN mart_evidence e ON e.record_id = v.violation_id
		WHERE v.township = '郭道镇' AND v.detection_status = 'missed'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	evidence := 0
	for rows.Next() {
		var id, first, origin string
		if err := rows.Scan(&id, &first, &origin); err != nil {
			t.Fatal(err)
		}
		want = append(want, id, "首次发现："+first, origin)
		evidence++
	}
	if evidence == 0 {
		t.Fatal("no missed violation of 郭道镇 has evidence: nothing to look for")
	}
	for _, w := range want {
		if !strings.Contains(txt, squash(w)) {
			t.Errorf("dossier lacks %q", w)
		}
	}
	var detected string
	scan(t, db, `SELECT violation_id FROM mart_violations WHERE township = '郭道镇' AND detection_status = 'detected' ORDER BY violation_id LIMIT 1`, &detected)
	if strings.Contains(txt, detected) {
		t.Errorf("dossier lists the detected violation %s as missed", detected)
	}
	if err := Dossier(ctx, db, "不存在乡", fixtureAsOf, &buf); err == nil || !strings.Contains(err.Error(), "没有乡镇“不存在乡”") {
		t.Errorf("unknown township: %v", err)
	}
}

// A frozen date's dossier says so, with the freeze time.
func TestDossierMarksFrozen(t *testing.T) {
	db := fixtureDB(t)
	if _, err := db.Exec(`UPDATE mart_township_scorecard SET frozen_at = TIMESTAMP '2023-04-17 09:30:00' WHERE as_of = ?`, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Dossier(context.Background(), db, "沁河镇", fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt := squash(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	if !strings.Contains(txt, squash("已锁定：本材料所用数据已于2023-04-17 09:30锁定")) {
		t.Error("the frozen dossier is not marked")
	}
}
