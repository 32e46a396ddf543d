package queries

import (
	"fmt"
	"strings"
	"testing"

	"landwatch/campaign"
)

// acceptance inserts an acceptance record in a batch of its own received at recv ("YYYY-MM-DD HH:MM").
func (f *fixture) acceptance(recv, item, on, unit, result string) {
	f.t.Helper()
	f.received(f.newBatch("acceptances"), recv)
	f.insert("raw_acceptances", row{"item_id": item, "accepted_on": on, "unit": unit, "inspector": "验收人", "result": result,
		"note": "说明"})
}

// acceptanceFixture: problems P1…P4 of 郭道镇, the 责任分解表 received 03-20 making P1–P3 重点 and
// P4 一般, each due 04-30.
func acceptanceFixture(t *testing.T) *fixture {
	f := chainFixture(t)
	for _, id := range []string{"P1", "P2", "P3", "P4", "P5"} {
		f.problem(id, "郭道镇", "郭道村", "2023-03-10", nil)
	}
	f.received(f.newBatch("duties"), "2023-03-20 10:00")
	for _, d := range []struct{ id, class string }{{"P1", "重点"}, {"P2", "重点"}, {"P3", "重点"}, {"P4", "一般"}, {"P5", "重点"}} {
		f.insert("raw_duties", row{"item_id": d.id, "class": d.class, "unit": "县自然资源局", "deadline": "2023-04-30"})
	}
	return f
}

// A 重点 item declared 已整改 and never accepted is 待验收 — neither rectified nor overdue — through
// its acceptance deadline (10 working days after the declaration on the calendar: Friday 04-07 →
// Friday 04-21, the 清明 holiday and weekends skipped) and the rest day after it, and turns 整改不到位
// (未验收) on the next working day (Sunday 04-23, a make-up working day), not before; the scorecard
// shows it as 待验收, then as 整改不到位. The 一般 item stays done on the township's declaration.
func TestAcceptanceDeadline(t *testing.T) {
	t.Parallel()
	f := acceptanceFixture(t)
	f.rectified("P1", "2023-04-07")
	f.rectified("P4", "2023-04-07")
	// P5 was declared done before it became 重点: its acceptance counts from the 责任分解表's arrival
	f.rectified("P5", "2023-03-15")
	ledger := func(id string) row { return f.one(`SELECT * FROM mart_ledger WHERE item_id = ?`, id) }
	for _, c := range []struct {
		asOf    string
		overdue bool
	}{{"2023-04-07", false}, {"2023-04-20", false}, {"2023-04-21", false}, {"2023-04-22", false}, {"2023-04-23", true}, {"2023-04-24", true}} {
		f.run(c.asOf)
		want := row{"status_as_of": "待验收", "rectified_on": "2023-04-07", "on_time": false, "overdue": c.overdue,
			"acceptance_due": "2023-04-21", "accepted_on": nil, "overdue_reason": nil}
		awaiting, overdue := 1, 1 // P5 is overdue throughout
		if c.overdue {
			want["overdue_reason"] = "未验收"
			awaiting, overdue = 0, 2
		}
		expect(t, "P1 as of "+c.asOf, ledger("P1"), want)
		expect(t, "P4 as of "+c.asOf, ledger("P4"), row{"status_as_of": "已整改", "overdue": false, "acceptance_due": nil})
		card := f.card(c.asOf, "郭道镇")
		if p5 := ledger("P5"); p5["acceptance_due"] != "2023-04-03" || p5["overdue"] != true {
			t.Errorf("P5 as of %s: %v, want due 2023-04-03 (from the 责任分解表's arrival) and overdue", c.asOf, p5)
		}
		expect(t, "card "+c.asOf, card, row{"awaiting_acceptance": awaiting, "overdue_open": overdue})
		if want := fmt.Sprintf("整改不到位%d项", overdue); !strings.Contains(card["reasons"].(string), want) {
			t.Errorf("card %s reasons %q, want %s", c.asOf, card["reasons"], want)
		}
	}
	// as of 04-03 (P5's due day) P5 is still awaiting; the working day after, 整改不到位
	f.run("2023-04-03")
	expect(t, "P5 as of 04-03", ledger("P5"), row{"status_as_of": "待验收", "overdue": false})
	f.run("2023-04-04")
	expect(t, "P5 as of 04-04", ledger("P5"), row{"status_as_of": "待验收", "overdue": true, "overdue_reason": "未验收"})
}

// An acceptance counts only from when the county knew it and from its date: one dated 04-12 whose
// file arrived 04-14 changes nothing as of 04-13, and afterwards makes the item rectified on time
// for every as-of from 04-14 (the earlier as-ofs stay as they were). One by a unit that is not the
// category's accepting unit, or dated before the declaration, does not count.
func TestAcceptanceAsKnown(t *testing.T) {
	t.Parallel()
	f := acceptanceFixture(t)
	f.rectified("P1", "2023-04-07")
	f.rectified("P2", "2023-04-07")
	f.acceptance("2023-04-14 09:00", "P1", "2023-04-12", "县自然资源局", "合格")
	f.acceptance("2023-04-10 09:00", "P2", "2023-04-10", "县公安局", "合格")       // not the accepting unit
	f.acceptance("2023-04-10 09:00", "P2", "2023-04-06", "县自然资源局", "合格")     // before the declaration
	f.acceptance("2023-04-10 09:00", "P3", "2023-04-10", "市生态环境局沁源分局", "合格") // P3 never declared done
	f.run("2023-04-13")
	expect(t, "P1 as of 04-13", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`), row{"status_as_of": "待验收", "accepted_on": nil, "on_time": false})
	expect(t, "card 04-13", f.card("2023-04-13", "郭道镇"), row{"awaiting_acceptance": 2})
	f.run("2023-04-30")
	expect(t, "P1 as of 04-30", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`),
		row{"status_as_of": "已整改", "accepted_on": "2023-04-12", "on_time": true, "overdue": false})
	expect(t, "P2 as of 04-30", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P2'`),
		row{"status_as_of": "待验收", "overdue": true, "overdue_reason": "未验收"})
	expect(t, "P3 as of 04-30", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P3'`), row{"status_as_of": "未整改"})
	// the series keeps each week as known then: as of Sunday 04-09 P1 awaited its acceptance
	expect(t, "card 04-09", f.card("2023-04-09", "郭道镇"), row{"awaiting_acceptance": 2, "rectified_on_time": 0})
	expect(t, "card 04-16", f.card("2023-04-16", "郭道镇"), row{"awaiting_acceptance": 1})
	expect(t, "card 04-30", f.card("2023-04-30", "郭道镇"), row{"awaiting_acceptance": 0, "rectified_on_time": 1, "overdue_open": 1})
}

// 不合格 reopens the item like 整改不实: from the acceptance's date (as known then) its declaration no
// longer counts, it is counted 整改不实; declared again and accepted, it is rectified (late when past
// its deadline).
func TestAcceptanceRejectedReopens(t *testing.T) {
	t.Parallel()
	f := acceptanceFixture(t)
	f.rectified("P1", "2023-04-07")
	f.acceptance("2023-04-12 09:00", "P1", "2023-04-12", "县自然资源局", "不合格")
	f.run("2023-04-11")
	expect(t, "P1 as of 04-11", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`), row{"status_as_of": "待验收", "reopened_on": nil})
	f.run("2023-04-12")
	expect(t, "P1 as of 04-12", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`),
		row{"status_as_of": "未整改", "rectified_on": nil, "reopened_on": "2023-04-12", "acceptance_due": nil, "overdue": false})
	expect(t, "card 04-12", f.card("2023-04-12", "郭道镇"), row{"rectification_false": 1, "awaiting_acceptance": 0})
	f.newBatch("rectification")
	f.rectified("P1", "2023-05-04")
	f.acceptance("2023-05-08 09:00", "P1", "2023-05-08", "县自然资源局", "合格")
	f.run("2023-05-07")
	expect(t, "P1 as of 05-07", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`),
		row{"status_as_of": "待验收", "rectified_on": "2023-05-04", "overdue": false, "reopened_on": "2023-04-12"})
	f.run("2023-05-14")
	expect(t, "P1 as of 05-14", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`),
		row{"status_as_of": "已整改", "accepted_on": "2023-05-08", "on_time": false, "overdue": false})
	expect(t, "card 05-14", f.card("2023-05-14", "郭道镇"), row{"rectification_false": 1})
}

// acceptance.all_items requires the acceptance of 一般 items too.
func TestAcceptanceAllItems(t *testing.T) {
	t.Parallel()
	f := acceptanceFixture(t)
	f.rectified("P4", "2023-04-07")
	text := strings.Replace(string(campaign.Default().Text), "all_items = false", "all_items = true", 1)
	cfg, err := campaign.Parse("all.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.ApplyConfig(f.ctx, cfg); err != nil {
		t.Fatal(err)
	}
	f.run("2023-04-20")
	expect(t, "P4 as of 04-20", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P4'`), row{"status_as_of": "待验收", "acceptance_due": "2023-04-21"})
}
