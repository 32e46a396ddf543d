package tipstore

import (
	"context"
	"database/sql"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// RewardLine is a reward as finance sees it: never the tip's text or contact.
type RewardLine struct {
	RewardID, TipID, Township, Category, Severity, Amount, ApprovedOn, ApprovedBy string
	PayoutID, PaidYuan, Voucher, PaidOn, RecordedBy                               string
}

// RewardLines lists every reward with its payment, oldest first.
func (s *Store) RewardLines(ctx context.Context) ([]RewardLine, error) {
	var out []RewardLine
	err := warehouse.EachRow(ctx, s.db, `SELECT r.reward_id, r.tip_id, t.township, coalesce(t.category, ''), r.severity,
		CAST(r.amount_yuan AS VARCHAR), strftime(r.approved_on, '%Y-%m-%d'), r.approved_by, coalesce(p.payout_id, ''), coalesce(CAST(p.amount_yuan AS VARCHAR), ''),
		coalesce(p.voucher_no, ''), coalesce(strftime(p.paid_on, '%Y-%m-%d'), ''), coalesce(p.recorded_by, '')
		FROM rewards r JOIN tips t USING (tip_id) LEFT JOIN payouts p USING (reward_id) ORDER BY r.approved_on, r.reward_id`, nil, func(rows *sql.Rows) error {
		var l RewardLine
		if err := rows.Scan(&l.RewardID, &l.TipID, &l.Township, &l.Category, &l.Severity, &l.Amount, &l.ApprovedOn, &l.ApprovedBy,
			&l.PayoutID, &l.PaidYuan, &l.Voucher, &l.PaidOn, &l.RecordedBy); err != nil {
			return err
		}
		if l.Category != "" {
			l.Category = s.categoryName(l.Category)
		}
		out = append(out, l)
		return nil
	})
	return out, err
}

// ExportHeader is the header of the office's tip export.
var ExportHeader = []string{"举报编号", "收到时间", "类别", "乡镇", "村", "地点", "内容", "发现日期", "经度", "纬度", "状态",
	"核查结论", "核查日期", "交办", "关联编号", "重复于", "来源"}

// ExportRows is every tip u may see that f selects (the list's filters; f's paging is ignored),
// for the export (ExportHeader's columns), free text decrypted.
func (s *Store) ExportRows(ctx context.Context, u *accounts.User, f TipFilter) ([][]any, error) {
	pred, args := f.where(u)
	rows, err := s.db.QueryContext(ctx, `SELECT tip_id, strftime(received_at, '%Y-%m-%d %H:%M'), coalesce(category, ''), township,
		coalesce(village, ''), coalesce(place, ''), description, coalesce(strftime(seen_on, '%Y-%m-%d'), ''), lon, lat, status,
		coalesce(verdict, ''), coalesce(strftime(verified_on, '%Y-%m-%d'), ''), coalesce(assigned_to, ''), coalesce(linked_ref, ''),
		coalesce(duplicate_of, ''), coalesce(channel, '网络') FROM tips t WHERE `+pred+` ORDER BY received_at`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		v := make([]any, len(ExportHeader))
		ptr := make([]any, len(ExportHeader))
		for i := range v {
			ptr[i] = &v[i]
		}
		if err := rows.Scan(ptr...); err != nil {
			return nil, err
		}
		id, _ := v[0].(string)
		if code, _ := v[2].(string); code != "" {
			v[2] = s.categoryName(code)
		}
		for i, f := range map[int]string{5: "tips.place", 6: "tips.description"} {
			if sv, ok := v[i].(string); ok {
				if v[i], err = s.keys.Open(f, id, sv); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// categoryName is a category's name for readers ("M1" never reaches a page or an export).
func (s *Store) categoryName(code string) string {
	if c, ok := s.cfg.Category(code); ok {
		return c.Name
	}
	return code
}
