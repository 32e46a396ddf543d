package queries

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/etl/synth"
)

// TestChannelsTiny: on the synthetic county, every explosives flow and camera event has the reasons
// truth.json states (as of the end of the data, from the files alone: the off-licence flow beside a
// closed mine and the night event are clues, the normal flows and daytime events are not); with the
// console's checks (console.json, clue_checks) inserted as store/cluecheck writes them, the two
// clues checked 属实 are the violations truth.json's console states as of details_as_of — the flow
// detected by the problem its township listed, the night event at a site its township did not list
// missed (应排漏排).
func TestChannelsTiny(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "tiny")
	var truth synth.Truth
	var con synth.Console
	for name, v := range map[string]any{"truth.json": &truth, synth.ConsolePath: &con} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if truth.Channels == nil || len(truth.Channels.Flows) == 0 || len(truth.Channels.Events) == 0 || truth.Console == nil || truth.Console.Channels == nil {
		t.Fatal("truth.json states no flows, camera events or their console checks")
	}
	f := loadedFixture(t, dir)
	f.run(truth.DataTo)
	for _, c := range []struct {
		mart, id string
		want     []synth.ClueTruth
	}{{"mart_explosives_flows", "flow_id", truth.Channels.Flows}, {"mart_video_events", "event_id", truth.Channels.Events}} {
		got := map[string]string{}
		for _, r := range f.query(`SELECT ` + c.id + ` AS id, reasons FROM ` + c.mart) {
			got[r["id"].(string)] = r["reasons"].(string)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: %d rows, truth states %d", c.mart, len(got), len(c.want))
		}
		for _, w := range c.want {
			if g, ok := got[w.ID]; !ok || g != w.Reasons {
				t.Errorf("%s %s: reasons %q, want %q", c.mart, w.ID, g, w.Reasons)
			}
		}
	}
	for _, k := range con.ClueChecks {
		f.insert("clue_check_entries", row{"channel": k.Channel, "item_id": k.ItemID, "checked_on": k.CheckedOn, "result": k.Result,
			"note": k.Note, "entered_by": k.By, "unit": k.Unit, "entered_at": k.EnteredAt + ":00"})
	}
	f.run(truth.DetailsAsOf)
	ct := truth.Console.Channels
	for _, c := range []struct{ id, violation, status string }{{ct.FlowID, ct.FlowViolation, ct.FlowStatus}, {ct.EventID, ct.EventViolation, ct.EventStatus}} {
		vs := f.query(`SELECT * FROM mart_violations WHERE list_contains(string_split(source_refs, ','), ?)`, c.id)
		if len(vs) != 1 {
			t.Errorf("%s is in %d violations, want 1", c.id, len(vs))
			continue
		}
		expect(t, c.id, vs[0], row{"violation_id": c.violation, "detection_status": c.status})
	}
	if ct.EventStatus != "missed" || !strings.Contains(ct.FlowReasons, "outside_licence") {
		t.Errorf("the planted clues are not as the generator plans them: %+v", ct)
	}
}
