package warehouse

import "landwatch/campaign"

// acceptanceParameters are [acceptance] of the configuration as parameters: the days the acceptance
// is due in (acceptance_due_workdays), whether every item needs it (acceptance_all_items, 1 or 0), and
// per category code the accepting unit's full name (acceptance_unit:<code>), which
// stg_config__acceptance_units reads.
func acceptanceParameters(c *campaign.Config) []Param {
	all := 0.0
	if c.Acceptance.AllItems {
		all = 1
	}
	ps := []Param{num("acceptance_due_workdays", float64(c.Acceptance.DueWorkdays)), num("acceptance_all_items", all),
		text("acceptance_unit", c.AcceptingUnit("").Name)}
	for _, cat := range c.Categories {
		ps = append(ps, text("acceptance_unit:"+cat.Code, c.AcceptingUnit(cat.Code).Name))
	}
	return ps
}
