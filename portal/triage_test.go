package portal

import (
	"bytes"
	"context"
	"regexp"
	"testing"
	"time"

	"landwatch/campaign"
	"landwatch/store/accounts"
	"landwatch/store/notify"
)

// TestTriageDeadlineIsConfigured: the office's queue and the overdue sweep read one triage deadline
// (int_tip_triage): with portal.triage_days = 3 both say a tip is due three days after it came, and
// after the configuration changes it to 5 both say five days — for a tip already waiting too.
func TestTriageDeadlineIsConfigured(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	today := e.srv.tips.Today()
	now := e.srv.tips.LocalNow(time.Now())
	office := e.staffAs(accounts.RoleOffice, "")
	pageDue := func(id string) string {
		t.Helper()
		_, body := office.get("/staff/")
		m := regexp.MustCompile(`href="/staff/tips/` + id + `">[^<]*</a> <span class="due">期限 ([0-9-]+)`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the office's queue shows no deadline for %s", id)
		}
		return m[1]
	}
	sweep := func(day time.Time) int {
		t.Helper()
		n, err := notify.Sweep(ctx, e.db, e.srv.cfg, day, now)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	day := func(n int) time.Time { return today.AddDate(0, 0, n) }

	e.submitAPI(goodTip())
	first := e.tipIDs()[0]
	if got := pageDue(first); got != day(3).Format(time.DateOnly) {
		t.Errorf("triage_days 3: the queue says due %s, want %s", got, day(3).Format(time.DateOnly))
	}
	if n := sweep(day(3)); n != 0 {
		t.Errorf("triage_days 3: the sweep on the due day sent %d", n)
	}
	if n := sweep(day(4)); n != 1 {
		t.Errorf("triage_days 3: the sweep the day after sent %d, want 1", n)
	}

	cfg, err := campaign.Parse("triage.toml", bytes.Replace(campaign.Default().Text, []byte("triage_days = 3"), []byte("triage_days = 5"), 1))
	if err != nil || cfg.Portal.Triage() != 5 {
		t.Fatalf("configuration with triage_days = 5: %v", err)
	}
	if err := e.db.ApplyConfig(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if got := pageDue(first); got != day(5).Format(time.DateOnly) {
		t.Errorf("triage_days 5: the queue says due %s, want %s", got, day(5).Format(time.DateOnly))
	}
	e.submitAPI(goodTip())
	if n := sweep(day(4)); n != 0 {
		t.Errorf("triage_days 5: the sweep four days on sent %d, want none", n)
	}
	if n := sweep(day(6)); n != 1 { // the second tip; the first was told of already
		t.Errorf("triage_days 5: the sweep six days on sent %d, want 1", n)
	}
}
