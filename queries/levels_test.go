package queries

import (
	"fmt"
	"testing"
)

// township builds one township's story for the level tests: detected and missed patches (each
// detected one listed by a problem that names it), new patches after rectification, problems with
// no violation, how their items were rectified, and the weeks without a patrol.
type township struct {
	name             string
	detected, missed int
	newAfter         int
	onTime, late     int // extra problems rectified by 04-15 / on 04-20
	open             int // extra problems never rectified
	skipWeeks        []string
}

// patrolDays are one Wednesday in each of the 9 ISO weeks 02-27 … 04-24.
var patrolDays = []string{"2023-03-01", "2023-03-08", "2023-03-15", "2023-03-22", "2023-03-29",
	"2023-04-05", "2023-04-12", "2023-04-19", "2023-04-26"}

func (tw township) plant(f *fixture, n int) {
	id := func(kind string, i int) string { return fmt.Sprintf("%s-%d-%s%d", "T", n, kind, i) }
	lon := func(i int) float64 { return 111.95 + float64(n)*0.05 + float64(i)*0.004 } // 350 m apart
	k := 0
	for i := 0; i < tw.detected; i++ {
		k++
		pid := id("WP", k)
		f.patch(pid, tw.name, "甲村", "2023-03-02", lon(k), 36.5, nil)
		f.problem(id("P", k), tw.name, "甲村", "2023-03-10", row{"remark": pid})
		f.rectified(id("P", k), "2023-04-10")
	}
	for i := 0; i < tw.missed; i++ {
		k++
		f.patch(id("WP", k), tw.name, "甲村", "2023-03-02", lon(k), 36.5, nil)
		f.rectified(id("WP", k), "2023-04-10")
	}
	for i := 0; i < tw.newAfter; i++ {
		k++
		f.patch(id("WP", k), tw.name, "甲村", "2023-04-20", lon(k), 36.5, nil)
	}
	for i := 0; i < tw.onTime+tw.late+tw.open; i++ {
		k++
		f.problem(id("P", k), tw.name, "甲村", "2023-03-10", nil)
		switch {
		case i < tw.onTime:
			f.rectified(id("P", k), "2023-04-15")
		case i < tw.onTime+tw.late:
			f.rectified(id("P", k), "2023-04-20")
		}
	}
	skip := map[string]bool{}
	for _, d := range tw.skipWeeks {
		skip[d] = true
	}
	for _, d := range patrolDays {
		if !skip[d] {
			f.patrol(tw.name, d)
		}
	}
}

func TestLevelsAndReasons(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cases := []struct {
		tw             township
		level, reasons string
	}{
		{township{name: "沁河镇", detected: 1}, "green", ""},
		// missed 1 of 3 (0.33 ≥ 0.3)
		{township{name: "郭道镇", detected: 2, missed: 1}, "red", "应排漏排1处"},
		// missed exactly 0.3 of 10
		{township{name: "交口乡", detected: 7, missed: 3}, "red", "应排漏排3处"},
		// missed 1 of 4 (0.25)
		{township{name: "灵空山镇", detected: 3, missed: 1}, "yellow", "应排漏排1处"},
		// two new after rectification
		{township{name: "王和镇", newAfter: 2}, "red", "属地新增2处"},
		{township{name: "景凤镇", newAfter: 1}, "yellow", "属地新增1处"},
		// 4 of 5 on time: rate exactly 0.8 is not red
		{township{name: "王陶镇", onTime: 4, open: 1}, "yellow", "整改不到位1项"},
		// 3 of 5 on time (0.6): red, though only one is still open
		{township{name: "中峪乡", onTime: 3, late: 1, open: 1}, "red", "整改不到位1项"},
		// rectified late but nothing open: red by the rate alone, no reason to name
		{township{name: "法中乡", onTime: 1, late: 1}, "red", ""},
		{township{name: "聪子峪乡", skipWeeks: []string{"2023-03-08", "2023-04-26"}}, "yellow", "巡查缺2周"},
		// every reason, in order
		{township{name: "韩洪乡", detected: 9, missed: 1, newAfter: 1, open: 1, skipWeeks: []string{"2023-04-05"}},
			"yellow", "应排漏排1处；整改不到位1项；属地新增1处；巡查缺1周"},
	}
	names := map[string]bool{}
	for _, tw := range f.query(`SELECT township FROM dim_townships`) {
		names[tw["township"].(string)] = true
	}
	for i, c := range cases {
		if !names[c.tw.name] {
			t.Fatalf("no township %s in the default config", c.tw.name)
		}
		c.tw.plant(f, i)
	}
	f.run("2023-04-30")
	for _, c := range cases {
		expect(t, c.tw.name, f.card("2023-04-30", c.tw.name), row{"level": c.level, "reasons": c.reasons})
	}
	expect(t, "交口乡 figures", f.card("2023-04-30", "交口乡"), row{
		"violations_due": 10, "detected": 7, "missed": 3, "missed_detection_rate": 0.3,
		"ledger_due": 10, "rectified_on_time": 10, "rectification_rate": 1.0, "patrol_compliance": 1.0})
	expect(t, "王陶镇 figures", f.card("2023-04-30", "王陶镇"), row{"ledger_due": 5, "rectified_on_time": 4, "rectification_rate": 0.8})
	expect(t, "聪子峪乡 figures", f.card("2023-04-30", "聪子峪乡"), row{"patrol_weeks": 9, "patrol_weeks_done": 7, "patrol_compliance": 7.0 / 9})
	// the week of 04-24 counts from its Monday: as of 04-24 the 04-26 patrol has not happened yet
	expect(t, "沁河镇 04-23", f.card("2023-04-23", "沁河镇"), row{"patrol_weeks": 8, "patrol_weeks_done": 8})
}

func TestNullRates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patrol("沁河镇", "2023-02-21")
	f.run("2023-02-26")
	cards := f.query(`SELECT * FROM mart_township_scorecard`)
	if len(cards) != 12 {
		t.Fatalf("%d rows as of 02-26 (before the self-check: only the as-of), want 12", len(cards))
	}
	for _, c := range cards {
		expect(t, c["township"].(string), c, row{"as_of": "2023-02-26", "violations_due": 0, "missed_detection_rate": nil,
			"ledger_due": 0, "rectification_rate": nil, "patrol_weeks": 0, "patrol_compliance": nil,
			"level": "green", "reasons": ""})
	}
}

func TestPatrolsPerWeek(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// two logs in the week of 03-06, one in the week of 03-13; a log on Monday 02-27 counts for the
	// week holding 03-01
	f.patrol("沁河镇", "2023-02-27", "2023-03-06", "2023-03-12", "2023-03-13")
	f.run("2023-03-19")
	expect(t, "1 a week", f.card("2023-03-19", "沁河镇"), row{"patrol_weeks": 3, "patrol_weeks_done": 3, "level": "green"})
	f.exec(`UPDATE dim_parameters SET num = 2 WHERE key = 'patrols_per_week'`)
	f.run("2023-03-19")
	expect(t, "2 a week", f.card("2023-03-19", "沁河镇"), row{"patrol_weeks": 3, "patrol_weeks_done": 1, "level": "yellow", "reasons": "巡查缺2周"})
}
