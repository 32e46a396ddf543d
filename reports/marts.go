package reports

import (
	"context"
	"database/sql"
	"fmt"
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
	FinesYuan          float64
	TipsReceived       float64
	TipsVerified       float64
	RewardsApproved    float64
	RewardsPaid        float64
	RewardsPaidYuan    float64
	AreaRestoredMu     float64
}

// clueSources are the channels of new clues, as columns of mart_campaign_weekly and their names.
var clueSources = []struct{ col, name string }{
	{"clues_imagery", "卫片"}, {"clues_power", "用电"}, {"clues_tips", "举报"},
	{"clues_cases", "案件"}, {"clues_other", "其他线索"},
}

// campaignWeeks reads mart_campaign_weekly for the ISO weeks starting on or before asOf.
func campaignWeeks(ctx context.Context, q querier, asOf time.Time) ([]weekRow, error) {
	cols := ""
	for _, s := range clueSources {
		cols += fmt.Sprintf("CAST(coalesce(%s, 0) AS DOUBLE), ", s.col)
	}
	rows, err := q.QueryContext(ctx, `SELECT week, week_start, `+cols+`
		CAST(coalesce(violations_verified, 0) AS DOUBLE), CAST(coalesce(problems_listed, 0) AS DOUBLE),
		CAST(coalesce(items_rectified, 0) AS DOUBLE), CAST(coalesce(cases_filed, 0) AS DOUBLE),
		CAST(coalesce(cases_transferred, 0) AS DOUBLE), CAST(coalesce(fines_yuan, 0) AS DOUBLE),
		CAST(coalesce(tips_received, 0) AS DOUBLE), CAST(coalesce(tips_verified, 0) AS DOUBLE),
		CAST(coalesce(rewards_approved, 0) AS DOUBLE), CAST(coalesce(rewards_paid, 0) AS DOUBLE),
		CAST(coalesce(rewards_paid_yuan, 0) AS DOUBLE), CAST(coalesce(area_restored_mu, 0) AS DOUBLE)
		FROM mart_campaign_weekly WHERE week_start <= ? ORDER BY week_start`, asOf)
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
			&r.RewardsPaid, &r.RewardsPaidYuan, &r.AreaRestoredMu)
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
}

func latePrices(ctx context.Context, q querier) ([]priceCase, error) {
	rows, err := q.QueryContext(ctx, `SELECT case_id, coalesce(township, ''), price_requested_on,
		price_due_on, price_done_on FROM mart_cases_pipeline
		WHERE price_late ORDER BY price_due_on, case_id`)
	if err != nil {
		return nil, fmt.Errorf("read mart_cases_pipeline: %w", err)
	}
	defer rows.Close()
	var out []priceCase
	for rows.Next() {
		var c priceCase
		if err := rows.Scan(&c.CaseID, &c.Township, &c.Requested, &c.Due, &c.Done); err != nil {
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

var ruleName = map[string]string{"night_over_day": "夜间用电异常", "surge": "用电量激增", "closed_mine": "关闭矿井用电"}

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

func violationsByCategory(ctx context.Context, q querier) ([]categoryCount, error) {
	rows, err := q.QueryContext(ctx, `SELECT coalesce(v.category, ''), coalesce(c.plain, ''), count(*)
		FROM mart_violations v LEFT JOIN dim_categories c ON c.code = v.category
		GROUP BY ALL ORDER BY min(coalesce(c.sort_order, 1000)), 1`)
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
