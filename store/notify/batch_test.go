package notify

import (
	"context"
	"database/sql"
	"testing"

	"landwatch/store/accounts"
)

// SendAll stores several notices in one statement, numbered after those already stored, each to
// its own office; a bad notice or one with a dedupe key fails the whole call and stores nothing.
func TestSendAll(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	disc := To{Role: accounts.RoleDiscipline}
	send(t, db, Notice{To: disc, Kind: KindAssigned, Ref: "T0", Body: "交办举报 T0", Link: "/staff/tips/T0", Created: day("2023-03-05 11:00")})
	all := []Notice{
		{To: disc, Kind: KindAssigned, Ref: "T1", Body: "交办举报 T1", Link: "/staff/tips/T1", Created: day("2023-03-06 09:00")},
		{To: disc, Kind: KindAssigned, Ref: "T2", Body: "交办举报 T2", Link: "/staff/tips/T2", Created: day("2023-03-06 09:00")},
	}
	if err := db.InTx(ctx, func(tx *sql.Tx) error { return SendAll(ctx, tx, all) }); err != nil {
		t.Fatal(err)
	}
	u := &accounts.User{Name: "jw", Role: accounts.RoleDiscipline}
	list, err := List(ctx, db, u, 10)
	if err != nil || len(list) != 3 {
		t.Fatalf("list: %v %v", list, err)
	}
	ids := map[string]int64{}
	for _, n := range list {
		ids[n.Ref] = n.ID
	}
	if ids["T1"] != ids["T0"]+1 || ids["T2"] != ids["T0"]+2 {
		t.Errorf("numbers %v: not in order after the stored notice", ids)
	}
	other := &accounts.User{Name: "office", Role: accounts.RoleOffice}
	if n, _ := Unread(ctx, db, other); n != 0 {
		t.Errorf("the office sees %d of discipline inspection's notices", n)
	}
	for name, bad := range map[string]Notice{
		"unknown kind": {To: disc, Kind: "gossip", Ref: "T3", Body: "x", Link: "/"},
		"no recipient": {Kind: KindAssigned, Ref: "T3", Body: "x", Link: "/"},
		"dedupe key":   {To: disc, Kind: KindOverdue, Ref: "T3", Body: "x", Link: "/", Dedupe: "overdue:T3"},
	} {
		ns := []Notice{{To: disc, Kind: KindAssigned, Ref: "T4", Body: "交办举报 T4", Link: "/staff/tips/T4"}, bad}
		if err := db.InTx(ctx, func(tx *sql.Tx) error { return SendAll(ctx, tx, ns) }); err == nil {
			t.Errorf("%s: stored", name)
		}
	}
	if list, _ := List(ctx, db, u, 10); len(list) != 3 {
		t.Errorf("after the refused calls: %d notices, want 3", len(list))
	}
}
