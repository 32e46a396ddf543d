// Package financestore records the finance bureau's collections of fines and confiscations
// (罚没款收缴) entered on its console: the same refusals as the collections file (etl.CheckCollections:
// a case no register holds, a receipt number used twice, a collection above what was decided),
// appended to collection_entries and audited (finance.collection), each row bound to its entry.
package financestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/warehouse"
)

// Store is the collections entered on the console.
type Store struct {
	db    *warehouse.DB
	cfg   *campaign.Config
	chain *audit.Chain
	now   func() time.Time
}

// New is the console's collections of db; audited writes go through chain; now is the clock (nil:
// time.Now).
func New(db *warehouse.DB, cfg *campaign.Config, chain *audit.Chain, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, cfg: cfg, chain: chain, now: now}
}

// ErrInput: the entry was refused; the message names every field and why.
var ErrInput = errors.New("收缴登记未保存")

// Input is one collection as typed on the console.
type Input struct {
	CaseID, DocNo, PaidOn, Amount, Receipt, Kind, Note string
}

var amountRe = regexp.MustCompile(`^[0-9]{1,12}(\.[0-9]{1,2})?$`)

// Record appends the collection entered by `by` and audits it; every refusal at once (ErrInput).
// The date is YYYY-MM-DD, not before the campaign began and not after today.
func (s *Store) Record(ctx context.Context, by string, in Input) (receipt string, err error) {
	in.CaseID, in.DocNo, in.Receipt, in.Note = strings.TrimSpace(in.CaseID), strings.TrimSpace(in.DocNo), strings.TrimSpace(in.Receipt), strings.TrimSpace(in.Note)
	in.PaidOn, in.Kind = strings.TrimSpace(in.PaidOn), strings.TrimSpace(in.Kind)
	in.Amount = strings.TrimSpace(strings.ReplaceAll(in.Amount, ",", ""))
	var probs []string
	if in.CaseID == "" {
		probs = append(probs, "案件编号：不能为空")
	}
	if !slices.Contains(etl.FineKinds, in.Kind) {
		probs = append(probs, fmt.Sprintf("类型：“%s”应为%s之一", in.Kind, strings.Join(etl.FineKinds, "/")))
	}
	var amount float64
	if !amountRe.MatchString(in.Amount) {
		probs = append(probs, fmt.Sprintf("金额：“%s”应为大于 0 的金额（元，最多两位小数）", in.Amount))
	} else if amount, _ = strconv.ParseFloat(in.Amount, 64); amount <= 0 {
		probs = append(probs, "金额：应大于 0")
	}
	today := warehouse.LocalDay(s.cfg.Location(), s.now())
	paid, perr := time.Parse(time.DateOnly, in.PaidOn)
	switch {
	case in.PaidOn == "":
		probs = append(probs, "缴款日期：不能为空")
	case perr != nil:
		probs = append(probs, fmt.Sprintf("缴款日期：“%s”格式应为 年-月-日", in.PaidOn))
	case paid.After(today):
		probs = append(probs, fmt.Sprintf("缴款日期：%s 晚于今天", in.PaidOn))
	case paid.Before(s.cfg.Start()):
		probs = append(probs, fmt.Sprintf("缴款日期：%s 早于专项行动开始", in.PaidOn))
	}
	if in.Receipt == "" {
		probs = append(probs, "票据号：不能为空")
	} else if len([]rune(in.Receipt)) > 100 {
		probs = append(probs, "票据号：最多 100 字")
	}
	if len([]rune(in.DocNo)) > 100 {
		probs = append(probs, "决定文号：最多 100 字")
	}
	if len([]rune(in.Note)) > 2000 {
		probs = append(probs, "说明：最多 2000 字")
	}
	if len(probs) > 0 {
		return "", fmt.Errorf("%w：%s", ErrInput, strings.Join(probs, "；"))
	}
	err = s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		refused, err := etl.CheckCollections(ctx, tx, []etl.Collection{{CaseID: in.CaseID, Kind: in.Kind, Amount: amount, Receipt: in.Receipt}})
		if err != nil {
			return err
		}
		if len(refused) > 0 {
			var msgs []string
			for _, p := range refused {
				msgs = append(msgs, p.Column+"："+p.Msg)
			}
			return fmt.Errorf("%w：%s", ErrInput, strings.Join(msgs, "；"))
		}
		at := warehouse.LocalTimestamp(s.cfg.Location(), au.Now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO collection_entries (receipt_no, case_id, doc_no, paid_on, amount_yuan, fine_kind, note,
			entered_by, entered_at) VALUES (?, ?, ?, ?, CAST(? AS DECIMAL(14,2)), ?, ?, ?, ?)`,
			in.Receipt, in.CaseID, nullStr(in.DocNo), paid, in.Amount, in.Kind, nullStr(in.Note), by, at); err != nil {
			return fmt.Errorf("collection %s: %w", in.Receipt, err)
		}
		return au.Add(ctx, by, "finance.collection", in.Receipt, map[string]any{"case_id": in.CaseID, "fine_kind": in.Kind,
			"amount_yuan": in.Amount, "paid_on": in.PaidOn, "doc_no": in.DocNo, "note": in.Note,
			"bound": audit.Bind("collection_entries", in.Receipt)})
	})
	if err != nil {
		return "", err
	}
	return in.Receipt, nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
