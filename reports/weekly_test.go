package reports

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"landwatch/campaign"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"landwatch/etl"
	"landwatch/internal/testtool"
	"landwatch/queries"
	"landwatch/warehouse"
)

// pdfTool runs a poppler-utils tool on the PDF.
func pdfTool(t *testing.T, pdf []byte, tool string, args ...string) string {
	t.Helper()
	testtool.Installed(t, tool)
	f := filepath.Join(t.TempDir(), "b.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args = append(args, f)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("%s: %v", tool, err)
	}
	return string(out)
}

func renderWeekly(t *testing.T) []byte {
	t.Helper()
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := Weekly(context.Background(), db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("LANDWATCH_KEEP_PDF"); dir != "" {
		os.WriteFile(filepath.Join(dir, "weekly.pdf"), buf.Bytes(), 0o644)
	}
	return buf.Bytes()
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func TestWeeklyContent(t *testing.T) {
	pdf := renderWeekly(t)
	txt := squash(pdfTool(t, pdf, "pdftotext", "-enc", "UTF-8"))
	for _, h := range []string{"沁源县打击非法违法采矿专项行动工作周报（2023年4月10日至16日）", "一、总体情况", "二、乡镇考核排名",
		"三、追责问责名单", "四、图表", "五、逾期未整改事项", "六、价格认定超期", "七、待现场核查的用电预警",
		"八、群众举报与奖励", "当前阶段：追责问责", "数据截至：2023-04-16", "距本阶段结束还有14天"} {
		if !strings.Contains(txt, squash(h)) {
			t.Errorf("briefing lacks %q", h)
		}
	}
	db := fixtureDB(t)
	rows, err := db.Query(`SELECT township, reasons FROM mart_township_scorecard WHERE as_of = ?`, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n, withReasons := 0, 0
	for rows.Next() {
		var town, reasons string
		if err := rows.Scan(&town, &reasons); err != nil {
			t.Fatal(err)
		}
		n++
		if reasons != "" {
			withReasons++
		}
		if !strings.Contains(txt, town) {
			t.Errorf("briefing lacks township %s", town)
		}
		if reasons != "" && !strings.Contains(txt, town+"红牌"+reasons) && !strings.Contains(txt, town+"黄牌"+reasons) {
			t.Errorf("briefing lacks %s with its reasons %q", town, reasons)
		}
	}
	if n != 12 || withReasons == 0 {
		t.Fatalf("fixture has %d townships, %d with reasons for a card", n, withReasons)
	}
	pages := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(pdfTool(t, pdf, "pdfinfo"))
	if p, _ := strconv.Atoi(pages[1]); p < 2 || p > 6 {
		t.Errorf("briefing has %d pages, want 2–6", p)
	}
}

func TestWeeklyFontsEmbedded(t *testing.T) {
	out := pdfTool(t, renderWeekly(t), "pdffonts")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", out)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... encoding emb sub uni object ID: emb is the 5th field from the end.
		if len(f) < 6 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
}

// TestWeeklyScorecardFigures reads the scorecard table back from the PDF and compares every
// figure with mart_township_scorecard.
func TestWeeklyScorecardFigures(t *testing.T) {
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := Weekly(context.Background(), db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	checkScorecardPDF(t, db, buf.Bytes(), fixtureAsOf)
}

// TestWeeklyOnTinyCounty runs the whole chain on the committed synthetic county: load, build the
// marts, write the briefing, and compare its scorecard with the mart.
func TestWeeklyOnTinyCounty(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the tiny county")
	}
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
	if _, err := etl.LoadManifest(ctx, db, cfg, filepath.Join("..", "testdata", "tiny"), etl.Options{LoadedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := queries.Run(ctx, db, queries.RunOptions{AsOf: fixtureAsOf}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Weekly(ctx, db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	checkScorecardPDF(t, db, buf.Bytes(), fixtureAsOf)
	txt := squash(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	score, err := scorecard(ctx, db, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range score {
		if r.Reasons != "" && !strings.Contains(txt, r.Township+campaign.Label("level", r.Level)+"牌"+r.Reasons) {
			t.Errorf("briefing lacks %s with its reasons %q", r.Township, r.Reasons)
		}
	}
	for _, tw := range cfg.Townships {
		var pdf bytes.Buffer
		if err := Dossier(ctx, db, tw.Name, fixtureAsOf, &pdf); err != nil {
			t.Fatalf("dossier %s: %v", tw.Name, err)
		}
	}
}

func checkScorecardPDF(t *testing.T, db *warehouse.DB, pdf []byte, asOf time.Time) {
	t.Helper()
	txt := pdfTool(t, pdf, "pdftotext", "-enc", "UTF-8", "-layout", "-f", "1", "-l", "2")
	want, err := scorecard(context.Background(), db, asOf)
	if err != nil {
		t.Fatal(err)
	}
	byTown := map[string]scoreRow{}
	for _, r := range want {
		byTown[r.Township] = r
	}
	seen := map[string]bool{}
	var order []string
	for _, line := range strings.Split(txt, "\n") {
		f := strings.Fields(line)
		if len(f) != 13 {
			continue
		}
		r, ok := byTown[f[1]]
		if !ok {
			continue
		}
		if _, err := strconv.Atoi(f[0]); err != nil {
			continue
		}
		seen[f[1]] = true
		order = append(order, f[1])
		ints := []int64{r.ViolationsDue, r.Detected, r.Missed, r.LedgerDue, r.RectOnTime, r.OverdueOpen, r.NewAfter}
		for k, col := range []int{2, 3, 4, 6, 7, 9, 10} {
			if got, err := strconv.ParseInt(f[col], 10, 64); err != nil || got != ints[k] {
				t.Errorf("%s column %s: PDF %q, mart %d", r.Township, scorecardColumns[col].Title, f[col], ints[k])
			}
		}
		for k, col := range []int{5, 8} {
			w := []sql.NullFloat64{r.MissedRate, r.RectRate}[k]
			checkRate(t, r.Township+" "+scorecardColumns[col].Title, f[col], w)
		}
		if f[11] != strconv.FormatInt(r.PatrolDone, 10)+"/"+strconv.FormatInt(r.PatrolWeeks, 10) {
			t.Errorf("%s patrol weeks: PDF %q, mart %d/%d", r.Township, f[11], r.PatrolDone, r.PatrolWeeks)
		}
		if f[12] != campaign.Label("level", r.Level) {
			t.Errorf("%s level: PDF %q, mart %q", r.Township, f[12], r.Level)
		}
	}
	if len(seen) != len(want) || len(want) == 0 {
		t.Errorf("found %d of %d townships in the scorecard table:\n%s", len(seen), len(want), txt)
	}
	// Ranked worst first: every red before every yellow before every green.
	for i := 1; i < len(order); i++ {
		if levelRank[byTown[order[i-1]].Level] > levelRank[byTown[order[i]].Level] {
			t.Errorf("%s (%s) ranked before %s (%s)", order[i-1], byTown[order[i-1]].Level, order[i], byTown[order[i]].Level)
		}
	}
}

func checkRate(t *testing.T, what, got string, want sql.NullFloat64) {
	t.Helper()
	if !want.Valid {
		if got != "—" {
			t.Errorf("%s: PDF %q, mart NULL", what, got)
		}
		return
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(got, "%"), 64)
	if err != nil || math.Abs(v/100-want.Float64) > 0.0005 {
		t.Errorf("%s: PDF %q, mart %v", what, got, want.Float64)
	}
}

func TestWeeklyRefusesStaleMarts(t *testing.T) {
	db := fixtureDB(t)
	err := Weekly(context.Background(), db, fixtureAsOf.AddDate(0, 0, 7), &bytes.Buffer{})
	if !errors.Is(err, queries.ErrNotBuilt) || !strings.Contains(err.Error(), "models run --as-of 2023-04-23") {
		t.Fatalf("got %v", err)
	}
}

// TestLongCampaignStaysShort renders a briefing with 44 weeks of the weekly mart and long lists:
// still at most six pages.
func TestLongCampaignStaysShort(t *testing.T) {
	db := fixtureDB(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `INSERT INTO mart_campaign_weekly
		SELECT week_start - CAST(7 * i AS INTEGER), week_end - CAST(7 * i AS INTEGER), isoyear(week_start - CAST(7 * i AS INTEGER)), weekofyear(week_start - CAST(7 * i AS INTEGER)),
		       new_patches, new_power_alerts, new_other_clues, violations_verified, problems_listed, items_rectified, cases_filed,
		       cases_to_police, cases_to_procuratorate, fines_yuan, confiscated_yuan, fines_collected_yuan, tips_received, tips_verified, rewards_approved,
		       rewards_approved_yuan, rewards_paid, rewards_paid_yuan, area_restored_mu
		FROM mart_campaign_weekly, range(9, 45, 9) r(i)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO mart_ledger BY NAME SELECT * REPLACE (item_id || '-b' AS item_id) FROM mart_ledger`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `UPDATE mart_township_scorecard SET level = 'red',
		reasons = '应排漏排12处；整改不到位34项；属地新增5处；巡查缺3周' WHERE as_of = ?`, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	if weeks, err := campaignWeeks(ctx, db, fixtureAsOf); err != nil || len(weeks) < 40 {
		t.Fatalf("%d weeks: %v", len(weeks), err)
	}
	var buf bytes.Buffer
	if err := Weekly(ctx, db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("LANDWATCH_KEEP_PDF"); dir != "" {
		os.WriteFile(filepath.Join(dir, "weekly-long.pdf"), buf.Bytes(), 0o644)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(pdfTool(t, buf.Bytes(), "pdfinfo"))
	if p, _ := strconv.Atoi(m[1]); p < 2 || p > 6 {
		t.Errorf("briefing has %d pages, want 2–6", p)
	}
}

// The briefing says when each kind of data last arrived, lists the silent meters, and marks a
// frozen date with its freeze time.
func TestWeeklyFreshnessAndFreeze(t *testing.T) {
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := Weekly(context.Background(), db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt := squash(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	want := []string{"九、数据报送情况"}
	rows, err := db.Query(`SELECT kind_name, strftime(last_received_at, '%Y-%m-%d %H:%M'), last_file FROM mart_data_freshness WHERE township IS NULL`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var kind, at, file string
		if err := rows.Scan(&kind, &at, &file); err != nil {
			t.Fatal(err)
		}
		want = append(want, kind, at, file)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(want) == 1 {
		t.Fatal("mart_data_freshness has no county-wide row: nothing to look for")
	}
	var gaps int
	scan(t, db, `SELECT count(*) FROM mart_power_gaps`, &gaps)
	if gaps == 0 {
		want = append(want, "所有监测电表的数据均在统计日前3天内送达，无数据中断")
	} else {
		want = append(want, fmt.Sprintf("用电数据中断：%d块电表超过3天无用电数据", gaps))
	}
	for _, w := range want {
		if !strings.Contains(txt, squash(w)) {
			t.Errorf("briefing lacks %q", w)
		}
	}
	// a silent closed mine is listed and counted
	if _, err := db.Exec(`INSERT INTO mart_power_gaps VALUES ('1439999999', '原沁河煤矿', '沁河镇', '沁河村', '关闭矿井', DATE '2023-04-09', 7, true)`); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := Weekly(context.Background(), db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt = squash(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	for _, w := range []string{fmt.Sprintf("用电数据中断：%d块电表超过3天无用电数据，其中关闭矿井电表1块", gaps+1), "1439999999"} {
		if !strings.Contains(txt, squash(w)) {
			t.Errorf("briefing lacks %q", w)
		}
	}
	if strings.Contains(txt, "已锁定") {
		t.Error("an unfrozen week is marked 已锁定")
	}
	if _, err := db.Exec(`UPDATE mart_township_scorecard SET frozen_at = TIMESTAMP '2023-04-17 09:30:00' WHERE as_of = ?`, fixtureAsOf); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	if err := Weekly(context.Background(), db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt = squash(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	if !strings.Contains(txt, squash("已锁定：本期数据已于2023-04-17 09:30锁定，此后不再变动")) {
		t.Errorf("the frozen week is not marked:\n%s", txt[:min(len(txt), 600)])
	}
}
