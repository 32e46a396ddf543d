package reports

import (
	"context"
	"database/sql"
	"fmt"
	"landwatch/campaign"
	"time"
)

// weekRow is one ISO week of mart_campaign_weekly.
type weekRow struct {
	Week               string // 2023-W14
	Start              time.Time
	Clues              []float64 // new clues per source, in clueSources order
	ViolationsVerified float64
	ProblemsListed     float64
	ItemsRectified     float64
	CasesFiled         float64
	CasesTransferred   float64
	FinesYuan          float64 // 罚没款 decided that week (mart_fines via the weekly mart)
	FinesCollectedYuan float64 // 罚没款 collected that week (mart_fine_collections via the weekly mart)
	TipsReceived       float64
	TipsVerified       float64
	RewardsApproved    float64
	RewardsPaid        float64
	RewardsPaidYuan    float64
	AreaRestoredMu     float64
}

// clueSources are the channels of new clues, as columns of mart_campaign_weekly and their names.
var clueSources = []struct{ col, name string }{
	{"new_patches", "卫片"}, {"new_power_alerts", "用电"}, {"tips_received", "举报"}, {"new_other_clues", "其他线索"},
}

// campaignWeeks reads mart_campaign_weekly for the ISO weeks starting on or before asOf; the area
// restored each week is the restoration accepted that week (mart_restoration via the weekly mart:
// queries/README.md "Restoration"), the one definition every page, PDF and export reads; likewise
// 罚没款 decided and collected (mart_fines: queries/README.md "Fines and confiscations").
func campaignWeeks(ctx context.Context, q querier, asOf time.Time) ([]weekRow, error) {
	cols := ""
	for _, s := range clueSources {
		cols += fmt.Sprintf("CAST(coalesce(w.%s, 0) AS DOUBLE), ", s.col)
	}
	rows, err := q.QueryContext(ctx, `SELECT printf('%d-W%02d', w.iso_year, w.iso_week), w.week_start, `+cols+`
		CAST(coalesce(w.violations_verified, 0) AS DOUBLE), CAST(coalesce(w.problems_listed, 0) AS DOUBLE),
		CAST(coalesce(w.items_rectified, 0) AS DOUBLE), CAST(coalesce(w.cases_filed, 0) AS DOUBLE),
		CAST(coalesce(w.cases_to_police, 0) AS DOUBLE),
		CAST(coalesce(w.fines_yuan, 0) + coalesce(w.confiscated_yuan, 0) AS DOUBLE),
		CAST(coalesce(w.tips_received, 0) AS DOUBLE), CAST(coalesce(w.tips_verified, 0) AS DOUBLE),
		CAST(coalesce(w.rewards_approved, 0) AS DOUBLE), CAST(coalesce(w.rewards_paid, 0) AS DOUBLE),
		CAST(coalesce(w.rewards_paid_yuan, 0) AS DOUBLE), CAST(coalesce(w.area_restored_mu, 0) AS DOUBLE),
		CAST(coalesce(w.fines_collected_yuan, 0) AS DOUBLE)
		FROM mart_campaign_weekly w
		WHERE w.week_start <= ? ORDER BY w.week_start`, asOf)
	if err != nil {
		return nil, fmt.Errorf("read mart_campaign_weekly: %w", err)
	}
	defer rows.Close()
	var out []weekRow
	for rows.Next() {
		var r weekRow
		r.Clues = make([]float64, len(clueSources))
		dst := []any{&r.Week, &r.Start}
		for i := range r.Clues {
			dst = append(dst, &r.Clues[i])
		}
		dst = append(dst, &r.ViolationsVerified, &r.ProblemsListed, &r.ItemsRectified, &r.CasesFiled,
			&r.CasesTransferred, &r.FinesYuan, &r.TipsReceived, &r.TipsVerified, &r.RewardsApproved,
			&r.RewardsPaid, &r.RewardsPaidYuan, &r.AreaRestoredMu, &r.FinesCollectedYuan)
		if err := rows.Scan(dst...); err != nil {
			return nil, fmt.Errorf("read mart_campaign_weekly row %d: %w", len(out)+1, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ledgerItem is one row of mart_ledger.
type ledgerItem struct {
	ID, Kind, Township, Village, Category, Status string
	Deadline                                      time.Time
	RectifiedOn                                   sql.NullTime
}

func overdueItems(ctx context.Context, q querier) ([]ledgerItem, error) {
	rows, err := q.QueryContext(ctx, `SELECT item_id, coalesce(kind, ''), coalesce(township, ''),
		coalesce(village, ''), coalesce(category, ''), coalesce(status_as_of, ''), deadline, rectified_on
		FROM mart_ledger WHERE overdue ORDER BY deadline, township, item_id`)
	if err != nil {
		return nil, fmt.Errorf("read mart_ledger: %w", err)
	}
	defer rows.Close()
	var out []ledgerItem
	for rows.Next() {
		var it ledgerItem
		if err := rows.Scan(&it.ID, &it.Kind, &it.Township, &it.Village, &it.Category, &it.Status,
			&it.Deadline, &it.RectifiedOn); err != nil {
			return nil, fmt.Errorf("read mart_ledger row %d: %w", len(out)+1, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// priceCase is a case whose price determination (价格认定) is late.
type priceCase struct {
	CaseID, Township string
	Requested, Due   time.Time
	Done             sql.NullTime
	// LateWorkdays is the mart's price_late_workdays: working days after the due day
	LateWorkdays int64
}

func latePrices(ctx context.Context, q querier) ([]priceCase, error) {
	rows, err := q.QueryContext(ctx, `SELECT case_id, coalesce(township, ''), price_requested_on,
		price_due_on, price_done_on, coalesce(price_late_workdays, 0) FROM mart_cases_pipeline
		WHERE price_late ORDER BY price_due_on, case_id`)
	if err != nil {
		return nil, fmt.Errorf("read mart_cases_pipeline: %w", err)
	}
	defer rows.Close()
	var out []priceCase
	for rows.Next() {
		var c priceCase
		if err := rows.Scan(&c.CaseID, &c.Township, &c.Requested, &c.Due, &c.Done, &c.LateWorkdays); err != nil {
			return nil, fmt.Errorf("read mart_cases_pipeline row %d: %w", len(out)+1, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// powerAlert is one row of mart_power_alerts.
type powerAlert struct {
	ID, Meter, Township, Village, CustomerType, Rule, Check string
	First, Last                                             time.Time
	Score                                                   float64
}

func uncheckedAlerts(ctx context.Context, q querier) ([]powerAlert, error) {
	rows, err := q.QueryContext(ctx, `SELECT alert_id, meter_id, coalesce(township, ''), coalesce(village, ''),
		coalesce(customer_type, ''), rule, first_day, last_day, CAST(coalesce(score, 0) AS DOUBLE)
		FROM mart_power_alerts WHERE check_result IS NULL OR trim(check_result) = ''
		ORDER BY first_day, alert_id`)
	if err != nil {
		return nil, fmt.Errorf("read mart_power_alerts: %w", err)
	}
	defer rows.Close()
	var out []powerAlert
	for rows.Next() {
		var a powerAlert
		if err := rows.Scan(&a.ID, &a.Meter, &a.Township, &a.Village, &a.CustomerType, &a.Rule,
			&a.First, &a.Last, &a.Score); err != nil {
			return nil, fmt.Errorf("read mart_power_alerts row %d: %w", len(out)+1, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// categoryCount is the number of violations of one category.
type categoryCount struct {
	Code, Name string
	N          int64
}

// violationsByCategory counts the violations per category, of one township or (township "") all.
func violationsByCategory(ctx context.Context, q querier, township string) ([]categoryCount, error) {
	rows, err := q.QueryContext(ctx, `SELECT coalesce(v.category, ''), coalesce(c.plain, ''), count(*)
		FROM mart_violations v LEFT JOIN dim_categories c ON c.code = v.category
		WHERE ? = '' OR v.township = ?
		GROUP BY ALL ORDER BY min(coalesce(c.sort_order, 1000)), 1`, township, township)
	if err != nil {
		return nil, fmt.Errorf("read mart_violations: %w", err)
	}
	defer rows.Close()
	var out []categoryCount
	for rows.Next() {
		var c categoryCount
		if err := rows.Scan(&c.Code, &c.Name, &c.N); err != nil {
			return nil, fmt.Errorf("read mart_violations: %w", err)
		}
		if c.Code == "" {
			c.Name = "未分类"
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// freshRow is one row of mart_data_freshness: when a kind of data last arrived, county-wide
// (Township "") or for one township.
type freshRow struct {
	Kind, KindName, Township, LastFile string
	LastReceived                       time.Time
	Files                              int64
}

func dataFreshness(ctx context.Context, q querier) ([]freshRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, kind_name, coalesce(township, ''), coalesce(last_file, ''),
		last_received_at, files FROM mart_data_freshness`)
	if err != nil {
		return nil, fmt.Errorf("read mart_data_freshness: %w", err)
	}
	defer rows.Close()
	var out []freshRow
	for rows.Next() {
		var r freshRow
		if err := rows.Scan(&r.Kind, &r.KindName, &r.Township, &r.LastFile, &r.LastReceived, &r.Files); err != nil {
			return nil, fmt.Errorf("read mart_data_freshness row %d: %w", len(out)+1, err)
		}
		if r.KindName == r.Kind { // a kind the mart has no name for: the label table's
			r.KindName = campaign.Label("input", r.Kind)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// silentMeter is one row of mart_power_gaps (数据中断).
type silentMeter struct {
	Meter, Township, Village, CustomerType string
	LastReading                            time.Time
	DaysSilent                             int64
	ClosedMine                             bool
}

func powerGaps(ctx context.Context, q querier) ([]silentMeter, error) {
	rows, err := q.QueryContext(ctx, `SELECT meter_id, township, coalesce(village, ''), customer_type,
		last_reading_on, days_silent, closed_mine FROM mart_power_gaps`)
	if err != nil {
		return nil, fmt.Errorf("read mart_power_gaps: %w", err)
	}
	defer rows.Close()
	var out []silentMeter
	for rows.Next() {
		var m silentMeter
		if err := rows.Scan(&m.Meter, &m.Township, &m.Village, &m.CustomerType, &m.LastReading, &m.DaysSilent, &m.ClosedMine); err != nil {
			return nil, fmt.Errorf("read mart_power_gaps row %d: %w", len(out)+1, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
