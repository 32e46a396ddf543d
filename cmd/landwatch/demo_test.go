package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoNoServe runs the whole demo on the tiny county and checks what it leaves behind.
func TestDemoNoServe(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole demo")
	}
	dir := filepath.Join(t.TempDir(), "demo")
	out, errs, code := lw(t, "demo", "--dir", dir, "--scale", "tiny", "--seed", "7", "--no-serve")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	for _, step := range []string{"[1/6]", "[2/6]", "[3/6]", "[4/6]", "[5/6]", "[6/6]"} {
		if !strings.Contains(out, step) {
			t.Errorf("step %s not reported", step)
		}
	}
	if strings.Contains(out, "not done yet") || strings.Contains(out, "skipped") {
		t.Errorf("a step was not done:\n%s", out)
	}
	if n := strings.Count(out, "password (shown once)"); n != len(demoRoles) {
		t.Errorf("%d passwords printed, want one per role (%d)", n, len(demoRoles))
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "briefing-2023-04-30.pdf"))
	if err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatalf("briefing: %v", err)
	}
	db := filepath.Join(dir, "landwatch.duckdb")
	q := `SELECT (SELECT count(DISTINCT township) FROM mart_township_scorecard WHERE as_of = DATE '2023-04-30') AS towns,
		(SELECT count(*) FROM users) AS users, (SELECT count(*) FROM dim_township_boundaries) AS bounds`
	got, errs, code := lw(t, "--db", db, "sql", "--format", "csv", q)
	if code != 0 || strings.TrimSpace(got) != "towns,users,bounds\n12,7,12" {
		t.Errorf("warehouse after the demo: %d %q %s", code, got, errs)
	}

	// A re-run clears its own earlier demo; a folder it did not write is refused.
	if _, errs, code := lw(t, "demo", "--dir", dir, "--scale", "tiny", "--seed", "7", "--no-serve"); code != 0 {
		t.Fatalf("re-run: exit %d %s", code, errs)
	}
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "keep.txt"), "mine")
	if _, errs, code := lw(t, "demo", "--dir", other, "--no-serve"); code != 1 || !strings.Contains(errs, "not written by landwatch demo") {
		t.Errorf("foreign folder: exit %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(other, "keep.txt")); err != nil {
		t.Error("the demo touched a folder it did not write")
	}
}
