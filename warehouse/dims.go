package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"landwatch/campaign"
)

// Param is one row of dim_parameters: exactly one of Num, Day and Text is set.
type Param struct {
	Key  string
	Num  *float64
	Day  *time.Time
	Text *string
}

func num(key string, v float64) Param   { return Param{Key: key, Num: &v} }
func day(key string, v time.Time) Param { return Param{Key: key, Day: &v} }
func text(key string, v string) Param   { return Param{Key: key, Text: &v} }
func phaseDay(c *campaign.Config, code string, end bool) time.Time {
	p, _ := c.PhaseByCode(code)
	if end {
		return campaign.Day(p.End)
	}
	return campaign.Day(p.Start)
}

// Parameters lists the named parameters that SQL models read from dim_parameters.
func Parameters(c *campaign.Config) []Param {
	a, p := c.Accountability, c.Power
	ps := []Param{
		text("county", c.County.Name),
		text("campaign_name", c.Campaign.Name),
		text("timezone", c.County.Timezone),
		text("power_default_category", c.Power.DefaultCategory),
		num("campaign_year", float64(c.Campaign.Year)),
		day("data_from", c.DataFrom()),
		day("campaign_start", c.Start()),
		day("campaign_end", c.End()),
		day("village_list_due", c.VillageListDue()),
		day("detection_deadline", c.DetectionDeadline()),
		day("patrol_from", c.PatrolFrom()),
		day("rectification_start", phaseDay(c, campaign.PhaseRectification, false)),
		day("rectification_end", c.RectificationEnd()),
		day("accountability_start", phaseDay(c, campaign.PhaseAccountability, false)),
		day("lookback_start", phaseDay(c, campaign.PhaseLookback, false)),
		day("lookback_end", phaseDay(c, campaign.PhaseLookback, true)),
		num("patrols_per_week", float64(c.Campaign.PatrolsPerWeek)),
		num("match_radius_m", a.MatchRadiusM),
		num("late_item_days", float64(a.LateItemDays)),
		num("red_missed_rate", a.RedMissedRate),
		num("red_new_after", float64(a.RedNewAfter)),
		num("red_rectification_rate", a.RedRectificationRate),
		num("yellow_patrol_compliance", a.YellowPatrolCompliance),
		num("night_start_hour", float64(p.NightStartHour)),
		num("night_end_hour", float64(p.NightEndHour)),
		num("night_ratio", p.NightRatio),
		num("night_min_kwh", p.NightMinKWh),
		num("night_min_days", float64(p.NightMinDays)),
		num("night_window_days", float64(p.NightWindowDays)),
		num("surge_ratio", p.SurgeRatio),
		num("surge_window_days", float64(p.SurgeWindowDays)),
		num("surge_baseline_days", float64(p.SurgeBaselineDays)),
		num("surge_min_increase_kwh", p.SurgeMinIncreaseKWh),
		num("closed_mine_min_kwh", p.ClosedMineMinKWh),
		num("silent_days", float64(p.SilentDays)),
		num("price_due_workdays", float64(c.Prices.DueWorkdays)),
		num("power_check_days", float64(p.PowerCheckDays())),
		num("triage_days", float64(c.Portal.Triage())),
		num("reward_min_yuan", c.Rewards.MinYuan),
		num("reward_max_yuan", c.Rewards.MaxYuan),
		num("reward_outstanding_bonus", c.Rewards.OutstandingBonus),
		num("reward_cap_yuan", c.Rewards.CapYuan),
		num("reward_budget_yuan", c.Rewards.BudgetYuan),
		num("small_count", float64(c.Reports.SmallCount)),
		num("bbox_min_lon", c.County.BBox.MinLon),
		num("bbox_min_lat", c.County.BBox.MinLat),
		num("bbox_max_lon", c.County.BBox.MaxLon),
		num("bbox_max_lat", c.County.BBox.MaxLat),
	}
	ps = append(ps, channelParameters(c)...)
	return append(ps, acceptanceParameters(c)...)
}

// ApplyConfig records the configuration and refills every dimension table from it, in one
// transaction. Villages first seen in loaded files (unconfirmed) are kept, and become confirmed
// when the new register lists them.
func (db *DB) ApplyConfig(ctx context.Context, c *campaign.Config) error {
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		if err := exec(`INSERT INTO campaign_config (source, sha256, toml) VALUES (?, ?, ?)`, c.Source, sha(c.Text), string(c.Text)); err != nil {
			return err
		}
		for _, t := range []string{"dim_townships", "dim_phases", "dim_categories", "dim_category_keywords",
			"dim_parameters", "dim_calendar", "dim_reward_bands", "dim_units", "dim_customer_types", "dim_periods", "dim_category_power_types", "dim_case_stages",
			"dim_actions", "dim_category_actions", "dim_labels"} {
			if err := exec("DELETE FROM " + t); err != nil {
				return err
			}
		}
		if err := exec(`DELETE FROM dim_villages WHERE confirmed`); err != nil {
			return err
		}
		for i, t := range c.Townships {
			if err := exec(`INSERT INTO dim_townships VALUES (?, ?, ?, ?, ?)`, t.Name, t.Kind, i+1, t.Center[0], t.Center[1]); err != nil {
				return err
			}
			var villages [][]any
			for _, v := range t.Villages {
				villages = append(villages, []any{t.Name, v})
			}
			// a village first seen in a file and now configured becomes confirmed
			if err := insertRows(exec, `DELETE FROM dim_villages WHERE (township, village) IN (SELECT (t, v) FROM (VALUES %s) n(t, v))`, villages); err != nil {
				return err
			}
			if err := insertRows(exec, `INSERT INTO dim_villages SELECT t, v, true, NULL FROM (VALUES %s) n(t, v)`, villages); err != nil {
				return err
			}
		}
		for _, l := range c.LabelRows() {
			if err := exec(`INSERT INTO dim_labels VALUES (?, ?, ?, ?)`, l.Column, l.Code, l.Label, l.Order); err != nil {
				return err
			}
		}
		for i, u := range c.Units {
			if err := exec(`INSERT INTO dim_units VALUES (?, ?, ?, ?)`, u.Name, u.ShortName, u.Duty, i+1); err != nil {
				return err
			}
		}
		for i, st := range c.Stages {
			if err := exec(`INSERT INTO dim_case_stages (stage, name, unit, after_stage, due_workdays, replaces, sort_order, only_entered)
				VALUES (?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), ?, ?)`, st.Code, st.Name,
				c.StageUnit(st.Code), st.After, c.StageDueWorkdays(st), st.Replaces, i+1, st.OnlyEntered); err != nil {
				return err
			}
		}
		if err := applyActions(exec, c); err != nil {
			return err
		}
		for i, t := range c.CustomerTypes() {
			var nr, nm, sr, sm any
			if !t.Builtin {
				nr, nm, sr, sm = t.NightRatio, t.NightMinKWh, t.SurgeRatio, t.SurgeMinIncreaseKWh
			}
			if err := exec(`INSERT INTO dim_customer_types VALUES (?, ?, ?, ?, ?, ?, ?)`, t.Name, t.Builtin, nr, nm, sr, sm, i+1); err != nil {
				return err
			}
		}
		for i, p := range c.Periods {
			if err := exec(`INSERT INTO dim_periods VALUES (?, ?, ?, ?, ?, ?)`, p.Name, campaign.Day(p.Start), campaign.Day(p.End),
				campaign.Day(p.DetectionDeadline), campaign.Day(p.RectificationDeadline), i+1); err != nil {
				return err
			}
		}
		for i, p := range c.Phases {
			if err := exec(`INSERT INTO dim_phases VALUES (?, ?, ?, ?, ?)`, p.Code, p.Name, campaign.Day(p.Start), campaign.Day(p.End), i+1); err != nil {
				return err
			}
		}
		prio := 0
		for i, cat := range c.Categories {
			if err := exec(`INSERT INTO dim_categories VALUES (?, ?, ?, ?, ?)`, cat.Code, cat.Group(), cat.Name, cat.Plain, i+1); err != nil {
				return err
			}
			for _, kw := range cat.Keywords {
				prio++
				if err := exec(`INSERT INTO dim_category_keywords VALUES (?, ?, ?)`, cat.Code, kw, prio); err != nil {
					return err
				}
			}
			for _, t := range cat.PowerTypes {
				if err := exec(`INSERT INTO dim_category_power_types VALUES (?, ?)`, t, cat.Code); err != nil {
					return err
				}
			}
		}
		for _, p := range Parameters(c) {
			if err := exec(`INSERT INTO dim_parameters VALUES (?, ?, ?, ?)`, p.Key, p.Num, p.Day, p.Text); err != nil {
				return err
			}
		}
		holidays, workdays := map[string]bool{}, map[string]bool{}
		for _, d := range c.Calendar.Holidays {
			holidays[d.String()] = true
		}
		for _, d := range c.Calendar.Workdays {
			workdays[d.String()] = true
		}
		first := time.Date(c.Campaign.Year-1, 1, 1, 0, 0, 0, 0, time.UTC)
		last := time.Date(c.LastYear()+1, 12, 31, 0, 0, 0, 0, time.UTC)
		var days [][]any
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			var note any
			switch key := d.Format("2006-01-02"); {
			case holidays[key]:
				note = "节假日"
			case workdays[key]:
				note = "调休上班"
			}
			days = append(days, []any{d, c.IsWorkday(d), note})
		}
		if err := insertRows(exec, `INSERT INTO dim_calendar SELECT CAST(d AS DATE), w, n FROM (VALUES %s) r(d, w, n)`, days); err != nil {
			return err
		}
		for _, b := range c.Rewards.Bands {
			for _, code := range b.Categories {
				if err := exec(`INSERT INTO dim_reward_bands VALUES (?, ?, ?, ?)`, code, b.Severity, b.MinYuan, b.MaxYuan); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("apply campaign config %s: %w", c.Source, err)
	}
	return nil
}

// insertRows runs q (whose %s takes a VALUES list) with rows as bound parameters, a few hundred rows
// a statement: a statement per row made opening a new warehouse cost a second of CPU.
func insertRows(exec func(string, ...any) error, q string, rows [][]any) error {
	const chunk = 400
	for len(rows) > 0 {
		n := min(chunk, len(rows))
		tuples := make([]string, n)
		var args []any
		for i, r := range rows[:n] {
			tuples[i] = "(" + strings.TrimSuffix(strings.Repeat("?, ", len(r)), ", ") + ")"
			args = append(args, r...)
		}
		if err := exec(fmt.Sprintf(q, strings.Join(tuples, ", ")), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}
