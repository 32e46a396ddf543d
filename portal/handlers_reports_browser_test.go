package portal

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"landwatch/reports"
	"landwatch/store/accounts"
)

// TestReportsInBrowser: on the real portal (its Content-Security-Policy included) and the tiny
// county, the media role publishes the statistics in the browser; the public page and the
// leader's dashboard draw every chart; no console error, no request leaves the loopback address.
func TestReportsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := tinyEnv(t)
	base := e.listen()
	mediaPW := e.addUser("media1", accounts.RoleMedia, "")
	leaderPW := e.addUser("leader1", accounts.RoleLeader, "")

	ctx := startBrowser(t, 1280, 900, 90*time.Second)

	var mu sync.Mutex
	var problems []string
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			if u, _ := url.Parse(ev.Request.URL); u != nil && u.Hostname() == "127.0.0.1" {
				chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
				continue
			}
			mu.Lock()
			problems = append(problems, "non-loopback request "+ev.Request.URL)
			mu.Unlock()
			chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		}
	}()
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			// The portal's own pages (login) serve no favicon; the chart pages declare none.
			if strings.HasSuffix(m.URL, "/favicon.ico") {
				continue
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				mu.Lock()
				problems = append(problems, m.String()+" "+m.URL)
				mu.Unlock()
			}
		}
	}()
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	drawn := func(page string, want int) {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Poll[int](`(() => {
			const els = Array.from(document.querySelectorAll('.chart'));
			if (els.length === 0 || typeof echarts === 'undefined') return 0;
			for (const el of els) {
				if (!echarts.getInstanceByDom(el) || !el.querySelector('canvas, svg') || el.clientHeight < 100) return 0;
			}
			return els.length;
		})()`, chromedp.WithPollingTimeout(20*time.Second)))
		if err != nil || n != want {
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("%s: %d charts drawn, want %d (%v); browser: %v", page, n, want, err, problems)
		}
	}
	login := func(name, pw string) {
		do("login "+name,
			chromedp.Navigate(base+"/staff/login"),
			chromedp.SendKeys(chromedp.CSS("#username"), name),
			chromedp.SendKeys(chromedp.CSS("#password"), pw),
			chromedp.Click(chromedp.CSS("main form button")),
			chromedp.WaitVisible(chromedp.CSS("header form button")))
	}

	login("media1", mediaPW)
	do("preview", chromedp.Navigate(base+"/staff/publish/preview"))
	// every public chart but those whose weeks and months are all suppressed (a sentence instead,
	// reports/public_months.go), as the statistics being previewed say
	stats, err := reports.PublicStats(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	want := stats.ChartsDrawn()
	if want == 0 {
		t.Fatal("the fixture's public page draws no chart at all")
	}
	drawn("preview", want)
	do("publish",
		chromedp.Navigate(base+"/staff/publish"),
		chromedp.Click(chromedp.CSS(`form[action="/staff/publish"] button`)),
		chromedp.WaitVisible(chromedp.CSS("p.notice")),
		chromedp.Click(chromedp.CSS("header form button")), // sign out
		chromedp.WaitVisible(chromedp.CSS("#username")))
	do("public page", chromedp.Navigate(base+"/stats"))
	drawn("/stats", want)
	body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("header")))
	if err != nil || !strings.Contains(body, "发布日期") {
		t.Errorf("public page header %q: %v", body, err)
	}
	login("leader1", leaderPW)
	do("dashboard", chromedp.Navigate(base+"/staff/charts"))
	drawn("/staff/charts", 6)

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
}
