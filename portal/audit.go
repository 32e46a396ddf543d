package portal

import (
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
	"strconv"
	"strings"
	"time"

	"landwatch/warehouse"
)

// The audit log is append-only and hash-chained: entry n carries prev_mac (entry n-1's mac) and
// mac = HMAC-SHA256(audit key, prev_mac | seq | at | actor | action | object | detail). The key comes
// from the secret file next to the warehouse, so an editor of the warehouse alone cannot forge an
// entry; the file <db>.audit holds the last entry's seq and mac, so entries cut from the end show.

// auditEntry is one row of audit_log.
type auditEntry struct {
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

func (k *keys) auditMAC(e auditEntry) string {
	m := hmac.New(sha256.New, k.audit)
	for _, f := range []string{e.PrevMAC, strconv.FormatInt(e.Seq, 10), auditTime(e.At), e.Actor, e.Action, e.Object, e.Detail} {
		m.Write([]byte(f))
		m.Write([]byte{0x1f})
	}
	return hex.EncodeToString(m.Sum(nil))
}

// auditHead is the chain's last entry, kept in memory by the server and in <db>.audit on disk.
type auditHead struct {
	Seq int64
	MAC string
}

func readAuditHead(dbPath string) (*auditHead, error) {
	b, err := os.ReadFile(AuditHeadPath(dbPath))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return nil, fmt.Errorf("audit head %s: malformed", AuditHeadPath(dbPath))
	}
	seq, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("audit head %s: %w", AuditHeadPath(dbPath), err)
	}
	return &auditHead{Seq: seq, MAC: f[1]}, nil
}

func writeAuditHead(dbPath string, h auditHead) error {
	p := AuditHeadPath(dbPath)
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(fmt.Sprintf("%d %s\n", h.Seq, h.MAC)), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// lastAudit reads the chain's last entry from the warehouse.
func lastAudit(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (auditHead, error) {
	var h auditHead
	err := q.QueryRowContext(ctx, `SELECT seq, mac FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&h.Seq, &h.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		return auditHead{}, nil
	}
	return h, err
}

// auditTx collects the entries of one transaction; the server's write lock orders them.
type auditTx struct {
	k       *keys
	tx      *sql.Tx
	head    auditHead
	now     time.Time
	entries int
}

// add appends an entry; detail is marshalled to JSON with sorted keys.
func (a *auditTx) add(ctx context.Context, actor, action, object string, detail map[string]any) error {
	d, err := json.Marshal(detail)
	if err != nil {
		return err
	}
	e := auditEntry{Seq: a.head.Seq + 1, At: a.now, Actor: actor, Action: action, Object: object, Detail: string(d), PrevMAC: a.head.MAC}
	e.MAC = a.k.auditMAC(e)
	if _, err := a.tx.ExecContext(ctx, `INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UTC(), e.Actor, e.Action, e.Object, e.Detail, e.PrevMAC, e.MAC); err != nil {
		return fmt.Errorf("audit %s %s: %w", action, object, err)
	}
	a.head = auditHead{Seq: e.Seq, MAC: e.MAC}
	a.entries++
	return nil
}

// Finding is one defect `audit verify` found.
type Finding struct {
	Seq  int64
	Kind string // edited, deleted, inserted, broken
	Text string
}

func (f Finding) String() string { return fmt.Sprintf("#%d %s: %s", f.Seq, f.Kind, f.Text) }

// VerifyAudit checks the audit chain of the warehouse at dbPath (whose secret file must be next to
// it) and returns the number of entries and every defect, each naming the entry.
func VerifyAudit(ctx context.Context, db *warehouse.DB) (int, []Finding, error) {
	k, err := loadKeys(db.Path, false)
	if err != nil {
		return 0, nil, err
	}
	head, err := readAuditHead(db.Path)
	if err != nil {
		return 0, nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT seq, logged_at, actor, action, object, detail, prev_mac, mac FROM audit_log ORDER BY seq, mac`)
	if err != nil {
		return 0, nil, fmt.Errorf("read audit_log: %w", err)
	}
	defer rows.Close()
	var all []auditEntry
	count := map[int64]int{}
	for rows.Next() {
		var e auditEntry
		if err := rows.Scan(&e.Seq, &e.At, &e.Actor, &e.Action, &e.Object, &e.Detail, &e.PrevMAC, &e.MAC); err != nil {
			return 0, nil, err
		}
		all = append(all, e)
		count[e.Seq]++
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	findings := verifyChain(k, all, count, head)
	more, err := verifyRecords(ctx, db, all)
	if err != nil {
		return 0, nil, err
	}
	return len(all), append(findings, more...), nil
}

func describe(e auditEntry) string {
	return fmt.Sprintf("%s %s %s %s by %s", auditTime(e.At), e.Action, e.Object, e.Detail, e.Actor)
}

func verifyChain(k *keys, all []auditEntry, count map[int64]int, head *auditHead) []Finding {
	var out []Finding
	prev, expect := "", int64(1)
	for _, e := range all {
		valid := k.auditMAC(e) == e.MAC
		switch {
		case !valid && (count[e.Seq] > 1 || e.Seq < expect || (head != nil && e.Seq > head.Seq)):
			out = append(out, Finding{e.Seq, "inserted", "entry not written by the server (插入的条目): " + describe(e)})
			continue
		case valid && e.Seq < expect:
			out = append(out, Finding{e.Seq, "inserted", "duplicate of an existing entry (重复插入的条目): " + describe(e)})
			continue
		}
		if e.Seq > expect {
			out = append(out, deleted(expect, e.Seq-1))
		} else if e.PrevMAC != prev && valid {
			out = append(out, Finding{e.Seq, "broken", "does not follow the entry before it (链断开)"})
		}
		if !valid {
			out = append(out, Finding{e.Seq, "edited", "content does not match its MAC (条目被修改): " + describe(e)})
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
		return Finding{from, "deleted", "entry missing (条目被删除)"}
	}
	return Finding{from, "deleted", fmt.Sprintf("entries %d–%d missing (条目被删除)", from, to)}
}
