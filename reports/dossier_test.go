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
