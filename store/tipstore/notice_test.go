package tipstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"landwatch/store/accounts"
	"landwatch/store/notify"
)

// A batch that carries tips about officials writes one notice to discipline inspection for each
// of them (and none for the others) in the batch's transaction, each naming its own tip.
func TestGroupCommitOfficialsNotices(t *testing.T) {
	day := time.Date(2023, 3, 6, 10, 17, 0, 0, time.UTC)
	s, db := openStore(t, func() time.Time { return day })
	ctx := context.Background()
	jobs := make([]*tipJob, 4)
	for i := range jobs {
		in := tipIn("地点" + strings.Repeat("丙", i+1))
		in.Officials = i != 1
		jobs[i] = &tipJob{in: in, from: origin{channel: ChannelWeb}, lookup: "l" + strings.Repeat("y", i+1), hash: "h"}
		if err := s.number(jobs[i], s.Today()); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.storeTips(jobs); err != nil {
		t.Fatal(err)
	}
	list, err := notify.List(ctx, db, &accounts.User{Name: "jw", Role: accounts.RoleDiscipline}, 10)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, n := range list {
		if got[n.Ref] || n.Link != "/staff/tips/"+n.Ref || !strings.Contains(n.Body, n.Ref) {
			t.Errorf("notice %+v: twice, or not about its tip", n)
		}
		got[n.Ref] = true
	}
	for i, j := range jobs {
		if got[j.id] != j.in.Officials {
			t.Errorf("tip %d (about officials %v): notice %v", i, j.in.Officials, got[j.id])
		}
	}
	if len(list) != 3 {
		t.Errorf("%d notices, want 3", len(list))
	}
}
