package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"landwatch/queries"
	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

// Auditor appends one entry to the audit chain, in a transaction of its own, after the action it
// records has committed. `audit verify` checks that every hand-given arrival stamp and every freeze
// has its entry.
type Auditor interface {
	Audit(ctx context.Context, actor, action, object string, detail map[string]any) error
}

// standaloneAuditor appends for a process that holds the warehouse itself, no server running.
type standaloneAuditor struct{ db *warehouse.DB }

// Standalone is the Auditor of a command that opened the warehouse itself.
func Standalone(db *warehouse.DB) Auditor { return standaloneAuditor{db} }

func (a standaloneAuditor) Audit(ctx context.Context, actor, action, object string, detail map[string]any) error {
	k, err := secret.Load(a.db.Path, true)
	if err != nil {
		return err
	}
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	head, err := lastAudit(ctx, tx)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	fh, err := readAuditHead(a.db.Path)
	if err != nil {
		return err
	}
	wh, err := dbHead(ctx, tx)
	if err != nil {
		return err
	}
	if err := checkNotCut(k, head, fh, wh); err != nil {
		return err
	}
	au := &Tx{k: k, tx: tx, head: head, now: time.Now()}
	if err := au.Add(ctx, actor, action, object, detail); err != nil {
		return err
	}
	signed := sign(k, au.head)
	if err := storeHead(ctx, tx, signed); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return writeAuditHead(a.db.Path, signed)
}

// verifyRecords checks what the chain vouches for outside itself: every frozen day's snapshot still
// hashes to the value its freeze entry recorded (and every freeze has its entry), and every
// hand-given arrival stamp has its entry.
func verifyRecords(ctx context.Context, db *warehouse.DB, all []Entry) ([]Finding, error) {
	var out []Finding
	freezeEntry := map[string]Entry{}
	stampEntry := map[string]bool{}
	for _, e := range all {
		switch e.Action {
		case "models.freeze":
			freezeEntry[e.Object] = e
		case "load.received_stamp":
			stampEntry[e.Object] = true
		}
	}
	fs, err := queries.Freezes(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		day := f.AsOf.Format(time.DateOnly)
		e, ok := freezeEntry[day]
		if !ok {
			out = append(out, Finding{Kind: "snapshot", Text: day + " 的锁定没有审计记录"})
			continue
		}
		var d struct {
			SHA256 string `json:"sha256"`
		}
		if err := json.Unmarshal([]byte(e.Detail), &d); err != nil || d.SHA256 != f.SHA256 {
			out = append(out, Finding{Seq: e.Seq, Kind: "snapshot", Text: day + " 的锁定记录与审计日志中的哈希不符"})
		}
	}
	bad, err := queries.VerifyFreezes(ctx, db)
	if err != nil {
		return nil, err
	}
	for _, b := range bad {
		out = append(out, Finding{Kind: "snapshot", Text: b})
	}
	// the batch records themselves, not a model built from them: what is checked is the fact
	rows, err := db.QueryContext(ctx, `SELECT batch_id, file_name FROM load_batches WHERE received_given_by IS NOT NULL ORDER BY batch_id`)
	if err != nil {
		return nil, fmt.Errorf("read load_batches: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var file string
		if err := rows.Scan(&id, &file); err != nil {
			return nil, err
		}
		if !stampEntry[fmt.Sprint(id)] {
			out = append(out, Finding{Kind: "stamp", Text: fmt.Sprintf("批次%d（%s）的补录送达时间没有审计记录", id, file)})
		}
	}
	return out, rows.Err()
}
