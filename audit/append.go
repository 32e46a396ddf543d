package audit

import (
	"context"
	"fmt"
	"time"

	"landwatch/queries"
	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

// Auditor appends one entry to the audit chain, in a transaction of its own, after the action it
// records has committed. A BoundRow in the detail binds the row (bound.go).
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

// verifyRecords checks that every frozen day's snapshot still hashes to the value its freeze row
// records; the freeze rows themselves are bound rows (bound.go), checked against their entries.
func verifyRecords(ctx context.Context, db *warehouse.DB) ([]Finding, error) {
	bad, err := queries.VerifyFreezes(ctx, db)
	if err != nil {
		return nil, err
	}
	var out []Finding
	for _, b := range bad {
		out = append(out, Finding{Kind: "snapshot", Text: b})
	}
	return out, nil
}
