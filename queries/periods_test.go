package queries

import (
	"strings"
	"testing"

	"landwatch/campaign"
)

// TestPeriodDeadlines: a problem or violation first seen in the 2024 常态化 period is due by the
// period's rectification deadline (campaign/default.toml [[period]]); one after it, late_item_days
// after it was seen; a 整改时限 written on the form still wins. The weekly series runs across the
// turn of the year.
func TestPeriodDeadlines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.problem("P-2023", t1, v1, "2023-03-10", nil)
	f.problem("P-period", t1, v1, "2024-03-05", nil)
	f.problem("P-period-given", t1, v1, "2024-03-05", row{"deadline": "2024-03-20"})
	f.problem("P-after", t1, v1, "2024-04-10", nil)
	f.patch("WP-period", t1, v2, "2024-02-01", 112.60, 36.90, nil)
	f.run("2024-04-30")
	got := map[string]any{}
	for _, r := range f.query(`SELECT item_id, deadline FROM mart_ledger`) {
		got[r["item_id"].(string)] = r["deadline"]
	}
	want := map[string]any{"P-2023": "2023-04-15", "P-period": "2024-03-31", "P-period-given": "2024-03-20",
		"P-after": "2024-05-10", "WP-period": "2024-03-31"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s deadline %v, want %v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("ledger %v", got)
	}
	weeks := f.one(`SELECT count(*) AS weeks, count(DISTINCT iso_year) AS years, min(week_start) AS first, max(week_start) AS last,
		CAST(sum(problems_listed) AS BIGINT) AS listed FROM mart_campaign_weekly`)
	expect(t, "weekly series", weeks, row{"years": int64(2), "first": "2023-02-20", "last": "2024-04-29", "listed": int64(4)})
}

// TestPatrolWeeksSkipGap: with a 常态化 period that does not follow the look-back at once, the weeks
// in between owe no patrol; the period's weeks do.
func TestPatrolWeeksSkipGap(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	text := strings.Replace(string(campaign.DefaultTOML()),
		"start = 2024-01-01\nend = 2024-03-31\ndetection_deadline = 2024-03-15\nrectification_deadline = 2024-03-31",
		"start = 2024-04-01\nend = 2024-06-30\ndetection_deadline = 2024-06-15\nrectification_deadline = 2024-06-30", 1)
	cfg, err := campaign.Parse("gap.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.ApplyConfig(f.ctx, cfg); err != nil {
		t.Fatal(err)
	}
	f.patrol(t1, "2024-04-02")
	f.run("2024-04-14")
	got := f.one(`SELECT count(*) AS weeks, count(*) FILTER (WHERE done) AS done, min(week_start) FILTER (WHERE week_start > DATE '2023-12-31') AS first_2024
		FROM int_patrol_weeks WHERE as_of = DATE '2024-04-14' AND township = ?`, t1)
	// 2023-02-27 … 2023-12-25 (44 weeks) and the period's 2024-04-01, 2024-04-08
	expect(t, "patrol weeks", got, row{"weeks": int64(46), "done": int64(1), "first_2024": "2024-04-01"})
}
