package audit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

// Bound rows. Some rows outside the chain are facts the chain vouches for: a freeze, a batch's
// arrival stamp, an accountability transfer or outcome, a power cut-off, a case stage entry, a
// collection of fines (罚没款收缴), a tip's verdict and triage, an account's role. Each is bound to
// the entry that recorded it: the entry's detail carries, under "bound", the row's table, key,
// fields as written and their SHA-256 (RowHash), computed in the entry's own transaction from the same query the verifier
// runs (boundTables below is the one place that lists each table, its key and its fields). `audit
// verify` re-reads every bound table and names a row whose fields differ from its last entry (an
// edit), an entry whose row is gone (a deletion), a second entry for a row that is written once (a
// rewrite, such as a day frozen again after its freeze was deleted), and a row without any entry.
//
// A freeze entry from before binding (models.freeze with the snapshot's sha256, no "bound") still
// binds its day by that hash: a day frozen again, or a freeze deleted, is named on such a
// warehouse too. Other rows written before binding existed have no binding entry: `landwatch audit baseline` binds
// them once, table by table, with one audited entry (action audit.baseline) listing each row and
// its hash; a table is baselined at most once, so a row that appears later without its entry
// stays named. Until then verify names them as unbound.

// boundTable is one kind of bound row.
type boundTable struct {
	table string
	what  string   // the record in Chinese
	label string   // the row by its key, in Chinese (a format of the key)
	key   string   // SQL: the row's key as VARCHAR
	by    []string // the columns Bind's values match, in order (default: the key itself)
	cols  []string // the fields that matter, in order
	names []string // the fields in Chinese
	once  bool     // written once: a second entry for a key is a rewrite
	redo  string   // what a rewrite is called
}

var boundTables = []boundTable{
	{table: "freezes", label: "%s", what: "锁定", key: `strftime(as_of, '%Y-%m-%d')`, once: true, redo: "被重新锁定",
		cols:  []string{"sha256", "frozen_by", "frozen_at", "scorecards", "violations", "ledger"},
		names: []string{"快照哈希", "锁定人", "锁定时间", "记分卡行数", "违法点位数", "台账项数"}},
	{table: "load_batches", label: "批次 %s", what: "批次的送达时间", key: `CAST(batch_id AS VARCHAR)`, once: true, redo: "被重新记录",
		cols:  []string{"received_at", "received_given_by", "kind", "file_name", "sha256", "rows"},
		names: []string{"送达时间", "补录人", "文件类型", "文件名", "文件哈希", "行数"}},
	{table: "accountability_transfers", label: "第 %s 号移交记录", what: "移交纪检监察记录", key: `CAST(seq AS VARCHAR)`, once: true, redo: "被重新写入",
		cols:  []string{"item_id", "as_of", "transferred_on", "transferred_by", "note", "recorded_at"},
		names: []string{"问题编号", "名单日期", "移交日期", "移交人", "说明", "记录时间"}},
	{table: "accountability_outcomes", label: "第 %s 号处理结果", what: "问责处理结果", key: `CAST(seq AS VARCHAR)`, once: true, redo: "被重新写入",
		cols:  []string{"item_id", "outcome", "outcome_on", "document_no", "recorded_by", "note", "recorded_at"},
		names: []string{"问题编号", "处理结果", "处理日期", "文号", "记录人", "说明", "记录时间"}},
	{table: "power_cutoffs", label: "%s", what: "停电记录", key: `meter_id || '/' || kind || '/' || strftime(recorded_at, '%Y-%m-%d %H:%M:%S.%f')`,
		by: []string{"meter_id", "kind", "recorded_at"}, once: true, redo: "被重新写入",
		cols:  []string{"meter_id", "kind", "cutoff_on", "violation", "note", "entered_by", "recorded_at", "given_by"},
		names: []string{"户号", "类型", "日期", "违法点位", "说明", "填报人", "记录时间", "补录人"}},
	{table: "case_stage_entries", label: "%s", what: "案件环节记录", key: `case_id || '/' || stage || '/' || strftime(entered_at, '%Y-%m-%d %H:%M:%S.%f')`,
		by: []string{"case_id", "stage", "entered_at"}, once: true, redo: "被重新写入",
		cols:  []string{"case_id", "stage", "unit", "stage_on", "term_months", "fine_yuan", "note", "entered_by", "entered_at", "doc_no"},
		names: []string{"案件编号", "环节", "填报单位", "日期", "刑期（月）", "罚金", "说明", "填报人", "填报时间", "决定文号"}},
	{table: "acceptance_entries", label: "验收记录 %s", what: "整改验收记录", key: `entry_id`, once: true, redo: "被重新写入",
		cols:  []string{"item_id", "accepted_on", "unit", "inspector", "result", "note", "entered_by", "entered_at"},
		names: []string{"问题编号", "验收日期", "验收单位", "验收人", "验收结果", "说明", "填报人", "填报时间"}},
	{table: "restoration_entries", label: "%s", what: "恢复治理更新记录", key: `item_id || '/' || strftime(entered_at, '%Y-%m-%d %H:%M:%S.%f')`,
		by: []string{"item_id", "entered_at"}, once: true, redo: "被重新写入",
		cols:  []string{"item_id", "party", "area_mu", "restored_mu", "due_on", "accepted_on", "cost_yuan", "paid_yuan", "payer", "note", "unit", "entered_by", "entered_at"},
		names: []string{"问题编号", "责任方", "应恢复面积", "已恢复面积", "恢复时限", "验收日期", "估算费用", "已付费用", "付款方", "治理方案", "填报单位", "填报人", "填报时间"}},
	{table: "collection_entries", label: "票据 %s", what: "罚没款收缴记录", key: `receipt_no`, once: true, redo: "被重新写入",
		cols:  []string{"receipt_no", "case_id", "doc_no", "paid_on", "amount_yuan", "fine_kind", "note", "entered_by", "entered_at"},
		names: []string{"票据号", "案件编号", "决定文号", "缴款日期", "金额", "类型", "说明", "登记人", "登记时间"}},
	{table: "tips", label: "举报 %s", what: "举报的核查结论和分拣", key: `tip_id`,
		cols:  []string{"status", "verdict", "verified_on", "category", "township", "assigned_to", "linked_ref", "duplicate_of", "confidential"},
		names: []string{"状态", "核查结论", "核查日期", "类别", "乡镇", "交办单位", "关联编号", "重复举报", "涉及公职人员"}},
	{table: "users", label: "账号 %s", what: "账号角色", key: `username`,
		cols:  []string{"role", "scope", "disabled"},
		names: []string{"角色", "范围", "停用"}},
}

func boundTableOf(table string) (boundTable, bool) {
	for _, t := range boundTables {
		if t.table == table {
			return t, true
		}
	}
	return boundTable{}, false
}

// query reads the bound rows (all, or the one with key = ?): the key, then each field as VARCHAR.
func (t boundTable) query(one bool) string {
	sel := []string{t.key}
	for _, c := range t.cols {
		sel = append(sel, `CAST("`+c+`" AS VARCHAR)`)
	}
	var conds []string
	if one && len(t.by) == 0 {
		conds = append(conds, t.key+" = ?")
	}
	for _, c := range t.by {
		if one {
			conds = append(conds, `"`+c+`" = ?`)
		}
	}
	q := "SELECT " + strings.Join(sel, ", ") + " FROM " + t.table
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	return q + " ORDER BY 1"
}

// boundRow is a row as read by its table's query.
type boundRow struct {
	key  string
	vals []sql.NullString
}

func scanBound(rows *sql.Rows, t boundTable) (boundRow, error) {
	r := boundRow{vals: make([]sql.NullString, len(t.cols))}
	ptrs := []any{&r.key}
	for i := range r.vals {
		ptrs = append(ptrs, &r.vals[i])
	}
	return r, rows.Scan(ptrs...)
}

// RowHash is the canonical hash of a bound row: SHA-256 over the table, the key and each field as
// name=value (a NULL as name with no '='), separated by 0x1f.
func RowHash(table, key string, cols []string, vals []sql.NullString) string {
	h := sha256.New()
	h.Write([]byte(table + "\x1f" + key))
	for i, c := range cols {
		h.Write([]byte("\x1f" + c))
		if vals[i].Valid {
			h.Write([]byte("=" + vals[i].String))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// record is what an entry's detail keeps of a bound row.
func (t boundTable) record(r boundRow) map[string]any {
	fields := map[string]any{}
	for i, c := range t.cols {
		if r.vals[i].Valid {
			fields[c] = r.vals[i].String
		} else {
			fields[c] = nil
		}
	}
	return map[string]any{"table": t.table, "key": r.key, "sha256": RowHash(t.table, r.key, t.cols, r.vals), "row": fields}
}

// BoundRow names a row to bind to the entry that records it: put it in the entry's detail under
// "bound" (Tx.Add and every Auditor replace it by the row's fields and hash, read in the entry's
// transaction, after the row was written).
type BoundRow struct {
	Table string
	By    []any
}

// Bind is the BoundRow of table's row whose key is by: the key as the table's key expression
// renders it, or the values of its by columns in order (boundTables).
func Bind(table string, by ...any) BoundRow { return BoundRow{table, by} }

// BoundRows names several rows of one table to bind to one entry (a manifest's batches): each
// is bound as a BoundRow would bind it.
type BoundRows struct {
	Table string
	Keys  []string // each row's key as the table's key expression renders it
}

// BindAll is the BoundRows of table's rows with these keys.
func BindAll(table string, keys ...string) BoundRows { return BoundRows{table, keys} }

// baselineRef asks Tx.Add to bind every row of a table that has no binding entry yet.
type baselineRef struct{ table string }

// resolveBound replaces a BoundRow or baseline request in detail by the records it binds.
func resolveBound(ctx context.Context, tx *sql.Tx, detail map[string]any) (map[string]any, error) {
	var recs []map[string]any
	switch b := detail["bound"].(type) {
	case BoundRow:
		t, ok := boundTableOf(b.Table)
		if !ok {
			return nil, fmt.Errorf("audit: %s is not a bound table", b.Table)
		}
		rows, err := tx.QueryContext(ctx, t.query(true), b.By...)
		if err != nil {
			return nil, fmt.Errorf("audit: read %s %v: %w", b.Table, b.By, err)
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanBound(rows, t)
			if err != nil {
				return nil, err
			}
			recs = append(recs, t.record(r))
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(recs) != 1 {
			return nil, fmt.Errorf("audit: %s %v: %d rows to bind, want 1", b.Table, b.By, len(recs))
		}
	case BoundRows:
		t, ok := boundTableOf(b.Table)
		if !ok || len(t.by) > 0 {
			return nil, fmt.Errorf("audit: %s is not a bound table keyed by one value", b.Table)
		}
		want := make(map[string]bool, len(b.Keys))
		for _, k := range b.Keys {
			want[k] = true
		}
		rows, err := tx.QueryContext(ctx, t.query(false))
		if err != nil {
			return nil, fmt.Errorf("audit: read %s: %w", b.Table, err)
		}
		defer rows.Close()
		byKey := map[string]map[string]any{}
		for rows.Next() {
			r, err := scanBound(rows, t)
			if err != nil {
				return nil, err
			}
			if want[r.key] {
				byKey[r.key] = t.record(r)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, k := range b.Keys {
			rec, ok := byKey[k]
			if !ok {
				return nil, fmt.Errorf("audit: %s %s: no row to bind", b.Table, k)
			}
			recs = append(recs, rec)
		}
	case baselineRef:
		var err error
		if recs, err = baselineRecords(ctx, tx, b.table); err != nil {
			return nil, err
		}
	default:
		return detail, nil
	}
	out := make(map[string]any, len(detail))
	for k, v := range detail {
		out[k] = v
	}
	out["bound"] = recs
	if _, ok := detail["bound"].(baselineRef); ok {
		out["rows"] = len(recs)
	}
	return out, nil
}

// boundEntry is one binding of a row by an entry.
type boundEntry struct {
	seq     int64
	sum     string
	row     map[string]any
	base    bool // by audit.baseline
	partial bool // a freeze entry from before binding: its snapshot hash only, no row hash
}

// bindings reads the bound records of the entries whose MAC holds (all of them when k is nil,
// inside an append), by table and key, in chain order; and the tables already baselined.
func bindings(k *secret.Keys, all []Entry) (map[string]map[string][]boundEntry, map[string]bool) {
	out := map[string]map[string][]boundEntry{}
	based := map[string]bool{}
	add := func(table, key string, b boundEntry) {
		if out[table] == nil {
			out[table] = map[string][]boundEntry{}
		}
		out[table][key] = append(out[table][key], b)
	}
	for _, e := range all {
		if k != nil && MAC(k, e) != e.MAC {
			continue
		}
		if e.Action == "models.freeze" && !strings.Contains(e.Detail, `"bound"`) {
			// a freeze recorded before binding existed: its snapshot hash is still a binding
			var d struct {
				SHA256 string `json:"sha256"`
			}
			if json.Unmarshal([]byte(e.Detail), &d) == nil && d.SHA256 != "" {
				add("freezes", e.Object, boundEntry{seq: e.Seq, row: map[string]any{"sha256": d.SHA256}, partial: true})
			}
			continue
		}
		if !strings.Contains(e.Detail, `"bound"`) {
			continue
		}
		var d struct {
			Bound []struct {
				Table, Key, SHA256 string
				Row                map[string]any
			} `json:"bound"`
		}
		if json.Unmarshal([]byte(e.Detail), &d) != nil {
			continue
		}
		if e.Action == "audit.baseline" {
			based[e.Object] = true
		}
		for _, b := range d.Bound {
			add(b.Table, b.Key, boundEntry{seq: e.Seq, sum: b.SHA256, row: b.Row, base: e.Action == "audit.baseline"})
		}
	}
	return out, based
}

// ErrBaselined refuses a second baseline of a table.
var ErrBaselined = errors.New("已建立过基线")

// baselineRecords are the rows of table that no entry binds yet; refused when the table was
// baselined before.
func baselineRecords(ctx context.Context, tx *sql.Tx, table string) ([]map[string]any, error) {
	t, ok := boundTableOf(table)
	if !ok {
		return nil, fmt.Errorf("audit: %s is not a bound table", table)
	}
	var all []Entry
	rows, err := tx.QueryContext(ctx, `SELECT seq, action, object, detail FROM audit_log WHERE detail LIKE '%"bound"%' OR action = 'models.freeze' ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.Seq, &e.Action, &e.Object, &e.Detail); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, e)
	}
	rows.Close()
	bound, based := bindings(nil, all)
	if based[table] {
		return nil, fmt.Errorf("%s（%s）%w，不能再建立", t.what, table, ErrBaselined)
	}
	var recs []map[string]any
	rows, err = tx.QueryContext(ctx, t.query(false))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanBound(rows, t)
		if err != nil {
			return nil, err
		}
		if len(bound[table][r.key]) == 0 {
			recs = append(recs, t.record(r))
		}
	}
	return recs, rows.Err()
}

// Baseline binds, table by table, the rows written before binding existed (those no entry binds)
// with one audit.baseline entry per table through au; a table baselined before is skipped. It
// returns the tables it baselined, in Chinese.
func Baseline(ctx context.Context, au Auditor, actor string) ([]string, error) {
	var out []string
	for _, t := range boundTables {
		err := au.Audit(ctx, actor, "audit.baseline", t.table, map[string]any{"record": t.what, "bound": baselineRef{t.table}})
		if errors.Is(err, ErrBaselined) {
			continue
		}
		if err != nil {
			return out, err
		}
		out = append(out, t.what)
	}
	return out, nil
}

// verifyBound checks every bound table against the entries that bind its rows.
func verifyBound(ctx context.Context, db *warehouse.DB, k *secret.Keys, all []Entry) ([]Finding, error) {
	bound, _ := bindings(k, all)
	var out []Finding
	for _, t := range boundTables {
		byKey := bound[t.table]
		seen := map[string]int{}
		err := warehouse.EachRow(ctx, db, t.query(false), nil, func(rows *sql.Rows) error {
			r, err := scanBound(rows, t)
			if err != nil {
				return err
			}
			seen[r.key]++
			if seen[r.key] == 2 {
				out = append(out, Finding{0, "bound", fmt.Sprintf("%s出现了不止一行（%s）：多出的行没有审计记录", t.what, t.name(r.key))})
			}
			if seen[r.key] > 1 {
				return nil
			}
			es := byKey[r.key]
			if len(es) == 0 {
				out = append(out, Finding{0, "bound", fmt.Sprintf("%s没有审计记录：%s 在审计日志中没有对应的条目（写入时未经审计；绑定以前写入的记录需先运行 landwatch audit baseline）", t.what, t.name(r.key))})
				return nil
			}
			last := es[len(es)-1]
			if RowHash(t.table, r.key, t.cols, r.vals) == last.sum {
				return nil
			}
			var diffs []string
			for i, c := range t.cols {
				if _, ok := last.row[c]; !ok && last.partial {
					continue
				}
				was, wasSet := last.row[c].(string)
				if now := r.vals[i]; now.Valid != wasSet || now.String != was {
					diffs = append(diffs, fmt.Sprintf("%s现为“%s”，记录时为“%s”", t.names[i], show(now.String, now.Valid), show(was, wasSet)))
				}
			}
			if len(diffs) == 0 && last.partial {
				return nil
			}
			if len(diffs) == 0 {
				diffs = append(diffs, "内容与记录时的哈希不符")
			}
			out = append(out, Finding{last.seq, "bound", fmt.Sprintf("%s被改动：%s 的%s（审计日志第 %d 条）", t.what, t.name(r.key), strings.Join(diffs, "，"), last.seq)})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", t.table, err)
		}
		keys := make([]string, 0, len(byKey))
		for key := range byKey {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		for _, key := range keys {
			es := byKey[key]
			if t.once {
				for i := 1; i < len(es); i++ {
					out = append(out, Finding{es[i].seq, "bound", fmt.Sprintf("%s%s：%s 已由审计日志第 %d 条记录（哈希 %s），第 %d 条又记录了一次（哈希 %s）",
						t.what, t.redo, t.name(key), es[i-1].seq, es[i-1].hash(), es[i].seq, es[i].hash())})
				}
			}
			if seen[key] == 0 {
				last := es[len(es)-1]
				out = append(out, Finding{last.seq, "bound", fmt.Sprintf("%s被删除：%s 由审计日志第 %d 条记录，数据仓库中已没有这一行", t.what, t.name(key), last.seq)})
			}
		}
	}
	return out, nil
}

func (t boundTable) name(key string) string { return fmt.Sprintf(t.label, key) }

func show(s string, ok bool) string {
	if !ok {
		return "空"
	}
	return s
}

// hash is what a binding is known by: a freeze's snapshot hash, else the row's hash (its first 16
// digits).
func (b boundEntry) hash() string {
	s := b.sum
	if h, ok := b.row["sha256"].(string); ok {
		s = h
	}
	if len(s) > 16 {
		return s[:16]
	}
	return s
}
