package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDemoNoServe runs the whole demo on the tiny county and checks what it leaves behind.
func TestDemoNoServe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole demo")
	}
	cacheHome := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", cacheHome) // the synthetic county's cache (demo_cache.go)
	// what another build cached of the same county is removed once this one is cached; another
	// seed's and what is not a cached county are kept
	synth := filepath.Join(cacheHome, "landwatch", "synth")
	for _, d := range []string{"0123456789abcdef-tiny-7", "0123456789abcdef-tiny-7.warehouse", "0123456789abcdef-tiny-8", "notes-tiny-7"} {
		if err := os.MkdirAll(filepath.Join(synth, d), 0o700); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(synth, d, "manifest.json"), "{}")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	out, errs, code := lwUmask(t, "demo", "--dir", dir, "--scale", "tiny", "--seed", "7", "--no-serve")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	// started with umask 022, the demo folder is still the owner's only
	assertPrivate(t, dir)
	// the terminal gets the summary only; the steps' own output and logs are in the log file
	assertQuietDemo(t, out, errs)
	term := out
	raw, err := os.ReadFile(filepath.Join(dir, demoLogName))
	if err != nil {
		t.Fatal(err)
	}
	out = string(raw)
	for i := 1; i <= 22; i++ {
		if step := fmt.Sprintf("[%d/22]", i); !strings.Contains(out, step) {
			t.Errorf("step %s not reported", step)
		}
	}
	// the planted late list, the recurrence and the freeze show in the output
	for _, want := range []string{"迟报：表上日期 03-13，03-21 才报送，晚于 03-14 截止", "WP2023-03-0005", "1430000011-CLM-20230303",
		"2023-04-30 已锁定", "已移交纪检监察：", "已记录处理结果：", "追责问责名单（截至 2023-05-07）", "已处理", "诫勉",
		// 公安 and the township check the planted explosives flow and night camera event on the console
		"民爆流向线索 MB-0007：公安 核查属实", "视频监控线索 SP-0001：郭道镇 核查属实"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(out, "not done yet") || strings.Contains(out, "skipped") {
		t.Errorf("a step was not done:\n%s", out)
	}
	// the load's warnings are summarised, one line a kind, the full list in a file
	if !strings.Contains(out, "导入提示共") || strings.Count(out, "  提示：") > 0 {
		t.Errorf("warnings not summarised: %d warning lines", strings.Count(out, "  提示："))
	}
	if _, err := os.Stat(filepath.Join(dir, "landwatch.duckdb.warnings.txt")); err != nil {
		t.Errorf("the full list of warnings: %v", err)
	}
	// passwords and addresses come last, in one box, then the line that starts the portal
	box := term[strings.LastIndex(term, "┌"):]
	if n := strings.Count(box, "密码 "); n != len(demoRoles) || !strings.Contains(box, "/staff/login") || !strings.HasSuffix(strings.TrimSpace(box), "/staff/login") {
		t.Errorf("%d passwords in the closing box, want one per role (%d):\n%s", n, len(demoRoles), box)
	}
	// the summary names the receipt codes the portal's demo tips got, and both days' figures
	for _, want := range []string{"截至 2023-04-30（追责问责阶段结束）", "截至 2024-03-31（", "演示回执码"} {
		if !strings.Contains(term, want) {
			t.Errorf("the summary lacks %q:\n%s", want, term)
		}
	}
	if i := strings.Index(out, "电话举报的回执码（纸质回执交举报人）："); i < 0 {
		t.Error("the log lacks the receipt codes")
	} else if code, _, _ := strings.Cut(out[i+len("电话举报的回执码（纸质回执交举报人）："):], "；"); !strings.Contains(term, code) {
		t.Errorf("the summary lacks the phone tip's receipt code %s", code)
	}
	// the portal has life: tips in every status, one about officials and one by phone, rewards with
	// one paid, a published snapshot, briefings where the portal lists them, notices and digests
	for _, want := range []string{"举报 9 条（网络 8、电话 1，其中涉及公职人员 1 条只交纪检监察）", "公众页面 /stats 现显示截至 2023-04-30 的统计",
		"通知-2023-05-07-郭道镇.txt", "通知-2023-05-07-领导小组办公室.txt"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	for _, f := range []string{"briefings/briefing-20230430.pdf", "briefings/briefing-20230423.pdf", "briefings/briefing-20240331.pdf",
		"回头看-2023-05-07.pdf", "责任分解表-2023-04-30.xlsx"} {
		pdf, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !(strings.HasPrefix(string(pdf), "%PDF-") || strings.HasPrefix(string(pdf), "PK")) {
			t.Fatalf("briefing %s: %v", f, err)
		}
	}
	db := filepath.Join(dir, "landwatch.duckdb")
	q := `SELECT (SELECT count(DISTINCT township) FROM mart_township_scorecard WHERE as_of = DATE '2023-04-30') AS towns,
		(SELECT count(*) FROM users) AS users, (SELECT count(*) FROM dim_township_boundaries) AS bounds,
		(SELECT count(DISTINCT status) FROM tips) AS statuses, (SELECT count(*) FROM payouts) AS paid,
		(SELECT count(*) FROM briefings) AS briefings, (SELECT count(*) FROM stats_snapshots) AS snapshots,
		(SELECT count(*) > 0 FROM notifications WHERE kind = 'overdue' AND created_at < TIMESTAMP '2023-05-08') AS overdue`
	got, errs, code := lw(t, "--db", db, "sql", "--format", "csv", q)
	if code != 0 || strings.TrimSpace(got) != fmt.Sprintf("towns,users,bounds,statuses,paid,briefings,snapshots,overdue\n12,%d,12,7,1,3,1,true", len(demoRoles)) {
		t.Errorf("warehouse after the demo: %d %q %s", code, got, errs)
	}

	if strings.Contains(out, "合成县数据取自缓存") || strings.Contains(out, "数据仓库取自缓存") {
		t.Error("the first demo found the county or its warehouse in an empty cache")
	}
	for d, keep := range map[string]bool{"0123456789abcdef-tiny-7": false, "0123456789abcdef-tiny-7.warehouse": false,
		"0123456789abcdef-tiny-8": true, "notes-tiny-7": true} {
		if _, err := os.Stat(filepath.Join(synth, d)); (err == nil) != keep {
			t.Errorf("cache folder %s: kept %v, want %v", d, err == nil, keep)
		}
	}
	// A re-run clears its own earlier demo and takes the county from the cache; a folder it did
	// not write is refused.
	if _, errs, code := lw(t, "demo", "--dir", dir, "--scale", "tiny", "--seed", "7", "--no-serve"); code != 0 {
		t.Fatalf("re-run: exit %d %s", code, errs)
	}
	raw, err = os.ReadFile(filepath.Join(dir, demoLogName))
	if err != nil || !strings.Contains(string(raw), "合成县数据取自缓存") {
		t.Errorf("the re-run generated the county again (%v)", err)
	}
	// and copied the warehouse as loaded the first time (the warnings' file with it), and the rest of
	// the demo ran on it as on a loaded one
	if !strings.Contains(string(raw), "数据仓库取自缓存") || !strings.Contains(string(raw), "导入提示共") {
		t.Error("the re-run loaded the county again, or its log lacks the first load's record")
	}
	if _, err := os.Stat(filepath.Join(dir, "landwatch.duckdb.warnings.txt")); err != nil {
		t.Errorf("the re-run's list of warnings: %v", err)
	}
	if got, errs, code := lw(t, "--db", db, "sql", "--format", "csv", q); code != 0 || strings.TrimSpace(got) != fmt.Sprintf("towns,users,bounds,statuses,paid,briefings,snapshots,overdue\n12,%d,12,7,1,3,1,true", len(demoRoles)) {
		t.Errorf("warehouse after the re-run: %d %q %s", code, got, errs)
	}
	if got, errs, code := lw(t, "--db", db, "audit", "verify"); code != 0 {
		t.Errorf("audit verify after the re-run: exit %d\n%s\n%s", code, got, errs)
	}
	assertPrivate(t, dir)
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "keep.txt"), "mine")
	if _, errs, code := lw(t, "demo", "--dir", other, "--no-serve"); code != 1 || !strings.Contains(errs, "不是 landwatch demo 生成的") {
		t.Errorf("foreign folder: exit %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(other, "keep.txt")); err != nil {
		t.Error("the demo touched a folder it did not write")
	}
}

// englishWord is a run of two or more Latin letters.
var englishWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// assertQuietDemo checks what the demo printed on the terminal: under 60 lines, nothing on stderr,
// no log line, and no English word outside URLs, file and folder names, flag names, the command
// line that starts the portal (the program's and its subcommand's names), and the accounts' names
// and passwords (credentials, not words).
func assertQuietDemo(t *testing.T, out, errs string) {
	t.Helper()
	if n := strings.Count(out, "\n"); n >= 60 {
		t.Errorf("the demo printed %d lines, want under 60:\n%s", n, out)
	}
	if strings.TrimSpace(errs) != "" {
		t.Errorf("the demo wrote to stderr:\n%s", errs)
	}
	for i, line := range strings.Split(out, "\n") {
		rest := line
		for _, f := range strings.Fields(line) {
			if strings.Contains(f, "://") || strings.Contains(f, "/") || strings.Contains(f, ".") || strings.HasPrefix(f, "--") {
				rest = strings.Replace(rest, f, " ", 1)
			}
		}
		for _, pre := range []string{"账号 ", "密码 "} {
			for j := strings.Index(rest, pre); j >= 0; j = strings.Index(rest, pre) {
				word, _, _ := strings.Cut(strings.TrimLeft(rest[j+len(pre):], " "), " ")
				rest = rest[:j] + strings.Replace(rest[j+len(pre):], word, " ", 1)
			}
		}
		rest = strings.NewReplacer("landwatch ", " ", " serve ", " ").Replace(rest)
		if w := englishWord.FindString(rest); w != "" {
			t.Errorf("line %d has the English word %q: %s", i+1, w, line)
		}
	}
}
