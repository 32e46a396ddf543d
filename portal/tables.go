package portal

import "slices"

// Work tables, phone first (portal/README.md, "Work tables"). A list a person works through shows
// first the column they decide on (等级, 状态) and then the row's id; on a wide screen these two stay
// in view while the rest scrolls (CSS: table.cards, the first two columns sticky), and on a narrow
// one every row becomes a card whose cells carry their headings (data-label; static/cards.js
// fills them in for a table whose template did not). The row's actions are buttons in the row
// with its id filled in.

// leadCols are, for each mart shown as a list, the decision column and the id column, in that
// order: they come first on the page (exports keep the mart's order).
var leadCols = map[string][]string{
	"mart_township_scorecard": {"level", "township"},
	"mart_ledger":             {"status_as_of", "item_id"},
	"mart_violations":         {"detection_status", "violation_id"},
	"mart_accountability":     {"status", "item_id"},
	"mart_imagery_triage":     {"licence_status", "patch_id"},
	"mart_power_gaps":         {"closed_mine", "meter_id"},
	"mart_data_freshness":     {"kind_name", "last_received_at"},
}

// lead moves the named columns, those the table has, to its front in the order given.
func (t *table) lead(cols []string) {
	if t == nil {
		return
	}
	var order []int
	for _, c := range cols {
		if i := slices.Index(t.Cols, c); i >= 0 {
			order = append(order, i)
		}
	}
	for i := range t.Cols {
		if !slices.Contains(order, i) {
			order = append(order, i)
		}
	}
	pick := func(s []string) []string {
		out := make([]string, len(order))
		for k, i := range order {
			if i < len(s) {
				out[k] = s[i]
			}
		}
		return out
	}
	t.Cols, t.Labels = pick(t.Cols), pick(t.Labels)
	for r := range t.Rows {
		t.Rows[r] = pick(t.Rows[r])
	}
}

// colIndex is where column col stands in t; -1 when it has none.
func (t *table) colIndex(col string) int {
	if t == nil {
		return -1
	}
	return slices.Index(t.Cols, col)
}
