package synth

import (
	"landwatch/campaign"
	"landwatch/etl/synth/county"
)

// DutyUnits are the units (short names) the generator may name in the 责任分解表 for each category
// of cfg ("" for an item without one): those whose duty covers it.
func DutyUnits(cfg *campaign.Config) map[string][]string {
	w := &county.World{Cfg: cfg}
	out := map[string][]string{"": w.UnitsFor("")}
	for _, c := range cfg.Categories {
		out[c.Code] = w.UnitsFor(c.Code)
	}
	return out
}
