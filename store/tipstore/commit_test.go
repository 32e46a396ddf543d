package tipstore

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"landwatch/audit"
	"landwatch/store/accounts"
	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

func openStore(t *testing.T, now func() time.Time) (*Store, *warehouse.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg, err := db.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	k, err := secret.Load(db.Path, true)
	if err != nil {
		t.Fatal(err)
	}
	chain, err := audit.OpenChain(ctx, db, k, now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, Config{DB: db, Campaign: cfg, Keys: k, Chain: chain, Hasher: accounts.NewHasher(2), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, db
}

func tipIn(place string) TipInput {
	return TipInput{Township: "沁河镇", Village: "沁河村", Category: "M4", Place: place, Description: "夜里有车拉煤", Contact: "13800000000"}
}

// Tips sent at once are committed in batches: each stored once, with its own number, its text
// sealed for that number, its audit entry bound to its row, and a chain Verify accepts.
func TestGroupCommitBatch(t *testing.T) {
	now := func() time.Time { return time.Date(2023, 3, 6, 10, 17, 0, 0, time.UTC) }
	s, db := openStore(t, now)
	ctx := context.Background()
	const n = 24
	var wg sync.WaitGroup
	receipts := make([]Receipt, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			receipts[i], errs[i] = s.SubmitTip(ctx, tipIn("地点"+strings.Repeat("甲", i+1)), nil)
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, r := range receipts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if seen[r.TipID] || !strings.HasPrefix(r.TipID, "T20230306-") {
			t.Fatalf("tip number %q twice or of another day", r.TipID)
		}
		seen[r.TipID] = true
		id, err := s.FindTip(ctx, r.Code)
		if err != nil || id != r.TipID {
			t.Fatalf("receipt %d finds %q %v, want %s", i, id, err, r.TipID)
		}
		var place string
		if err := db.QueryRowContext(ctx, `SELECT place FROM tips WHERE tip_id = ?`, r.TipID).Scan(&place); err != nil {
			t.Fatal(err)
		}
		if got, err := s.keys.Open("tips.place", r.TipID, place); err != nil || got != "地点"+strings.Repeat("甲", i+1) {
			t.Fatalf("tip %s: place %q %v", r.TipID, got, err)
		}
	}
	entries, findings, err := audit.Verify(ctx, db)
	if err != nil || entries != n || len(findings) != 0 {
		t.Fatalf("audit: %d entries, %v, %v", entries, findings, err)
	}
}

// A number drawn before the commit that is taken by then — by a stored tip, by another tip of the
// same batch, or of a day that has ended — is drawn again, and the text sealed again for it.
func TestGroupCommitTakenNumbers(t *testing.T) {
	day := time.Date(2023, 3, 6, 10, 17, 0, 0, time.UTC)
	s, db := openStore(t, func() time.Time { return day })
	ctx := context.Background()
	first, err := s.SubmitTip(ctx, tipIn("旧"), nil)
	if err != nil {
		t.Fatal(err)
	}
	jobs := make([]*tipJob, 4)
	for i := range jobs {
		jobs[i] = &tipJob{in: tipIn("新" + strings.Repeat("乙", i+1)), from: origin{channel: ChannelWeb}, lookup: "l" + strings.Repeat("x", i+1), hash: "h"}
		if err := s.number(jobs[i], s.Today()); err != nil {
			t.Fatal(err)
		}
	}
	jobs[0].id = first.TipID                                         // taken by a stored tip
	jobs[2].id = jobs[1].id                                          // taken by another tip of the batch
	if err := s.number(jobs[3], day.AddDate(0, 0, -1)); err != nil { // of the day before
		t.Fatal(err)
	}
	taken := map[string]bool{first.TipID: true, jobs[3].id: true}
	kept := jobs[1].id
	if err := s.storeTips(jobs); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for i, j := range jobs {
		if ids[j.id] || taken[j.id] || !strings.HasPrefix(j.id, "T20230306-") || i == 1 && j.id != kept {
			t.Fatalf("tip %d has number %s", i, j.id)
		}
		ids[j.id] = true
		var place string
		if err := db.QueryRowContext(ctx, `SELECT place FROM tips WHERE tip_id = ?`, j.id).Scan(&place); err != nil {
			t.Fatal(err)
		}
		if got, err := s.keys.Open("tips.place", j.id, place); err != nil || got != "新"+strings.Repeat("乙", i+1) {
			t.Fatalf("tip %s: place %q %v: not sealed for its number", j.id, got, err)
		}
	}
}
