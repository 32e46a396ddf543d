package portal

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"landwatch/campaign"
	"landwatch/store/accounts"
)

// TestPhoneLayout: in a phone's viewport (360×740) on the tiny county, in the first CJK face of
// cjkFaces (fonts_test.go; TestPhoneLayoutEachFont renders the pages in the others), every role signs in and
// visits every page of its menu (the routes table), and a citizen visits the public pages and
// submits a tip. On every page nothing is wider than the screen
// (document.documentElement.scrollWidth <= window.innerWidth) and the visible text holds no code of
// the label table (campaign.LabelCodes of each campaign.LabelColumns) nor a category code of the
// configuration (M1, L2: the category's name is shown instead). A code counts as a whole
// word, case-sensitive: not inside a longer run of letters, digits, '_', '.', '-' or '/' (codeWord,
// layout_test.go), so an id such as "green1", a file name "x.pdf" or a path does not count, and
// "PDF" written in capitals is a word a reader knows, not the code "pdf". The receipt's text file,
// downloaded by the browser, holds the receipt code shown.
func TestPhoneLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := tinyEnv(t)
	base := e.listen()
	media := e.staffAs(accounts.RoleMedia, "")
	if resp, body := media.post("/staff/publish", nil); resp.StatusCode != 200 || !strings.Contains(body, "class=\"notice\"") {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	users := []struct {
		role  accounts.Role
		scope string
	}{{accounts.RoleOffice, ""}, {accounts.RoleTownship, "郭道镇"}, {accounts.RoleDepartment, powerScope}, {accounts.RoleFinance, ""},
		{accounts.RoleLeader, ""}, {accounts.RoleMedia, ""}, {accounts.RoleDiscipline, ""}}
	downloads := t.TempDir()

	face := cjkFaces[0]
	ctx := startBrowser(t, 360, 740, 3*time.Minute, cjkFontEnv(t, face),
		chromedp.Flag("hide-scrollbars", true)) // a phone's scrollbars take no width: the page has all 360 px
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	do("phone viewport", chromedp.EmulateViewport(360, 740))
	eventsOn := true
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads, EventsEnabled: &eventsOn}); err != nil {
		t.Fatal(err)
	}

	// check looks at the page the browser shows.
	check := func(who, path string) {
		t.Helper()
		f, err := pageFacts(ctx)
		if err != nil {
			t.Fatalf("%s %s: %v", who, path, err)
		}
		if f.Inner != 360 || f.Client != 360 {
			t.Fatalf("viewport %d wide (%d without scrollbars), want 360", f.Inner, f.Client)
		}
		if f.Scroll > f.Inner {
			t.Errorf("%s %s (%s): %d px wide in a %d px screen; too wide: %v", who, path, f.URL, f.Scroll, f.Inner, f.Wide)
		}
		codes := map[string][]string{"category": nil}
		for _, c := range e.srv.cfg.Categories {
			codes["category"] = append(codes["category"], c.Code)
		}
		for _, col := range campaign.LabelColumns() {
			codes[col] = campaign.LabelCodes(col)
		}
		for col, list := range codes {
			for _, code := range list {
				if codeWord(f.Text, code) {
					i := strings.Index(f.Text, code)
					t.Errorf("%s %s: code %q (%s) in the text: …%s…", who, path, code, col, f.Text[max(0, i-40):min(len(f.Text), i+40)])
				}
			}
		}
	}
	visit := func(who, path string) {
		t.Helper()
		do(who+" "+path, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("body")))
		if strings.HasPrefix(path, "/stats") || strings.HasPrefix(path, "/staff/charts") {
			// the charts draw after load; their size is what is checked
			if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('.chart canvas, .chart svg').length > 0`,
				chromedp.WithPollingTimeout(15*time.Second))); err != nil {
				t.Fatalf("%s %s: charts not drawn: %v", who, path, err)
			}
		}
		check(who, path)
	}

	// the citizen: the public pages, a tip, its receipt saved as a file, 完成
	for _, p := range []string{"/", "/tip", "/status", "/stats", "/staff/login"} {
		visit("citizen", p)
	}
	assertFace(t, ctx, "main h1", face)
	do("tip",
		chromedp.Navigate(base+"/tip"),
		chromedp.WaitVisible(chromedp.CSS("#description")),
		chromedp.SetValue(chromedp.CSS("#township"), "沁河镇"),
		chromedp.SendKeys(chromedp.CSS("#description"), "夜里有人在废弃井口偷挖煤"),
		chromedp.Click(chromedp.CSS("form.tipform button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#receipt")),
		chromedp.WaitVisible(chromedp.CSS("#copy")), // shown by receipt.js
	)
	check("citizen", "receipt")
	code, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#receipt")))
	if err != nil {
		t.Fatal(err)
	}
	code = strings.TrimSpace(code)
	do("save the receipt", chromedp.Click(chromedp.CSS("#save")))
	var saved string
	for deadline := time.Now().Add(10 * time.Second); saved == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		names, _ := filepath.Glob(filepath.Join(downloads, "*"))
		for _, n := range names {
			if !strings.HasSuffix(n, ".crdownload") {
				b, err := os.ReadFile(n)
				if err == nil && len(b) > 0 {
					saved = string(b)
				}
			}
		}
	}
	if !strings.Contains(saved, "回执码："+code) || len(strings.ReplaceAll(code, " ", "")) != 16 {
		t.Fatalf("downloaded receipt %q does not hold the code %q", saved, code)
	}
	do("done without the tick is held by the browser",
		chromedp.Click(chromedp.CSS("#done")),
		chromedp.Sleep(200*time.Millisecond),
		chromedp.WaitVisible(chromedp.CSS("#receipt")))
	do("done",
		chromedp.Click(chromedp.CSS("#saved")),
		chromedp.Click(chromedp.CSS("#done")),
		chromedp.WaitVisible(chromedp.CSS("p.notice")))
	check("citizen", "/tip/done")
	var tipID string
	if err := e.db.QueryRow(`SELECT tip_id FROM tips ORDER BY rowid DESC LIMIT 1`).Scan(&tipID); err != nil {
		t.Fatal(err)
	}
	tipLink := chromedp.CSS(`main a[href="/staff/tips/` + tipID + `"]`)

	// each role: every page of its menu
	for _, us := range users {
		name := string(us.role) + "7"
		pw := e.addUser(name, us.role, us.scope)
		do("login "+name,
			chromedp.Navigate(base+"/staff/login"),
			chromedp.SendKeys(chromedp.CSS("#username"), name),
			chromedp.SendKeys(chromedp.CSS("#password"), pw),
			chromedp.Click(chromedp.CSS("main form button")),
			chromedp.WaitVisible(chromedp.CSS("header form button")))
		n := 0
		for _, r := range e.srv.Routes() {
			if r.Label == "" || !slices.Contains(r.Roles, us.role) {
				continue
			}
			visit(name, r.Path)
			n++
		}
		if n < 2 {
			t.Errorf("%s: only %d menu pages", name, n)
		}
		if slices.Contains([]accounts.Role{accounts.RoleOffice, accounts.RoleTownship}, us.role) {
			visit(name, "/staff/ledger?page=2&overdue=true")
		}
		// the main action on the phone: the office hands the citizen's tip to 郭道镇 from its queue;
		// the township opens it from its own queue and records its 核查结果
		// the detail pages behind the queues: a case with its stages, a meter with its alerts
		if us.role == accounts.RoleOffice {
			var caseID, meter string
			if err := e.db.QueryRow(`SELECT case_id FROM mart_case_stages ORDER BY overdue DESC, case_id LIMIT 1`).Scan(&caseID); err != nil {
				t.Fatal(err)
			}
			if err := e.db.QueryRow(`SELECT meter_id FROM mart_power_alerts ORDER BY alert_id LIMIT 1`).Scan(&meter); err != nil {
				t.Fatal(err)
			}
			visit(name, "/staff/cases/"+caseID)
			visit(name, "/staff/power/meters/"+meter)
		}
		switch us.role {
		case accounts.RoleOffice:
			do("office triages from its queue",
				chromedp.Navigate(base+"/staff/"), chromedp.Click(tipLink), chromedp.WaitVisible(chromedp.CSS("#status")),
				chromedp.SetValue(chromedp.CSS(`form:has(input[value="assign"]) select`), "郭道镇"),
				chromedp.Click(chromedp.CSS(`form:has(input[value="assign"]) button`)),
				chromedp.WaitVisible(chromedp.CSS("p.notice")))
			check(name, "/staff/tips/"+tipID)
		case accounts.RoleTownship:
			do("township answers from its queue",
				chromedp.Navigate(base+"/staff/"), chromedp.Click(tipLink), chromedp.WaitVisible(chromedp.CSS("#new-status")),
				chromedp.SetValue(chromedp.CSS("#new-status"), "核查中"),
				chromedp.SendKeys(chromedp.CSS("#note"), "已安排村干部现场核查"),
				chromedp.Click(chromedp.CSS("#set-status")),
				chromedp.WaitVisible(chromedp.CSS("p.notice")))
			check(name, "/staff/tips/"+tipID)
			if st, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#status"))); err != nil || strings.TrimSpace(st) != "核查中" {
				t.Errorf("the township's 核查结果 did not take: %q %v", st, err)
			}
		}
		do("logout "+name, chromedp.Click(chromedp.CSS("header form button")), chromedp.WaitVisible(chromedp.CSS("#username")))
	}
}

// layoutFacts is what the width check reads off the page the browser shows: the document's scroll
// width against the viewport, the visible text, and up to five elements reaching past the right
// edge (outside a scrolling box or table).
type layoutFacts struct {
	Scroll, Inner, Client int
	Text, URL             string
	Wide                  []string
}

func pageFacts(ctx context.Context) (layoutFacts, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[layoutFacts](`(() => {
		const wide = [];
		for (const el of document.querySelectorAll('body *')) {
			const r = el.getBoundingClientRect();
			if (r.right > window.innerWidth + 0.5 && (el.tagName === 'TABLE' || el.closest('.scroll, table') === null) && getComputedStyle(el).position !== 'absolute') {
				wide.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
			}
		}
		return {Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth, Client: document.documentElement.clientWidth,
			Text: document.body.innerText, URL: location.pathname, Wide: wide.slice(0, 5)};
	})()`))
}

// TestPhoneLayoutEachFont: every page a person reaches from a menu (each path once, by the first
// role whose menu has it), the public pages and a tip's triage page, at 360 px, rendered in each
// CJK face of cjkFaces but the first (TestPhoneLayout's) alone: nothing is wider than the screen,
// and the page's heading was drawn in that face.
func TestPhoneLayoutEachFont(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := tinyEnv(t)
	base := e.listen()
	roles := []struct {
		role  accounts.Role
		scope string
	}{{accounts.RoleOffice, ""}, {accounts.RoleTownship, "郭道镇"}, {accounts.RoleDepartment, powerScope}, {accounts.RoleFinance, ""},
		{accounts.RoleLeader, ""}, {accounts.RoleMedia, ""}, {accounts.RoleDiscipline, ""}}
	type page struct{ user, pw, path string }
	var pages []page
	seen := map[string]bool{}
	e.submitAPI(goodTip())
	var tipID string
	if err := e.db.QueryRow(`SELECT tip_id FROM tips ORDER BY tip_id DESC LIMIT 1`).Scan(&tipID); err != nil {
		t.Fatal(err)
	}
	for _, r := range roles {
		name := string(r.role) + "8"
		pw := e.addUser(name, r.role, r.scope)
		if r.role == accounts.RoleOffice {
			pages = append(pages, page{name, pw, "/staff/tips/" + tipID}) // the triage form's selects
		}
		for _, rt := range e.srv.Routes() {
			if rt.Label == "" || !slices.Contains(rt.Roles, r.role) || seen[rt.Path] {
				continue
			}
			seen[rt.Path] = true
			pages = append(pages, page{name, pw, rt.Path})
		}
	}

	for _, face := range cjkFaces[1:] {
		t.Run(face.Package, func(t *testing.T) {
			ctx := startBrowser(t, 360, 740, 3*time.Minute, cjkFontEnv(t, face), chromedp.Flag("hide-scrollbars", true))
			do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(ctx, actions...); err != nil {
					t.Fatalf("%s: %v", step, err)
				}
			}
			do("phone viewport", chromedp.EmulateViewport(360, 740))
			check := func(who, path string) {
				t.Helper()
				do(who+" "+path, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("body")))
				f, err := pageFacts(ctx)
				if err != nil {
					t.Fatalf("%s %s: %v", who, path, err)
				}
				if f.Scroll > f.Inner {
					t.Errorf("%s %s (%s) in %s: %d px wide in a %d px screen; too wide: %v", who, path, f.URL, face.Family, f.Scroll, f.Inner, f.Wide)
				}
			}
			for _, p := range []string{"/", "/tip", "/status", "/stats", "/staff/login"} {
				check("citizen", p)
			}
			assertFace(t, ctx, "main h1", face)
			user := ""
			for _, p := range pages {
				if p.user != user {
					if user != "" {
						do("logout "+user, chromedp.Click(chromedp.CSS("header form button")), chromedp.WaitVisible(chromedp.CSS("#username")))
					}
					do("login "+p.user,
						chromedp.Navigate(base+"/staff/login"),
						chromedp.SendKeys(chromedp.CSS("#username"), p.user),
						chromedp.SendKeys(chromedp.CSS("#password"), p.pw),
						chromedp.Click(chromedp.CSS("main form button")),
						chromedp.WaitVisible(chromedp.CSS("header form button")))
					user = p.user
				}
				check(p.user, p.path)
			}
		})
	}
}
