// Package audit owns the audit chain: the append-only, hash-chained log of every audited write
// (audit_log), its head signed and kept twice (the table audit_head and the file <db>.audit), the
// Chain through which the server appends, the Auditor a command that holds the warehouse itself
// appends with, and Verify, which `landwatch audit verify` and the office's audit page run. It needs
// the warehouse, its key file (warehouse/secret) and, to check frozen days, the models (queries):
// it sits above them, and the command line reaches it without the web portal.
package audit

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

// The log is append-only and hash-chained: entry n carries prev_mac (entry n-1's mac) and
// mac = HMAC-SHA256(audit key, prev_mac | seq | at | actor | action | object | detail). The key comes
// from the secret file next to the warehouse, so an editor of the warehouse alone cannot forge an
// entry. The head (the last entry's seq and mac) is itself MACed and kept twice: in the table
// audit_head, written in the same transaction as the entries, and in the file <db>.audit. Entries
// cut from the end show against either; a missing, unsigned or disagreeing head is a defect.

// Entry is one row of audit_log.
type Entry struct {
	Seq     int64
	At      time.Time
	Actor   string
	Action  string
	Object  string
	Detail  string
	PrevMAC string
	MAC     string
}

func auditTime(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
}

// MAC is the entry's MAC under the keys' audit key.
func MAC(k *secret.Keys, e Entry) string {
	m := hmac.New(sha256.New, k.AuditKey())
	for _, f := range []string{e.PrevMAC, strconv.FormatInt(e.Seq, 10), auditTime(e.At), e.Actor, e.Action, e.Object, e.Detail} {
		m.Write([]byte(f))
		m.Write([]byte{0x1f})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Head is the chain's last entry, kept in memory by the server's Chain, in the table audit_head and
// in <db>.audit on disk; Sig is its MAC.
type Head struct {
	Seq int64
	MAC string
	Sig string
}

func headMAC(k *secret.Keys, h Head) string {
	m := hmac.New(sha256.New, k.AuditKey())
	m.Write([]byte("head\x1f" + strconv.FormatInt(h.Seq, 10) + "\x1f" + h.MAC))
	return hex.EncodeToString(m.Sum(nil))
}

func sign(k *secret.Keys, h Head) Head {
	h.Sig = headMAC(k, h)
	return h
}

func signed(k *secret.Keys, h *Head) bool {
	return h != nil && hmac.Equal([]byte(h.Sig), []byte(headMAC(k, *h)))
}

// HeadPath is the head file of the warehouse at db.
func HeadPath(db string) string { return db + ".audit" }

// readAuditHead reads <db>.audit: "seq mac sig"; nil when there is none.
func readAuditHead(dbPath string) (*Head, error) {
	b, err := os.ReadFile(HeadPath(dbPath))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read audit head: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) != 2 && len(f) != 3 {
		return nil, fmt.Errorf("audit head %s: malformed", HeadPath(dbPath))
	}
	seq, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("audit head %s: %w", HeadPath(dbPath), err)
	}
	h := &Head{Seq: seq, MAC: strings.TrimPrefix(f[1], "-")}
	if len(f) == 3 {
		h.Sig = f[2]
	}
	return h, nil
}

func writeAuditHead(dbPath string, h Head) error {
	p := HeadPath(dbPath)
	tmp := p + ".tmp"
	mac := cmp.Or(h.MAC, "-") // the head of an empty chain
	if err := os.WriteFile(tmp, []byte(fmt.Sprintf("%d %s %s\n", h.Seq, mac, h.Sig)), 0o600); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

type execer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}

// storeHead replaces the head kept in the warehouse: one statement when its one row is there (every
// audited transaction pays it, the tips' group commits included), else the table is rewritten
// with the one row.
func storeHead(ctx context.Context, tx execer, h Head) error {
	r, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = ?, mac = ?, head_mac = ?`, h.Seq, h.MAC, h.Sig)
	if err != nil {
		return fmt.Errorf("store audit head: %w", err)
	}
	if n, err := r.RowsAffected(); err == nil && n == 1 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_head`); err != nil {
		return fmt.Errorf("store audit head: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_head VALUES (?, ?, ?)`, h.Seq, h.MAC, h.Sig); err != nil {
		return fmt.Errorf("store audit head: %w", err)
	}
	return nil
}

// dbHead reads the head kept in the warehouse; nil when there is none.
func dbHead(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (*Head, error) {
	var h Head
	err := q.QueryRowContext(ctx, `SELECT seq, mac, head_mac FROM audit_head ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.MAC, &h.Sig)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read audit head: %w", err)
	}
	return &h, nil
}

// lastAudit reads the chain's last entry from the warehouse.
func lastAudit(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (Head, error) {
	var h Head
	err := q.QueryRowContext(ctx, `SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		return Head{}, nil
	}
	return h, err
}

// Tx collects the entries of one transaction; the Chain's lock orders them.
type Tx struct {
	k       *secret.Keys
	tx      *sql.Tx
	head    Head
	now     time.Time
	entries int
}

// Add appends an entry; detail is marshalled to JSON with sorted keys. A BoundRow under "bound"
// binds that row, as it stands in this transaction, to the entry (bound.go).
func (a *Tx) Add(ctx context.Context, actor, action, object string, detail map[string]any) error {
	detail, err := resolveBound(ctx, a.tx, detail)
	if err != nil {
		return err
	}
	d, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	at := a.now
	if actor == "citizen" {
		at = at.Truncate(time.Hour) // what a citizen did is kept to the hour only
	}
	e := Entry{Seq: a.head.Seq + 1, At: at, Actor: actor, Action: action, Object: object, Detail: string(d), PrevMAC: a.head.MAC}
	e.MAC = MAC(a.k, e)
	if _, err := a.tx.ExecContext(ctx, `INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UTC(), e.Actor, e.Action, e.Object, e.Detail, e.PrevMAC, e.MAC); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, object, err)
	}
	a.head = Head{Seq: e.Seq, MAC: e.MAC}
	a.entries++
	return nil
}

// Finding is one defect `audit verify` found.
type Finding struct {
	Seq  int64
	Kind string // edited, deleted, inserted, broken
	Text string
}

var findingNames = map[string]string{"edited": "被修改", "deleted": "被删除", "inserted": "被插入", "broken": "链断开",
	"head": "链头", "reward": "奖励", "payout": "支付", "bound": "记录", "snapshot": "锁定快照"}

func (f Finding) String() string {
	if f.Seq == 0 { // a row with no entry, or a head missing altogether
		return fmt.Sprintf("%s：%s", cmp.Or(findingNames[f.Kind], f.Kind), f.Text)
	}
	return fmt.Sprintf("第 %d 条 %s：%s", f.Seq, cmp.Or(findingNames[f.Kind], f.Kind), f.Text)
}

// Verify checks the audit chain of the warehouse (whose key file must be next to it), its two signed
// heads, the rewards and payouts against the entries that recorded them, every bound row against
// the entry that bound it (bound.go) and every frozen snapshot against its freeze; it returns the
// number of entries and every defect, each naming the entry.
func Verify(ctx context.Context, db *warehouse.DB) (int, []Finding, error) {
	k, err := secret.Load(db.Path, false)
	if err != nil {
		return 0, nil, err
	}
	all, err := readEntries(ctx, db)
	if err != nil {
		return 0, nil, err
	}
	head, out, err := verifyHeads(ctx, db, k)
	if err != nil {
		return 0, nil, err
	}
	out = append(out, verifyChain(k, all, head)...)
	if head != nil && len(all) > 0 {
		last := all[len(all)-1]
		if last.Seq == head.Seq && last.MAC != head.MAC {
			out = append(out, Finding{last.Seq, "head", "最后一条与链头记录的不符"})
		}
	}
	money, err := verifyMoney(ctx, db, k, all)
	if err != nil {
		return 0, nil, err
	}
	more, err := verifyRecords(ctx, db)
	if err != nil {
		return 0, nil, err
	}
	rows, err := verifyBound(ctx, db, k, all)
	if err != nil {
		return 0, nil, err
	}
	return len(all), append(append(append(out, money...), more...), rows...), nil
}

// readEntries reads the whole log in order.
func readEntries(ctx context.Context, db *warehouse.DB) ([]Entry, error) {
	var all []Entry
	err := warehouse.EachRow(ctx, db, `SELECT seq, logged_at, actor, action, object, detail, prev_mac, mac FROM audit_log ORDER BY seq, mac`, nil,
		func(rows *sql.Rows) error {
			var e Entry
			if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Object, &e.Detail, &e.PrevMAC, &e.MAC); err != nil {
				return err
			}
			all = append(all, e)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read audit_log: %w", err)
	}
	return all, nil
}

// verifyHeads checks the two heads (file and warehouse): each there, signed, and the two alike; it
// returns the furthest signed head.
func verifyHeads(ctx context.Context, db *warehouse.DB, k *secret.Keys) (*Head, []Finding, error) {
	fileHead, err := readAuditHead(db.Path)
	if err != nil {
		return nil, nil, err
	}
	whHead, err := dbHead(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	var out []Finding
	var head *Head
	for _, c := range []struct {
		h    *Head
		name string
	}{{fileHead, "链头文件 " + HeadPath(db.Path)}, {whHead, "数据仓库中的链头（audit_head）"}} {
		switch {
		case c.h == nil:
			out = append(out, Finding{0, "head", c.name + "缺失：无法确认日志末尾没有被删除"})
		case !signed(k, c.h):
			out = append(out, Finding{c.h.Seq, "head", c.name + "签名无效：不是服务器写入的"})
		case head == nil || c.h.Seq > head.Seq:
			head = c.h
		}
	}
	if signed(k, fileHead) && signed(k, whHead) && (fileHead.Seq != whHead.Seq || fileHead.MAC != whHead.MAC) {
		out = append(out, Finding{min(fileHead.Seq, whHead.Seq), "head", fmt.Sprintf("两处链头不一致：文件记到第 %d 条，数据仓库记到第 %d 条", fileHead.Seq, whHead.Seq)})
	}
	return head, out, nil
}

// verifyMoney compares every reward and payout with the audit entry that recorded it: an amount,
// date or voucher edited in the warehouse, a row without its entry or an entry without its row is
// a defect.
func verifyMoney(ctx context.Context, db *warehouse.DB, k *secret.Keys, all []Entry) ([]Finding, error) {
	var out []Finding
	for _, c := range moneyChecks {
		f, err := c.verify(ctx, db, k, all)
		if err != nil {
			return nil, err
		}
		out = append(out, f...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out, nil
}

// moneyCheck is one kind of money row the chain vouches for: the entries that record it, and the
// query of its rows (the id, then the fields, named as in the entries' detail).
type moneyCheck struct {
	action, idKey, kind, what string
	missing                   string // the finding for an entry without its row: seq, id
	query                     string
	fields                    []string
}

var moneyChecks = []moneyCheck{
	{"reward.approved", "reward_id", "reward", "奖励", "审计日志第 %d 条批准的奖励 %s 在数据仓库中不存在",
		`SELECT reward_id, severity, CAST(amount_yuan AS VARCHAR) FROM rewards ORDER BY reward_id`, []string{"severity", "amount_yuan"}},
	{"payout.recorded", "payout_id", "payout", "支付记录", "审计日志第 %d 条记录的支付 %s 在数据仓库中不存在",
		`SELECT payout_id, reward_id, CAST(amount_yuan AS VARCHAR), voucher_no, strftime(paid_on, '%Y-%m-%d') FROM payouts ORDER BY payout_id`,
		[]string{"reward_id", "amount_yuan", "voucher_no", "paid_on"}},
}

// recorded is an entry's detail by the id it names.
type recorded struct {
	seq    int64
	detail map[string]any
}

func (c moneyCheck) verify(ctx context.Context, db *warehouse.DB, k *secret.Keys, all []Entry) ([]Finding, error) {
	byID := map[string]recorded{}
	for _, e := range all {
		var d map[string]any
		if e.Action != c.action || MAC(k, e) != e.MAC || json.Unmarshal([]byte(e.Detail), &d) != nil {
			continue
		}
		id, _ := d[c.idKey].(string)
		byID[id] = recorded{e.Seq, d}
	}
	var out []Finding
	seen := map[string]bool{}
	err := warehouse.EachRow(ctx, db, c.query, nil, func(rows *sql.Rows) error {
		vals := make([]string, 1+len(c.fields))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		id := vals[0]
		seen[id] = true
		r, ok := byID[id]
		if !ok {
			out = append(out, Finding{0, c.kind, fmt.Sprintf("%s %s 在审计日志中没有对应的条目", c.what, id)})
			return nil
		}
		for i, field := range c.fields {
			if want := fmt.Sprint(r.detail[field]); want != vals[i+1] {
				out = append(out, Finding{r.seq, c.kind, fmt.Sprintf("%s %s 的 %s 为 %s，与审计日志第 %d 条记录的 %s 不符", c.what, id, field, vals[i+1], r.seq, want)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %ss: %w", c.kind, err)
	}
	for id, r := range byID {
		if !seen[id] {
			out = append(out, Finding{r.seq, c.kind, fmt.Sprintf(c.missing, r.seq, id)})
		}
	}
	return out, nil
}

func describe(e Entry) string {
	return fmt.Sprintf("%s %s %s %s by %s", auditTime(e.At), e.Action, e.Object, e.Detail, e.Actor)
}

func verifyChain(k *secret.Keys, all []Entry, head *Head) []Finding {
	count := map[int64]int{}
	for _, e := range all {
		count[e.Seq]++
	}
	var out []Finding
	prev, expect := "", int64(1)
	for _, e := range all {
		valid := MAC(k, e) == e.MAC
		switch {
		case !valid && (count[e.Seq] > 1 || e.Seq < expect || (head != nil && e.Seq > head.Seq)):
			out = append(out, Finding{e.Seq, "inserted", "不是服务器写入的条目：" + describe(e)})
			continue
		case valid && e.Seq < expect:
			out = append(out, Finding{e.Seq, "inserted", "重复插入的条目：" + describe(e)})
			continue
		}
		if e.Seq > expect {
			out = append(out, deleted(expect, e.Seq-1))
		} else if e.PrevMAC != prev && valid {
			out = append(out, Finding{e.Seq, "broken", "与前一条接不上"})
		}
		if !valid {
			out = append(out, Finding{e.Seq, "edited", "内容与其校验码不符：" + describe(e)})
		}
		prev, expect = e.MAC, e.Seq+1
	}
	if head != nil && head.Seq >= expect {
		out = append(out, deleted(expect, head.Seq))
	}
	return out
}

func deleted(from, to int64) Finding {
	if from == to {
		return Finding{from, "deleted", "条目缺失"}
	}
	return Finding{from, "deleted", fmt.Sprintf("第 %d–%d 条缺失", from, to)}
}

// Recent is the last n entries, newest first (the office's audit page).
func Recent(ctx context.Context, db *warehouse.DB, n int) ([]Entry, error) {
	var out []Entry
	err := warehouse.EachRow(ctx, db, `SELECT seq, logged_at, actor, action, object, detail FROM audit_log ORDER BY seq DESC LIMIT ?`, []any{n},
		func(rows *sql.Rows) error {
			var e Entry
			if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Object, &e.Detail); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	return out, err
}
