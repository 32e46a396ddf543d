package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestDossierListsMissedViolationsWithEvidence(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	var buf bytes.Buffer
	// 郭道镇 (the second township) has one missed violation, WP202302001, backed by a loaded
	// imagery patch; its case reference has no raw record.
	if err := Dossier(ctx, db, "郭道镇", fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt := squash(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	for _, want := range []string{"郭道镇追责问责材料", "二、应排漏排违法点位（1处）", "WP202302001", "首次发现：2023-03-01",
		"发现渠道：卫片、案件", "挖损", "6.50亩", "核查违法", "patches.geojson第2行", "AJ2023-0200", "未找到原始记录",
		"四、逾期未整改事项（5项）", "距离最近的为郭道镇-20230312-1", "相距445米（比对半径300米）"} {
		if !strings.Contains(txt, squash(want)) {
			t.Errorf("dossier lacks %q", want)
		}
	}
	if strings.Contains(txt, "WP202302002") {
		t.Error("dossier lists a detected violation as missed")
	}
	if err := Dossier(ctx, db, "不存在乡", fixtureAsOf, &buf); err == nil || !strings.Contains(err.Error(), "unknown township") {
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
