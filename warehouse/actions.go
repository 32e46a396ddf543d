package warehouse

import "landwatch/campaign"

// applyActions fills dim_actions and dim_category_actions from the configuration (the required
// actions per violation, queries/README.md "Required actions").
func applyActions(exec func(q string, args ...any) error, c *campaign.Config) error {
	for i, a := range c.ActionRules() {
		if err := exec(`INSERT INTO dim_actions VALUES (?, ?, NULLIF(?, ''), ?, ?)`, a.Code, a.Name, a.Owner, a.DueWorkdays, i+1); err != nil {
			return err
		}
	}
	for _, cat := range c.Categories {
		if err := exec(`INSERT INTO dim_category_actions VALUES (?, ?, ?, ?)`, cat.Code, c.CaseUnit(cat), cat.Ban, cat.CriminalYuan); err != nil {
			return err
		}
	}
	return nil
}
