package etl

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"landwatch/etl/batch"
	"landwatch/etl/read"
)

// KindCollections is the finance bureau's collections file (罚没款收缴): one row per receipt (票据号)
// paying a case's decided 罚款, 没收违法所得 or 罚金 — 案件编号, 决定文号, 缴款日期, 金额, 票据号, 类型,
// 说明. A receipt is one collection: it is never loaded twice, and a collection may not take a case's
// kind above what was decided (queries/marts/mart_fines.sql). README "Input formats" describes it.
const KindCollections Kind = "collections"

// FineKinds are the accepted values of 类型: the administrative fine, the confiscation, the court's fine.
var FineKinds = []string{"罚款", "没收违法所得", "罚金"}

// Collection is one collection to check: a file's row or a console entry.
type Collection struct {
	Row     int // the file's row (0 for a console entry)
	CaseID  string
	Kind    string
	Amount  float64
	Receipt string
}

// CollectionProblem is a refusal of one collection: the column it concerns and why.
type CollectionProblem struct {
	Row    int
	Column string
	Value  string
	Msg    string
}

// collectionLimitsSQL is, per case and kind, what is decided as known now and what was collected
// before: the rule of queries/marts/mart_fines.sql on the latest version of everything (罚款: the
// latest 处罚决定 entry's fine, else the latest register row's 罚款金额 with the portal's latest
// fine; 没收违法所得: its 没收金额 likewise; 罚金: the latest 判决 entry's fine), and the receipts of
// active batches and console entries.
const collectionLimitsSQL = `
WITH reg AS (
    SELECT c.case_id, c.fine_yuan, c.confiscated_yuan
    FROM raw_cases c JOIN load_batches b USING (batch_id)
    WHERE b.replaced_by IS NULL
    QUALIFY row_number() OVER (PARTITION BY c.case_id ORDER BY coalesce(b.received_at, b.loaded_at) DESC, c.batch_id DESC, c.source_row DESC) = 1
),
upd AS (
    SELECT case_id,
        arg_max(fine_yuan, updated_at) FILTER (WHERE fine_yuan IS NOT NULL) AS fine_yuan,
        arg_max(confiscated_yuan, updated_at) FILTER (WHERE confiscated_yuan IS NOT NULL) AS confiscated_yuan
    FROM case_updates GROUP BY case_id
),
st AS (
    SELECT case_id, stage, fine_yuan FROM (
        SELECT r.case_id, r.stage, r.fine_yuan, coalesce(b.received_at, b.loaded_at) AS arrived, r.batch_id AS bid, r.source_row AS sr
        FROM raw_case_stages r JOIN load_batches b USING (batch_id)
        WHERE b.replaced_by IS NULL AND r.stage IN ('penalty', 'judged')
        UNION ALL
        SELECT case_id, stage, fine_yuan, entered_at, NULL, NULL FROM case_stage_entries WHERE stage IN ('penalty', 'judged'))
    QUALIFY row_number() OVER (PARTITION BY case_id, stage ORDER BY arrived DESC, bid DESC NULLS FIRST, sr DESC NULLS FIRST) = 1
),
decided AS (
    SELECT r.case_id, '罚款' AS kind, coalesce(p.fine_yuan, u.fine_yuan, r.fine_yuan) AS yuan
    FROM reg r LEFT JOIN upd u USING (case_id) LEFT JOIN st p ON p.case_id = r.case_id AND p.stage = 'penalty'
    UNION ALL
    SELECT r.case_id, '没收违法所得', coalesce(u.confiscated_yuan, r.confiscated_yuan) FROM reg r LEFT JOIN upd u USING (case_id)
    UNION ALL
    SELECT r.case_id, '罚金', j.fine_yuan FROM reg r JOIN st j ON j.case_id = r.case_id AND j.stage = 'judged'
),
collected AS (
    SELECT trim(c.case_id) AS case_id, c.fine_kind AS kind, sum(c.amount_yuan) AS yuan
    FROM raw_collections c JOIN load_batches b USING (batch_id) WHERE b.replaced_by IS NULL GROUP BY ALL
    UNION ALL
    SELECT trim(case_id), fine_kind, sum(amount_yuan) FROM collection_entries GROUP BY ALL
)
SELECT r.case_id, k.kind,
    CAST(coalesce((SELECT max(yuan) FROM decided d WHERE d.case_id = r.case_id AND d.kind = k.kind), 0) AS DOUBLE),
    CAST(coalesce((SELECT sum(yuan) FROM collected c WHERE c.case_id = r.case_id AND c.kind = k.kind), 0) AS DOUBLE)
FROM reg r CROSS JOIN (VALUES ('罚款'), ('没收违法所得'), ('罚金')) k(kind)`

// CheckCollections refuses, all at once, every collection that names a case no register holds,
// reuses a receipt number (within cs, or one loaded or entered before), or takes a case's kind above
// what is decided (counting the collections before it and those earlier in cs). tx is the load's
// or the console's transaction.
func CheckCollections(ctx context.Context, tx batch.Querier, cs []Collection) ([]CollectionProblem, error) {
	type key struct{ c, k string }
	decided, collected, known := map[key]float64{}, map[key]float64{}, map[string]bool{}
	rows, err := tx.QueryContext(ctx, collectionLimitsSQL)
	if err != nil {
		return nil, fmt.Errorf("读取已决定的罚没款：%w", err)
	}
	for rows.Next() {
		var c, k string
		var d, got float64
		if err := rows.Scan(&c, &k, &d, &got); err != nil {
			rows.Close()
			return nil, err
		}
		known[c], decided[key{c, k}], collected[key{c, k}] = true, d, got
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	used := map[string]string{}
	rows, err = tx.QueryContext(ctx, `SELECT trim(c.receipt_no), '批次' || CAST(c.batch_id AS VARCHAR) FROM raw_collections c
		JOIN load_batches b USING (batch_id) WHERE b.replaced_by IS NULL
		UNION ALL SELECT trim(receipt_no), '财政局控制台' FROM collection_entries`)
	if err != nil {
		return nil, fmt.Errorf("读取缴款记录：%w", err)
	}
	for rows.Next() {
		var r, by string
		if err := rows.Scan(&r, &by); err != nil {
			rows.Close()
			return nil, err
		}
		used[r] = by
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []CollectionProblem
	inFile := map[string]int{}
	for _, c := range cs {
		if r := strings.TrimSpace(c.Receipt); r != "" {
			if by, ok := used[r]; ok {
				out = append(out, CollectionProblem{c.Row, "票据号", r, "票据号已由" + by + "登记，同一张票据不能收缴两次"})
			} else if row, ok := inFile[r]; ok {
				out = append(out, CollectionProblem{c.Row, "票据号", r, fmt.Sprintf("票据号与第%d行重复，同一张票据不能收缴两次", row)})
			} else {
				inFile[r] = c.Row
			}
		}
		id := strings.TrimSpace(c.CaseID)
		if id == "" {
			continue
		}
		if !known[id] {
			out = append(out, CollectionProblem{c.Row, "案件编号", id, "不是已导入案件台账的案件编号"})
			continue
		}
		if c.Kind == "" || c.Amount <= 0 {
			continue
		}
		k := key{id, c.Kind}
		collected[k] += c.Amount
		if collected[k] > decided[k]+0.005 {
			out = append(out, CollectionProblem{c.Row, "金额", money(c.Amount),
				fmt.Sprintf("累计收缴%s %s 元，超过决定的%s %s 元", c.Kind, money(collected[k]), c.Kind, money(decided[k]))})
		}
	}
	return out, nil
}

// money writes a yuan amount without trailing zeros (12000, 12000.5).
func money(v float64) string {
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}

func convCollections(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_collections", cols: []string{"source_row", "case_id", "doc_no", "paid_on", "amount_yuan", "receipt_no",
		"fine_kind", "note", "extra"},
		idTable: "raw_collections", idField: "receipt_no", idCol: "票据号"}
	var cs []Collection
	for _, r := range recs {
		id := r.Get("case_id")
		if id == "" {
			l.p.Add(r.Row, "案件编号", "", "不能为空")
		}
		kind := l.oneOf(r, "fine_kind", "类型", true, FineKinds...)
		amount := l.number(r, "amount_yuan", "金额", true)
		if r.Get("amount_yuan") == "" {
			l.p.Add(r.Row, "金额", "", "不能为空")
		} else if a, ok := amount.(float64); ok && a <= 0 {
			l.p.Add(r.Row, "金额", r.Get("amount_yuan"), "应大于 0（元）")
		}
		paid := l.anyDate(r, "paid_on", "缴款日期")
		if d, ok := paid.(time.Time); ok && d.Before(l.cfg.Start()) {
			l.p.Add(r.Row, "缴款日期", r.Get("paid_on"), "早于专项行动开始")
			paid = nil
		}
		receipt := r.Get("receipt_no")
		if receipt == "" {
			l.p.Add(r.Row, "票据号", "", "不能为空")
		}
		k, _ := kind.(string)
		a, _ := amount.(float64)
		cs = append(cs, Collection{Row: r.Row, CaseID: id, Kind: k, Amount: a, Receipt: ""})
		o.rows = append(o.rows, []any{r.Row, optional(r, "case_id"), optional(r, "doc_no"), paid, amount, optional(r, "receipt_no"),
			kind, optional(r, "note"), extraJSON(r)})
		o.ids, o.idRows = append(o.ids, receipt), append(o.idRows, r.Row)
	}
	// Receipt numbers within the file and against earlier batches are checked with the ids
	// (checkIDs); here the console's entries, the cases and the amounts.
	if l.cache != nil { // the cases and receipts of a manifest's earlier files are read with the rest
		if err := l.cache.flush(); err != nil {
			return nil, err
		}
	}
	probs, err := CheckCollections(l.ctx, l.tx, cs)
	if err != nil {
		return nil, err
	}
	for _, p := range probs {
		l.p.Add(p.Row, p.Column, p.Value, p.Msg)
	}
	entered, err := l.idSet(`SELECT trim(receipt_no) FROM collection_entries`)
	if err != nil {
		return nil, fmt.Errorf("读取缴款记录：%w", err)
	}
	for i, id := range o.ids {
		if entered[strings.TrimSpace(id)] {
			l.p.Add(o.idRows[i], "票据号", id, "票据号已由财政局控制台登记，同一张票据不能收缴两次")
		}
	}
	return o, nil
}
