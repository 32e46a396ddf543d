package audit

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

// Chain is the audit chain of a process that writes it over and over (the portal's server): it
// keeps the head in memory and orders every transaction that adds entries under one lock.
type Chain struct {
	mu   sync.Mutex
	db   *warehouse.DB
	keys *secret.Keys
	head Head
	now  func() time.Time
	log  *slog.Logger
}

// OpenChain reads the chain's end from the warehouse. It refuses a chain whose signed head records
// more entries than the chain holds, and writes the first heads of a warehouse that has none yet
// (a new one, or one from before heads were signed, whose old head file agrees with the chain).
func OpenChain(ctx context.Context, db *warehouse.DB, k *secret.Keys, now func() time.Time, log *slog.Logger) (*Chain, error) {
	c := &Chain{db: db, keys: k, now: now, log: log}
	var err error
	if c.head, err = lastAudit(ctx, db); err != nil {
		return nil, fmt.Errorf("read audit chain: %w", err)
	}
	if err := c.checkHeads(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// checkNotCut refuses when a signed head (file or warehouse) records more entries than the chain
// holds: entries were cut from its end.
func checkNotCut(k *secret.Keys, head Head, heads ...*Head) error {
	for _, h := range heads {
		if signed(k, h) && h.Seq > head.Seq {
			return fmt.Errorf("审计日志末尾的条目被删除：数据仓库记到第 %d 条，链头记录到第 %d 条；请运行 `landwatch audit verify`", head.Seq, h.Seq)
		}
	}
	return nil
}

func (c *Chain) checkHeads(ctx context.Context) error {
	fh, err := readAuditHead(c.db.Path)
	if err != nil {
		return err
	}
	wh, err := dbHead(ctx, c.db)
	if err != nil {
		return err
	}
	if err := checkNotCut(c.keys, c.head, fh, wh); err != nil {
		return err
	}
	if wh != nil || c.db.ReadOnly {
		return nil
	}
	if fh != nil && (signed(c.keys, fh) || fh.Seq != c.head.Seq || fh.MAC != c.head.MAC) {
		return nil // a head file without its warehouse copy: left for `audit verify` to report
	}
	h := sign(c.keys, Head{Seq: c.head.Seq, MAC: c.head.MAC})
	if err := c.db.InTx(ctx, func(tx *sql.Tx) error { return storeHead(ctx, tx, h) }); err != nil {
		return err
	}
	c.head = h
	return writeAuditHead(c.db.Path, h)
}

// Tx runs fn in a transaction under the chain's lock; entries fn adds extend the chain, and the
// head moves only when the transaction commits. The commit reaches the disk (DuckDB syncs its
// write-ahead log) before Tx returns.
func (c *Chain) Tx(ctx context.Context, fn func(tx *sql.Tx, au *Tx) error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, err := c.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	au := &Tx{k: c.keys, tx: t, head: c.head, now: c.now()}
	if err := fn(t, au); err != nil {
		t.Rollback()
		return err
	}
	if au.entries > 0 {
		au.head = sign(c.keys, au.head)
		if err := storeHead(ctx, t, au.head); err != nil {
			t.Rollback()
			return err
		}
	}
	if err := t.Commit(); err != nil {
		return err
	}
	if au.entries > 0 {
		c.head = au.head
		if err := writeAuditHead(c.db.Path, c.head); err != nil {
			c.log.Error("写审计链头失败", "错误", err)
		}
	}
	return nil
}

// Audit appends one entry in a transaction of its own (commands forwarded to a running server
// append through the server's chain this way).
func (c *Chain) Audit(ctx context.Context, actor, action, object string, detail map[string]any) error {
	return c.Tx(ctx, func(_ *sql.Tx, au *Tx) error { return au.Add(ctx, actor, action, object, detail) })
}

// Now is the transaction's clock reading: every entry and row it writes carries this time.
func (a *Tx) Now() time.Time { return a.now }
