package warehouse

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/campaign"
)

func TestFreshAndReopen(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := Open(ctx, file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	migs, _ := Migrations()
	got, err := db.AppliedMigrations(ctx)
	if err != nil || len(got) != len(migs) {
		t.Fatalf("applied %v (err %v), want %d migrations", got, err, len(migs))
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM dim_townships`); n != 12 {
		t.Errorf("townships: %d", n)
	}
	if n := count(`SELECT count(*) FROM dim_phases`); n != 7 {
		t.Errorf("phases: %d", n)
	}
	if n := count(`SELECT count(*) FROM dim_categories`); n != 10 {
		t.Errorf("categories: %d", n)
	}
	var deadline string
	if err := db.QueryRowContext(ctx, `SELECT strftime(day, '%Y-%m-%d') FROM dim_parameters WHERE key = 'detection_deadline'`).Scan(&deadline); err != nil || deadline != "2023-03-14" {
		t.Errorf("detection_deadline: %q %v", deadline, err)
	}
	if n := count(`SELECT count(*) FROM dim_calendar WHERE day = DATE '2023-04-23' AND is_workday`); n != 1 {
		t.Error("04-23 (Sunday, 调休) should be a working day")
	}
	// an unconfirmed village survives re-applying the config
	if _, err := db.ExecContext(ctx, `INSERT INTO dim_villages VALUES ('沁河镇', '新发现村', false, 1)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(ctx, file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM schema_migrations`); n != len(migs) {
		t.Errorf("re-open applied migrations again: %d rows", n)
	}
	if n := count(`SELECT count(*) FROM campaign_config`); n != 1 {
		t.Errorf("re-open re-applied the config: %d rows", n)
	}
	// another configuration: one township fewer
	other := strings.Replace(string(campaign.DefaultTOML()), `name = "赤石桥乡"`, `name = "新设乡"`, 1)
	cfg, err := campaign.Parse("other.toml", []byte(other))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ApplyConfig(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM dim_townships WHERE township = '新设乡'`); n != 1 {
		t.Error("new township missing")
	}
	if n := count(`SELECT count(*) FROM dim_villages WHERE village = '新发现村' AND NOT confirmed`); n != 1 {
		t.Error("unconfirmed village lost")
	}
	// a configuration applied again replaces, not repeats, what it lists
	if n := count(`SELECT count(*) - count(DISTINCT customer_type) FROM dim_category_power_types`); n != 0 {
		t.Errorf("power types listed twice: %d extra rows", n)
	}
	if n := count(`SELECT count(*) FROM dim_customer_types WHERE customer_type IN ('非煤矿山', '危化企业') AND NOT builtin AND night_ratio > 0`); n != 2 {
		t.Errorf("configured customer types: %d rows, want 2", n)
	}
	if n := count(`SELECT count(*) FROM dim_periods`); n != 1 {
		t.Errorf("periods: %d rows, want 1", n)
	}
	if n := count(`SELECT count(*) FROM dim_calendar WHERE day = DATE '2024-02-04' AND is_workday`); n != 1 {
		t.Error("the 2024 calendar is missing its make-up working day 02-04")
	}
	c, err := db.Config(ctx)
	if err != nil || c.Source != "other.toml" {
		t.Errorf("config in force: %v %v", c, err)
	}
	db.Close()
}

// TestLockedByAnotherProcess opens the warehouse in a child process and checks the refusal here.
func TestLockedByAnotherProcess(t *testing.T) {
	if file := os.Getenv("LANDWATCH_TEST_HOLD"); file != "" {
		db, err := Open(context.Background(), file, Options{})
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("held\n")
		buf := make([]byte, 1)
		os.Stdin.Read(buf) // hold until the parent closes stdin
		db.Close()
		os.Exit(0)
	}
	file := filepath.Join(t.TempDir(), "w.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=TestLockedByAnotherProcess")
	cmd.Env = append(os.Environ(), "LANDWATCH_TEST_HOLD="+file)
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 5)
	if _, err := out.Read(buf); err != nil || string(buf) != "held\n" {
		t.Fatalf("child did not open the warehouse: %q %v", buf, err)
	}
	_, err := Open(context.Background(), file, Options{})
	stdin.Close()
	cmd.Wait()
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second opener: got %v, want ErrLocked", err)
	}
}
