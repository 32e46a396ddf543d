package tipstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/store/accounts"
	"landwatch/store/notify"
	"landwatch/warehouse"
)

// A reward's claim_lookup holds claimPending and the reward id until its first claim code is issued
// (the column is unique, so every pending reward needs its own placeholder); claimIssued is the SQL
// test for an issued code (an empty value is what rewards approved before the placeholder hold).
const (
	claimPending = "pending:"
	claimIssued  = `(claim_lookup <> '' AND claim_lookup NOT LIKE 'pending:%')`
)

// RewardRow is a reward with its payment, if any.
type RewardRow struct {
	ID          string
	TipID       string
	Severity    string
	Amount      string
	ApprovedOn  string
	ApprovedBy  string
	ClaimIssued bool
	PaidOn      string
	PaidYuan    string
	Voucher     string
}

// RewardOf is the reward of a tip with its payment; nil when none was approved.
func (s *Store) RewardOf(ctx context.Context, tipID string) (*RewardRow, error) {
	r := &RewardRow{}
	var approved time.Time
	var paid sql.NullTime
	var paidYuan, voucher sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT r.reward_id, r.tip_id, r.severity, CAST(r.amount_yuan AS VARCHAR), r.approved_on,
		r.approved_by, `+claimIssued+`, p.paid_on, CAST(p.amount_yuan AS VARCHAR), p.voucher_no
		FROM rewards r LEFT JOIN payouts p USING (reward_id) WHERE r.tip_id = ?`, tipID).
		Scan(&r.ID, &r.TipID, &r.Severity, &r.Amount, &approved, &r.ApprovedBy, &r.ClaimIssued, &paid, &paidYuan, &voucher)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.ApprovedOn = approved.Format("2006-01-02")
	if paid.Valid {
		r.PaidOn = paid.Time.Format("2006-01-02")
		r.PaidYuan = paidYuan.String
		r.Voucher = voucher.String
	}
	return r, nil
}

// Band is the reward range for a category and severity.
type Band struct {
	Severity string
	Min, Max float64
}

// bandsFor lists the configured bands of a category.
func (s *Store) bandsFor(category string) []Band {
	var out []Band
	for _, b := range s.cfg.Rewards.Bands {
		for _, c := range b.Categories {
			if c == category {
				out = append(out, Band{b.Severity, b.MinYuan, b.MaxYuan})
			}
		}
	}
	return out
}

// parseYuan reads an amount in yuan with at most two decimals.
func parseYuan(s string) (float64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return 0, fmt.Errorf("金额“%s”无效", s)
	}
	if math.Abs(v*100-math.Round(v*100)) > 1e-6 {
		return 0, fmt.Errorf("金额“%s”最多两位小数", s)
	}
	return v, nil
}

// ApproveReward approves a reward for a tip verified 属实, within the configured band of its
// category and severity. The tip moves to 奖励已批准; the citizen sees the amount with the receipt
// and gets a claim code the next time they look.
func (s *Store) ApproveReward(ctx context.Context, actor, tipID, severity, amount, note string) (string, error) {
	yuan, err := parseYuan(amount)
	if err != nil {
		return "", err
	}
	var rewardID string
	err = s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		var verdict, cat sql.NullString
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status, verdict, category FROM tips WHERE tip_id = ?`, tipID).Scan(&status, &verdict, &cat)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoTip
		}
		if err != nil {
			return err
		}
		if verdict.String != StatusTrue {
			return fmt.Errorf("举报 %s 尚未核实为属实，不能批准奖励", tipID)
		}
		if !cat.Valid {
			return fmt.Errorf("举报 %s 未确定违法类别，请先设定类别", tipID)
		}
		var band *Band
		for _, b := range s.bandsFor(cat.String) {
			if b.Severity == severity {
				band = &b
			}
		}
		if band == nil {
			return fmt.Errorf("类别 %s 没有“%s”档次的奖励标准", cat.String, severity)
		}
		if yuan < band.Min || yuan > band.Max {
			return fmt.Errorf("%s类%s档奖励应在 %.0f–%.0f 元之间，%.2f 元超出范围", cat.String, severity, band.Min, band.Max, yuan)
		}
		if s.cfg.Rewards.CapYuan > 0 && yuan > s.cfg.Rewards.CapYuan {
			return fmt.Errorf("单笔奖励不超过 %.0f 元", s.cfg.Rewards.CapYuan)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM rewards WHERE tip_id = ?`, tipID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("举报 %s 已批准过奖励", tipID)
		}
		rewardID = "R" + strings.TrimPrefix(tipID, "T")
		day := warehouse.LocalDay(s.cfg.Location(), au.Now())
		var nt any
		if note = strings.TrimSpace(note); note != "" {
			nt = note
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO rewards (reward_id, tip_id, severity, amount_yuan, approved_on, approved_by, claim_lookup, claim_hash, note)
			VALUES (?, ?, ?, ?, ?, ?, ?, '', ?)`, rewardID, tipID, severity, fmt.Sprintf("%.2f", yuan), day, actor, claimPending+rewardID, nt); err != nil {
			return fmt.Errorf("store reward: %w", err)
		}
		if err := s.setStatus(ctx, tx, au, actor, tipID, StatusRewarded, fmt.Sprintf("批准奖励 %.2f 元（%s）", yuan, severity)); err != nil {
			return err
		}
		if _, err := notify.Send(ctx, tx, notify.Notice{To: notify.To{Role: accounts.RoleFinance}, Kind: notify.KindApproved, Ref: rewardID,
			Body: fmt.Sprintf("奖励 %s 已批准 %.2f 元，待举报人凭回执码和领奖码领取", rewardID, yuan), Link: "/staff/rewards",
			Created: s.LocalNow(au.Now())}); err != nil {
			return err
		}
		return au.Add(ctx, actor, "reward.approved", tipID, map[string]any{"reward_id": rewardID, "severity": severity, "amount_yuan": fmt.Sprintf("%.2f", yuan)})
	})
	return rewardID, err
}

// IssueClaimCode makes a new claim code for an unpaid reward and stores only its lookup key and
// Argon2id hash. With again, a code already issued is replaced (the citizen lost it).
func (s *Store) IssueClaimCode(ctx context.Context, tipID, rewardID string, again bool) (string, error) {
	code, err := newDigits(16)
	if err != nil {
		return "", err
	}
	hash, err := s.hasher.HashCode(code)
	if err != nil {
		return "", err
	}
	err = s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		var issued bool
		var paid int
		if err := tx.QueryRowContext(ctx, `SELECT `+claimIssued+`, (SELECT count(*) FROM payouts p WHERE p.reward_id = r.reward_id)
			FROM rewards r WHERE reward_id = ?`, rewardID).Scan(&issued, &paid); err != nil {
			return err
		}
		if paid > 0 {
			return errClaimPaid
		}
		if issued && !again {
			return errClaimIssued
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rewards SET claim_lookup = ?, claim_hash = ? WHERE reward_id = ?`,
			s.keys.LookupKey("claim", code), hash, rewardID); err != nil {
			return err
		}
		return au.Add(ctx, "citizen", "reward.claim_code", tipID, map[string]any{"reward_id": rewardID, "reissued": again})
	})
	if err != nil {
		return "", err
	}
	return code, nil
}

var (
	errClaimPaid   = errors.New("奖励已领取")
	errClaimIssued = errors.New("领奖码已发放")
)

// PayoutInput is what finance records.
type PayoutInput struct {
	Receipt   string
	ClaimCode string
	Amount    string
	Voucher   string
	PaidOn    string // YYYY-MM-DD
}

var errClaim = errors.New("回执码与领奖码不匹配")

// RecordPayout records the payment of a reward against the citizen's receipt and claim code. The
// amount must not exceed the approved amount; a reward is paid once.
func (s *Store) RecordPayout(ctx context.Context, actor string, in PayoutInput) (string, error) {
	f := map[string]string{}
	yuan, err := parseYuan(in.Amount)
	if err != nil {
		f["amount"] = err.Error()
	}
	in.Voucher = strings.TrimSpace(in.Voucher)
	if in.Voucher == "" {
		f["voucher"] = "请填写凭证号"
	}
	paidOn, err := time.Parse("2006-01-02", strings.TrimSpace(in.PaidOn))
	if err != nil {
		f["paid_on"] = "日期格式应为 年-月-日"
	} else if paidOn.After(s.Today()) {
		f["paid_on"] = "支付日期不能晚于今天"
	}
	if len(f) > 0 {
		return "", &InputError{f}
	}
	tipID, err := s.FindTip(ctx, in.Receipt)
	if err != nil {
		return "", errClaim
	}
	claim := NormCode(in.ClaimCode)
	var rewardID, claimHash string
	var approved float64
	var approvedOn time.Time
	err = s.db.QueryRowContext(ctx, `SELECT reward_id, claim_hash, CAST(amount_yuan AS DOUBLE), approved_on FROM rewards WHERE tip_id = ? AND claim_lookup = ?`,
		tipID, s.keys.LookupKey("claim", claim)).Scan(&rewardID, &claimHash, &approved, &approvedOn)
	if err != nil || len(claim) != 16 || !s.hasher.CheckCode(claim, claimHash) {
		return "", errClaim
	}
	if paidOn.Before(approvedOn) {
		return "", &InputError{map[string]string{"paid_on": fmt.Sprintf("支付日期不能早于奖励批准日期 %s", approvedOn.Format("2006-01-02"))}}
	}
	if yuan > approved+1e-9 {
		return "", &InputError{map[string]string{"amount": fmt.Sprintf("支付金额 %.2f 元超过批准金额 %.2f 元", yuan, approved)}}
	}
	payoutID := "P" + strings.TrimPrefix(rewardID, "R")
	err = s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM payouts WHERE reward_id = ?`, rewardID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrPaidTwice
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO payouts VALUES (?, ?, ?, ?, ?, ?, ?)`, payoutID, rewardID,
			fmt.Sprintf("%.2f", yuan), in.Voucher, paidOn, actor, s.LocalNow(au.Now())); err != nil {
			return fmt.Errorf("store payout: %w", err)
		}
		if err := s.setStatus(ctx, tx, au, actor, tipID, StatusPaid, "凭证号 "+in.Voucher); err != nil {
			return err
		}
		return au.Add(ctx, actor, "payout.recorded", tipID, map[string]any{"reward_id": rewardID, "payout_id": payoutID,
			"amount_yuan": fmt.Sprintf("%.2f", yuan), "voucher_no": in.Voucher, "paid_on": paidOn.Format("2006-01-02")})
	})
	return payoutID, err
}

// ErrPaidTwice refuses a second payment of one reward.
var ErrPaidTwice = errors.New("该奖励已支付过，不能重复支付")
