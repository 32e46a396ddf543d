package queries

import (
	"errors"
	"strings"
	"testing"
	"time"

	"landwatch/campaign"
)

func TestModelsGraph(t *testing.T) {
	t.Parallel()
	models, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, m := range models {
		pos[m.Name] = i
	}
	for _, m := range models {
		if len(m.Tests) == 0 {
			t.Errorf("%s has no tests", m.Name)
		}
		for _, d := range m.Deps {
			if pos[d] > pos[m.Name] {
				t.Errorf("%s is built before its dependency %s", m.Name, d)
			}
		}
		if m.Layer != "staging" {
			for _, s := range m.Sources {
				if strings.HasPrefix(s, "raw_") || s == "load_batches" {
					t.Errorf("%s reads the raw table %s; only staging may", m.Name, s)
				}
			}
		}
	}
	for _, name := range []string{"mart_township_scorecard", "mart_violations", "mart_ledger", "mart_power_alerts", "mart_cases_pipeline", "mart_campaign_weekly"} {
		if _, ok := pos[name]; !ok {
			t.Errorf("no model %s", name)
		}
	}
}

func TestEmptyWarehouse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	res := f.run("2023-04-30")
	if len(res.Models) == 0 || res.Tests == 0 {
		t.Fatalf("built %d models, %d tests", len(res.Models), res.Tests)
	}
	cards := f.query(`SELECT * FROM mart_township_scorecard WHERE as_of = DATE '2023-04-30'`)
	if len(cards) != 12 {
		t.Fatalf("%d scorecard rows at 04-30, want 12", len(cards))
	}
	dates := f.query(`SELECT DISTINCT strftime(as_of, '%m-%d') AS d FROM mart_township_scorecard ORDER BY 1`)
	var got []string
	for _, d := range dates {
		got = append(got, d["d"].(string))
	}
	if want := "03-05 03-12 03-19 03-26 04-02 04-09 04-16 04-23 04-30"; strings.Join(got, " ") != want {
		t.Errorf("series %v, want %s", got, want)
	}
}

func TestDataTestFailure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patch("WP-1", t1, v1, "2023-03-02", 112.30, 36.50, nil)
	f.run("2023-04-30")
	for _, id := range []string{"T1", "T1"} {
		f.insert("tips", row{"tip_id": id, "received_at": "2023-03-06 10:00:00", "received_on": "2023-03-06", "township": t1,
			"status": "收到", "receipt_lookup": "x", "receipt_hash": "x"})
	}
	_, err := Run(f.ctx, f.db, RunOptions{AsOf: day(t, "2023-04-16")})
	var tf TestFailures
	if !errors.As(err, &tf) {
		t.Fatalf("err %v, want TestFailures", err)
	}
	msg := err.Error()
	for _, want := range []string{"stg_portal__tips", "unique(tip_id)", "tip_id=T1, n=2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	// nothing of the failed run is kept: the marts are still those as of 04-30
	expect(t, "kept", f.one(`SELECT as_of FROM run_parameters`), row{"as_of": "2023-04-30"})
	expect(t, "runs", f.one(`SELECT count(*) AS n FROM model_runs`), row{"n": 1})
	if n := len(f.query(`SELECT * FROM mart_township_scorecard WHERE as_of = DATE '2023-04-30'`)); n != 12 {
		t.Errorf("scorecard as of 04-30 has %d rows after the failed run", n)
	}
}

func TestDefaultAsOf(t *testing.T) {
	t.Parallel()
	cfg := campaign.Default()
	for _, c := range []struct{ now, want string }{
		{"2023-04-20T10:00:00Z", "2023-04-20"},
		{"2023-04-20T20:00:00Z", "2023-04-21"}, // already the 21st in Asia/Shanghai
		{"2023-12-31T12:00:00Z", "2023-12-31"},
		{"2024-02-10T12:00:00Z", "2024-02-10"}, // the 常态化 period of 2024
		{"2026-11-28T12:00:00Z", "2024-03-31"}, // the campaign is over: its last day (of the last period)
	} {
		now, err := time.Parse(time.RFC3339, c.now)
		if err != nil {
			t.Fatal(err)
		}
		if got := DefaultAsOf(cfg, now).Format("2006-01-02"); got != c.want {
			t.Errorf("now %s: as-of %s, want %s", c.now, got, c.want)
		}
	}
}

func TestSeriesEndsOnAsOf(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.run("2023-03-22")
	var got []string
	for _, d := range f.query(`SELECT strftime(as_of, '%m-%d') AS d FROM int_as_of_dates ORDER BY as_of`) {
		got = append(got, d["d"].(string))
	}
	if want := "03-05 03-12 03-19 03-22"; strings.Join(got, " ") != want {
		t.Errorf("series %v, want %s", got, want)
	}
}

// A model header with a key the runner does not know is refused with the file and line, so a typo
// cannot silently drop a data test; prose and indented comment lines are not keys.
func TestModelHeaderKeys(t *testing.T) {
	t.Parallel()
	_, err := parseModel("m", "marts", "marts/m.sql", "-- A model: what it is.\n--   detail: an indented note\n-- unique: a\n-- not_nul: b\nSELECT 1 AS a, 2 AS b\n")
	if err == nil || !strings.Contains(err.Error(), "marts/m.sql line 4: not_nul: unknown header key") {
		t.Fatalf("got %v", err)
	}
	m, err := parseModel("m", "marts", "marts/m.sql", "-- A model: what it is.\n--   detail: an indented note\n-- unique: a\nSELECT 1 AS a\n")
	if err != nil || len(m.Tests) != 1 {
		t.Fatalf("got %v %v", m, err)
	}
}
