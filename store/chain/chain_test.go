package chain_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landwatch/audit"
	"landwatch/queries"
	"landwatch/store/chain"
	"landwatch/warehouse"
)

// the command line's auditor is a chain Auditor
var _ chain.Auditor = audit.Standalone(nil)

type entry struct{ actor, action, object string }

type recorder struct{ entries []entry }

func (r *recorder) Audit(_ context.Context, actor, action, object string, _ map[string]any) error {
	r.entries = append(r.entries, entry{actor, action, object})
	return nil
}

func d(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }

// A missed patch WP-M of 郭道镇 on the list as of 04-30.
func setup(t *testing.T) (context.Context, *warehouse.DB) {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, q := range []string{
		`INSERT INTO load_batches (batch_id, kind, file_name, sha256, rows, loaded_by, loaded_at, received_at) VALUES (1, 'imagery', 'p.geojson', 'x', 1, 't', current_timestamp, TIMESTAMP '2023-03-03')`,
		`INSERT INTO raw_imagery_patches (batch_id, source_row, patch_id, township, village, imaged_on, verdict, lon, lat, geometry)
			VALUES (1, 1, 'WP-M', '郭道镇', '郭道村', DATE '2023-03-02', '违法', 112.18, 36.79, 'POINT (112.18 36.79)')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := queries.Run(ctx, db, queries.RunOptions{AsOf: d("2023-04-30")}); err != nil {
		t.Fatal(err)
	}
	return ctx, db
}

func refused(t *testing.T, err error, want string) {
	t.Helper()
	if !errors.Is(err, chain.ErrInvalid) || !strings.Contains(err.Error(), want) {
		t.Errorf("want a refusal containing %q, got %v", want, err)
	}
}

// Transfers and outcomes are appended (a correction is a new row, the latest counts), refused when
// invalid, and audited.
func TestTransferAndOutcome(t *testing.T) {
	ctx, db := setup(t)
	au := &recorder{}
	now := time.Date(2023, 5, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

	_, err := chain.RecordTransfer(ctx, db, au, "office", chain.TransferInput{ItemID: "WP-X", AsOf: d("2023-04-30"), Now: now})
	refused(t, err, "不在 2023-04-30 的追责问责名单上")
	_, err = chain.RecordTransfer(ctx, db, au, "office", chain.TransferInput{ItemID: "WP-M", AsOf: d("2023-04-30"), On: d("2023-05-03"), Now: now})
	refused(t, err, "晚于今天")
	_, err = chain.RecordTransfer(ctx, db, au, "office", chain.TransferInput{ItemID: "WP-M", AsOf: d("2023-04-30"), On: d("2023-04-29"), Now: now})
	refused(t, err, "早于名单日期")
	_, err = chain.RecordOutcome(ctx, db, au, "office", chain.OutcomeInput{ItemID: "WP-M", Outcome: "诫勉", On: d("2023-05-01"), Now: now})
	refused(t, err, "尚未移交")
	if len(au.entries) != 0 {
		t.Fatalf("refusals were audited: %v", au.entries)
	}

	_, err = chain.RecordTransfer(ctx, db, au, "office", chain.TransferInput{ItemID: "WP-M", AsOf: d("2023-04-30"), On: d("2023-05-01"), RecordedOn: d("2023-04-30"), Now: now})
	refused(t, err, "补录日期 2023-04-30 早于记录所载日期 2023-05-01")
	tr, err := chain.RecordTransfer(ctx, db, au, "office", chain.TransferInput{ItemID: "WP-M", AsOf: d("2023-04-30"), On: d("2023-05-01"), Note: "应排漏排", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Township != "郭道镇" || strings.Join(tr.Reasons, ",") != "应排漏排,整改不到位" {
		t.Errorf("transfer %+v", tr)
	}
	_, err = chain.RecordOutcome(ctx, db, au, "office", chain.OutcomeInput{ItemID: "WP-M", Outcome: "罚款", On: d("2023-05-02"), Now: now})
	refused(t, err, "应为谈话提醒")
	_, err = chain.RecordOutcome(ctx, db, au, "office", chain.OutcomeInput{ItemID: "WP-M", Outcome: "诫勉", On: d("2023-04-30"), Now: now})
	refused(t, err, "早于移交日期")
	_, err = chain.RecordOutcome(ctx, db, au, "office", chain.OutcomeInput{ItemID: "WP-M", Outcome: "诫勉", On: d("2023-05-05"), Now: now})
	refused(t, err, "晚于今天")
	if _, err := chain.RecordOutcome(ctx, db, au, "office", chain.OutcomeInput{ItemID: "WP-M", Outcome: "批评教育", On: d("2023-05-02"), DocNo: "沁纪〔2023〕1号", Now: now}); err != nil {
		t.Fatal(err)
	}
	// a correction is a new row; the latest counts
	if _, err := chain.RecordOutcome(ctx, db, au, "discipline", chain.OutcomeInput{ItemID: "WP-M", Outcome: "诫勉", On: d("2023-05-02"), DocNo: "沁纪〔2023〕2号", Now: now}); err != nil {
		t.Fatal(err)
	}
	h, err := chain.History(ctx, db, "WP-M")
	if err != nil || len(h) != 3 || h[0].Kind != "移交" || h[1].Outcome != "批评教育" || h[2].Outcome != "诫勉" {
		t.Fatalf("history %+v %v", h, err)
	}
	want := []entry{{"office", "accountability.transfer", "WP-M"}, {"office", "accountability.outcome", "WP-M"}, {"discipline", "accountability.outcome", "WP-M"}}
	if len(au.entries) != len(want) {
		t.Fatalf("audit %v", au.entries)
	}
	for i := range want {
		if au.entries[i] != want[i] {
			t.Errorf("audit %d: %v, want %v", i, au.entries[i], want[i])
		}
	}

	// the list shows them once the models run past the records
	if _, err := queries.Run(ctx, db, queries.RunOptions{AsOf: d("2023-05-07")}); err != nil {
		t.Fatal(err)
	}
	list, err := chain.List(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.ItemID == "WP-M" && (e.Status != "已处理" || e.Outcome != "诫勉" || e.DocumentNo != "沁纪〔2023〕2号" || !e.TransferredOn.Valid) {
			t.Errorf("entry %+v", e)
		}
	}
	// as of the list's date nothing was recorded yet
	old, err := chain.ListAt(ctx, db, d("2023-04-30"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range old {
		if e.Status != "待移交" {
			t.Errorf("as of 04-30: %+v", e)
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM accountability_outcomes`).Scan(&n); err != nil || n != 2 {
		t.Errorf("outcomes kept: %d %v", n, err)
	}
}
