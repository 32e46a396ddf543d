package etl

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// at is a stamp in the campaign's time zone.
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := ParseReceived(s, time.FixedZone("CST", 8*3600))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func loadAt(t *testing.T, kind Kind, path, received string) (*Result, error) {
	t.Helper()
	db, cfg := openDB(t)
	if kind != KindMeters && kind != KindInspection && kind != KindPatrol {
		load(t, db, cfg, KindMeters, filepath.Join("..", "testdata", "etl", "用电户档案.csv"))
	}
	return LoadFile(context.Background(), db, cfg, kind, path, Options{LoadedBy: "office", ReceivedAt: at(t, received)})
}

func TestParseReceived(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	for in, want := range map[string]string{
		"2023-03-14":          "2023-03-14 23:59:59",
		"2023-03-14T08:30":    "2023-03-14 08:30:00",
		"2023-03-14 08:30":    "2023-03-14 08:30:00",
		"2023-03-14T08:30:15": "2023-03-14 08:30:15",
	} {
		got, err := ParseReceived(in, loc)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if s := got.Format("2006-01-02 15:04:05"); s != want {
			t.Errorf("%s → %s, want %s", in, s, want)
		}
	}
	for _, bad := range []string{"", "03-14", "2023/03/14", "2023-02-30", "2023-03-14T25:00"} {
		if _, err := ParseReceived(bad, loc); err == nil || !strings.Contains(err.Error(), "送达时间") {
			t.Errorf("%q: want a 送达时间 error, got %v", bad, err)
		}
	}
}

func TestArrivalStampRecorded(t *testing.T) {
	db, cfg := openDB(t)
	path := filepath.Join("..", "testdata", "etl", "巡查记录.csv")
	r, err := LoadFile(context.Background(), db, cfg, KindPatrol, path, Options{LoadedBy: "clerk", ReceivedAt: at(t, "2023-03-20T09:15"), ReceivedBy: "王主任"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(t, db, `SELECT strftime(received_at, '%Y-%m-%d %H:%M'), received_given_by, loaded_by FROM load_batches WHERE batch_id = ?`, r.BatchID)
	if len(got) != 1 || got[0][0] != "2023-03-20 09:15" || got[0][1] != "王主任" || got[0][2] != "clerk" {
		t.Errorf("load_batches: %v", got)
	}
	if r.ReceivedBy != "王主任" || r.ReceivedAt.Format("01-02 15:04") != "03-20 09:15" {
		t.Errorf("result stamp %v by %q", r.ReceivedAt, r.ReceivedBy)
	}
	// the clock: a stamp of now, no giver
	now := time.Date(2023, 3, 22, 2, 0, 0, 0, time.UTC) // 10:00 in the county
	path2 := writeFile(t, "patrol2.csv", "乡镇,巡查日期\n郭道镇,2023-03-21\n")
	r2, err := LoadFile(context.Background(), db, cfg, KindPatrol, path2, Options{LoadedBy: "clerk", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	got = rowsOf(t, db, `SELECT strftime(received_at, '%Y-%m-%d %H:%M'), received_given_by FROM load_batches WHERE batch_id = ?`, r2.BatchID)
	if got[0][0] != "2023-03-22 10:00" || got[0][1] != "NULL" {
		t.Errorf("clock stamp: %v", got)
	}
}

func TestArrivalStampRefused(t *testing.T) {
	dir := filepath.Join("..", "testdata", "etl")
	t.Run("future", func(t *testing.T) {
		db, cfg := openDB(t)
		future := time.Now().Add(48 * time.Hour)
		_, err := LoadFile(context.Background(), db, cfg, KindPatrol, filepath.Join(dir, "巡查记录.csv"), Options{ReceivedAt: future})
		mustRefuse(t, err, "晚于现在，不能预填")
		if n := count(t, db, `SELECT count(*) FROM load_batches`); n != 0 {
			t.Errorf("%d batches recorded", n)
		}
	})
	cases := []struct {
		kind     Kind
		file     string
		received string
		want     []string
	}{
		// 巡查记录.csv: row 3 is dated 2023-03-09
		{KindPatrol, "巡查记录.csv", "2023-03-08", []string{"第3行 巡查日期: “2023-03-09” 日期晚于送达时间 2023-03-08 23:59"}},
		// the form's header line says 2023-03-12
		{KindInspection, "郭道镇排查表.xlsx", "2023-03-11T18:00", []string{"填报日期: “2023-03-12” 日期晚于送达时间 2023-03-11 18:00"}},
		{KindRectification, "整改台账.csv", "2023-04-05", []string{"第2行 完成日期: “2023-04-10”"}},
		{KindClues, "其他线索.csv", "2023-04-19", []string{"第3行 发现日期: “2023-04-20”"}},
		{KindImagery, "卫片图斑.csv", "2023-05-09", []string{"第2行 影像日期: “2023-05-10”"}},
		{KindPowerChecks, "用电核查.csv", "2023-03-10T12:00", []string{"第3行 核查日期: “2023-03-11”"}},
		{KindPower, "用电数据.csv", "2023-03-05T02:30", []string{"第5行 时间: “2023-03-05 03:00” 读数时间晚于送达时间"}},
	}
	for _, c := range cases {
		t.Run(string(c.kind), func(t *testing.T) {
			_, err := loadAt(t, c.kind, filepath.Join(dir, c.file), c.received)
			mustRefuse(t, err, c.want...)
		})
	}
	t.Run("the same day is fine", func(t *testing.T) {
		if _, err := loadAt(t, KindPatrol, filepath.Join(dir, "巡查记录.csv"), "2023-03-09"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("correction arriving before the original", func(t *testing.T) {
		db, cfg := openDB(t)
		if _, err := LoadFile(context.Background(), db, cfg, KindInspection, filepath.Join(dir, "郭道镇排查表.xlsx"), Options{ReceivedAt: at(t, "2023-03-14T10:00")}); err != nil {
			t.Fatal(err)
		}
		_, err := LoadFile(context.Background(), db, cfg, KindInspection, filepath.Join(dir, "郭道镇排查表-更正.xlsx"), Options{ReceivedAt: at(t, "2023-03-14T09:00")})
		mustRefuse(t, err, "更正表的送达时间 2023-03-14 09:00 早于被更正的批次")
		if _, err := LoadFile(context.Background(), db, cfg, KindInspection, filepath.Join(dir, "郭道镇排查表-更正.xlsx"), Options{ReceivedAt: at(t, "2023-03-21")}); err != nil {
			t.Fatalf("a later correction: %v", err)
		}
	})
}

func mustRefuse(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("loaded, want it refused")
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%v", w, err)
		}
	}
}

func TestManifestReceivedOn(t *testing.T) {
	db, cfg := openDB(t)
	dir := t.TempDir()
	writeTo(t, filepath.Join(dir, "p.csv"), "乡镇,巡查日期\n郭道镇,2023-03-02\n")
	writeTo(t, filepath.Join(dir, "manifest.json"), `{"files":[{"kind":"patrol","path":"p.csv","received_on":"2023-03-03"}]}`)
	res, err := LoadManifest(context.Background(), db, cfg, dir, Options{LoadedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	got := rowsOf(t, db, `SELECT strftime(received_at, '%Y-%m-%d %H:%M:%S') FROM load_batches WHERE batch_id = ?`, res[0].BatchID)
	if got[0][0] != "2023-03-03 23:59:59" {
		t.Errorf("received_at %v", got)
	}
	writeTo(t, filepath.Join(dir, "manifest.json"), `{"files":[{"kind":"patrol","path":"p.csv","received_on":"3月3日"}]}`)
	if _, err := LoadManifest(context.Background(), db, cfg, dir, Options{}); err == nil || !strings.Contains(err.Error(), "清单 p.csv") {
		t.Errorf("a bad received_on: %v", err)
	}
}

func writeTo(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// After a day is frozen, a file stamped on or before it is refused; a later one loads.
func TestFrozenDayRefusesBackdatedLoads(t *testing.T) {
	db, cfg := openDB(t)
	if _, err := db.Exec(`INSERT INTO freezes (as_of, frozen_at, frozen_by, sha256, scorecards, violations, ledger) VALUES (DATE '2023-04-30', TIMESTAMP '2023-05-02 10:00:00', 'office', 'x', 12, 0, 0)`); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "testdata", "etl", "巡查记录.csv")
	_, err := LoadFile(context.Background(), db, cfg, KindPatrol, path, Options{ReceivedAt: at(t, "2023-04-30T18:00")})
	mustRefuse(t, err, "2023-04-30 已锁定（2023-05-02 10:00 锁定），送达时间 2023-04-30 18:00 不晚于锁定日期的文件不能再导入")
	if n := count(t, db, `SELECT count(*) FROM load_batches`); n != 0 {
		t.Errorf("%d batches recorded", n)
	}
	if _, err := LoadFile(context.Background(), db, cfg, KindPatrol, path, Options{ReceivedAt: at(t, "2023-05-01T08:00")}); err != nil {
		t.Fatalf("a file received after the frozen day: %v", err)
	}
	// readings too
	load(t, db, cfg, KindMeters, filepath.Join("..", "testdata", "etl", "用电户档案.csv"))
	_, err = LoadFile(context.Background(), db, cfg, KindPower, filepath.Join("..", "testdata", "etl", "用电数据.csv"), Options{ReceivedAt: at(t, "2023-04-01")})
	mustRefuse(t, err, "2023-04-30 已锁定")
}
