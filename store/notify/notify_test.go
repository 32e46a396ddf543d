package notify

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"landwatch/store/accounts"
	"landwatch/warehouse"
)

func openDB(t *testing.T) *warehouse.DB {
	t.Helper()
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "n.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func send(t *testing.T, db *warehouse.DB, n Notice) bool {
	t.Helper()
	var ok bool
	if err := db.InTx(context.Background(), func(tx *sql.Tx) error {
		var err error
		ok, err = Send(context.Background(), tx, n)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ok
}

func day(s string) time.Time { d, _ := time.Parse("2006-01-02 15:04", s); return d }

// TestNotices: a notice reaches every account of its office and no other; reading is per account;
// a notice of another office cannot be marked; a dedupe key sends once; a bad notice is refused.
func TestNotices(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	town := To{accounts.RoleTownship, "郭道镇"}
	send(t, db, Notice{To: town, Kind: KindAssigned, Ref: "T1", Body: "交办举报 T1", Link: "/staff/tips/T1", Created: day("2023-03-05 11:00")})
	send(t, db, Notice{To: To{Role: accounts.RoleOffice}, Kind: KindAnswered, Ref: "T1", Body: "郭道镇答复", Link: "/staff/tips/T1", Created: day("2023-03-06 09:00")})
	if !send(t, db, Notice{To: town, Kind: KindOverdue, Ref: "I1", Body: "逾期", Link: "/x", Created: day("2023-03-07 07:00"), Dedupe: "overdue:I1"}) {
		t.Fatal("the first overdue notice was not sent")
	}
	if send(t, db, Notice{To: town, Kind: KindOverdue, Ref: "I1", Body: "逾期", Link: "/x", Created: day("2023-03-08 07:00"), Dedupe: "overdue:I1"}) {
		t.Fatal("the same overdue item was notified twice")
	}
	if err := db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := Send(ctx, tx, Notice{To: town, Kind: "gossip", Ref: "x", Body: "x", Link: "/"})
		return err
	}); err == nil {
		t.Fatal("an unknown kind was stored")
	}

	a := &accounts.User{Name: "guodao1", Role: accounts.RoleTownship, Scope: "郭道镇"}
	b := &accounts.User{Name: "guodao2", Role: accounts.RoleTownship, Scope: "郭道镇"}
	other := &accounts.User{Name: "qinhe", Role: accounts.RoleTownship, Scope: "沁河镇"}
	for u, want := range map[*accounts.User]int{a: 2, b: 2, other: 0} {
		if n, err := Unread(ctx, db, u); err != nil || n != want {
			t.Errorf("%s unread %d (%v), want %d", u.Name, n, err, want)
		}
	}
	list, err := List(ctx, db, a, 10)
	if err != nil || len(list) != 2 || list[0].Ref != "I1" {
		t.Fatalf("list: %v %v", list, err)
	}
	if err := MarkRead(ctx, db, a, list[1].ID, day("2023-03-09 10:00")); err != nil {
		t.Fatal(err)
	}
	if n, _ := Unread(ctx, db, a); n != 1 {
		t.Errorf("after reading one: %d unread", n)
	}
	if n, _ := Unread(ctx, db, b); n != 2 {
		t.Errorf("another account of the office lost its unread notices: %d", n)
	}
	var officeNotice int64
	db.QueryRowContext(ctx, `SELECT notice_id FROM notifications WHERE role = 'office'`).Scan(&officeNotice)
	if err := MarkRead(ctx, db, a, officeNotice, day("2023-03-09 10:00")); !errors.Is(err, ErrNotYours) {
		t.Errorf("marking the office's notice: %v", err)
	}
	if err := MarkRead(ctx, db, a, 0, day("2023-03-09 10:00")); err != nil {
		t.Fatal(err)
	}
	if err := MarkRead(ctx, db, a, 0, day("2023-03-09 10:01")); err != nil {
		t.Fatal("reading twice:", err)
	}
	if n, _ := Unread(ctx, db, a); n != 0 {
		t.Errorf("after reading all: %d unread", n)
	}
}

// TestDigest: the digest of a day holds that day's notices and older ones nobody of the office
// has read, never later ones; an office with nothing to say gets no file.
func TestDigest(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	town := To{accounts.RoleTownship, "郭道镇"}
	send(t, db, Notice{To: town, Kind: KindAssigned, Ref: "old-read", Body: "旧的已读", Link: "/a", Created: day("2023-03-01 09:00")})
	send(t, db, Notice{To: town, Kind: KindAssigned, Ref: "old-unread", Body: "旧的未读", Link: "/b", Created: day("2023-03-02 09:00")})
	send(t, db, Notice{To: town, Kind: KindOverdue, Ref: "today", Body: "当天", Link: "/c", Created: day("2023-03-05 07:00")})
	send(t, db, Notice{To: town, Kind: KindOverdue, Ref: "later", Body: "次日", Link: "/d", Created: day("2023-03-06 07:00")})
	send(t, db, Notice{To: To{Role: accounts.RoleFinance}, Kind: KindApproved, Ref: "R1", Body: "奖励", Link: "/e", Created: day("2023-03-01 08:00")})
	u := &accounts.User{Name: "guodao1", Role: accounts.RoleTownship, Scope: "郭道镇"}
	list, _ := List(ctx, db, u, 10)
	for _, n := range list {
		if n.Ref == "old-read" {
			if err := MarkRead(ctx, db, u, n.ID, day("2023-03-03 09:00")); err != nil {
				t.Fatal(err)
			}
		}
	}
	fin := &accounts.User{Name: "cz", Role: accounts.RoleFinance}
	MarkRead(ctx, db, fin, 0, day("2023-03-02 09:00"))
	ds, err := Digests(ctx, db, day("2023-03-05 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].To != town {
		t.Fatalf("digests for %v, want only 郭道镇", ds)
	}
	var refs []string
	for _, n := range ds[0].Notices {
		refs = append(refs, n.Ref)
	}
	if got := refs; len(got) != 2 || got[0] != "old-unread" || got[1] != "today" {
		t.Fatalf("digest holds %v, want [old-unread today]", got)
	}
	text := ds[0].Text("沁源县")
	if !bytes.HasPrefix(text, []byte("\ufeff")) || !bytes.Contains(text, []byte("【逾期】当天\r\n")) || ds[0].FileName() != "通知-2023-03-05-郭道镇.txt" {
		t.Fatalf("digest file %s: %q", ds[0].FileName(), text)
	}
}
