package portal

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"landwatch/campaign"
	"landwatch/store/accounts"
)

// pageCheck is what TestAllPagesBrowser reads off each page: the answer's status (the navigation's
// responseStatus), the widths, the visible text, the links of the page, and for every work table
// (table.cards, portal/view/table.go) whether its first row's decision cell is on the screen.
type pageCheck struct {
	Status                int
	Scroll, Inner         int
	Text, URL             string
	Links                 []string
	Tables, DecideVisible int
}

func readPage(ctx context.Context) (pageCheck, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[pageCheck](`(() => {
		const nav = performance.getEntriesByType('navigation')[0];
		const links = Array.from(document.querySelectorAll('main a[href^="/staff/"]')).map(a => a.getAttribute('href'));
		let tables = 0, visible = 0;
		for (const t of document.querySelectorAll('table.cards')) {
			const cell = t.querySelector('tr td');
			if (!cell || cell.hasAttribute('colspan')) { continue; }
			tables++;
			const r = cell.getBoundingClientRect();
			if (r.width > 0 && r.left >= 0 && r.right <= window.innerWidth + 0.5) { visible++; }
		}
		return {Status: nav ? nav.responseStatus : 0, Scroll: document.documentElement.scrollWidth, Inner: window.innerWidth,
			Text: document.body.innerText, URL: location.pathname + location.search, Links: links, Tables: tables, DecideVisible: visible};
	})()`))
}

// downloads are links whose answer is a file, not a page (checked by TestParamsDecoded's requests).
var downloads = regexp.MustCompile(`^/staff/(export/|upload/template/|briefings/.+|dossier/|tips/[^/]+/files/|deptclues/[^/]+/files/|acceptance/[^/]+/files/|video/[^/]+/shot)`)

// stepLimit bounds each step of the browser walks (a navigation, a sign-in).
const stepLimit = 30 * time.Second

// isoWeek is a week written as a code (2023-W17), which pages write by its dates (2023年4月24日至30日).
var isoWeek = regexp.MustCompile(`\b\d{4}-W\d{2}\b`)

// linkShape is a link's route without its ids and query (a segment holding a digit, a '%' or a
// non-ASCII letter is an id): the test follows one link of each shape.
func linkShape(l string) string {
	u, err := url.Parse(l)
	if err != nil {
		return l
	}
	parts := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	for i, p := range parts {
		if strings.ContainsAny(p, "0123456789%") || strings.IndexFunc(p, func(r rune) bool { return r > 127 }) >= 0 {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}

// TestAllPagesBrowser: in chromium at 360 px (a phone) and 1366 px (an office screen), the
// citizen's pages and, for every role (linkRoles), every page of its menu and the links of each
// list's first page (at 360 px, one of each route, downloads aside): no page answers 404 or 500, none is
// wider than the screen, every work table shows its decision cell on the screen without
// scrolling, and the visible text holds no code of the label table or the configuration's
// categories (codeWord), no ISO week (2023-W17) and no mart name.
func TestAllPagesBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	e := tinyEnv(t)
	media := e.staffAs(accounts.RoleMedia, "")
	if resp, _ := media.post("/staff/publish", nil); resp.StatusCode != 200 {
		t.Fatalf("publish: %d", resp.StatusCode)
	}
	base := e.listen()
	codes := map[string][]string{"category": nil}
	for _, c := range e.srv.cfg.Categories {
		codes["category"] = append(codes["category"], c.Code)
	}
	for _, col := range campaign.LabelColumns() {
		codes[col] = campaign.LabelCodes(col)
	}
	type who struct {
		name, pw string
		role     accounts.Role
		scope    string
	}
	var users []who
	for i, r := range linkRoles {
		name := string(r.role) + "b" + string(rune('0'+i))
		users = append(users, who{name, e.addUser(name, r.role, r.scope), r.role, r.scope})
	}
	lists := map[string]bool{"/staff/ledger": true, "/staff/scorecard": true, "/staff/accountability": true, "/staff/power": true,
		"/staff/power/meters": true, "/staff/rewards": true}
	pages := 0
	widths := []int{360, 1366}
	// one browser; each account signs in once and walks its pages at both widths (the viewport is
	// emulated), so the slow password hash runs once per account
	ctx := startBrowser(t, 1366, 800, 10*time.Minute, cjkFontEnv(t, cjkFaces[0]), chromedp.Flag("hide-scrollbars", true))
	width := widths[0]
	// every step has its own time limit, so a page that never loads or a button that is not
	// there is named instead of the walk hanging until the test's own limit
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, stepLimit)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%d px, %s: %v", width, step, err)
		}
	}
	// the first action starts the browser and binds it to its context: the walk's, not a step's
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 800)); err != nil {
		t.Fatalf("%d px, viewport: %v", width, err)
	}
	setWidth := func(w int) {
		t.Helper()
		width = w
		do("viewport", chromedp.EmulateViewport(int64(w), 800))
	}
	visit := func(who, path string) pageCheck {
		t.Helper()
		start := time.Now()
		do(who+" "+path, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("body")))
		if d := time.Since(start); d > 2*time.Second {
			t.Logf("%d px, %s %s: %v", width, who, path, d.Round(time.Millisecond))
		}
		f, err := readPage(ctx)
		if err != nil {
			t.Fatalf("%d px, %s %s: %v", width, who, path, err)
		}
		if f.Inner != width {
			t.Fatalf("%d px, %s %s: the page is %d px wide", width, who, path, f.Inner)
		}
		pages++
		at := func(format string, args ...any) {
			t.Helper()
			t.Errorf("%d px, %s %s: "+format, append([]any{width, who, path}, args...)...)
		}
		if f.Status == 404 || f.Status >= 500 {
			at("answers %d", f.Status)
		}
		if f.Scroll > f.Inner {
			at("%d px wide in a %d px screen", f.Scroll, f.Inner)
		}
		if f.DecideVisible < f.Tables {
			at("the decision column of %d of %d work tables is off the screen", f.Tables-f.DecideVisible, f.Tables)
		}
		for col, list := range codes {
			for _, code := range list {
				if codeWord(f.Text, code) {
					i := strings.Index(f.Text, code)
					at("code %q (%s): …%s…", code, col, f.Text[max(0, i-40):min(len(f.Text), i+40)])
				}
			}
		}
		if m := isoWeek.FindString(f.Text); m != "" {
			at("an ISO week %q", m)
		}
		if strings.Contains(f.Text, "mart_") {
			at("a mart's name")
		}
		return f
	}
	for _, w := range widths {
		setWidth(w)
		for _, p := range []string{"/", "/tip", "/status", "/stats", "/staff/login"} {
			visit("citizen", p)
		}
	}
	for _, u := range users {
		do("login "+u.name,
			chromedp.Navigate(base+"/staff/login"),
			chromedp.SendKeys(chromedp.CSS("#username"), u.name),
			chromedp.SendKeys(chromedp.CSS("#password"), u.pw),
			chromedp.Click(chromedp.CSS("main form button")),
			chromedp.WaitVisible(chromedp.CSS("header form button")))
		menu := menuPaths(e.srv, u.role, u.scope)
		shapes := map[string]int{}
		for _, w := range widths {
			setWidth(w)
			for _, p := range menu {
				f := visit(u.name, p)
				if lists[p] && f.Tables == 0 && !strings.Contains(f.Text, "暂无") && !strings.Contains(f.Text, "无数据") {
					t.Errorf("%d px, %s %s: the list is not a work table", width, u.name, p)
				}
				if width != 360 { // the links once, on the phone
					continue
				}
				for _, l := range f.Links {
					path, _, _ := strings.Cut(l, "?")
					if downloads.MatchString(l) || slices.Contains(menu, path) || strings.Contains(l, "#") || shapes[linkShape(l)] >= 1 {
						continue
					}
					shapes[linkShape(l)]++
					t.Logf("follow %s", l)
					visit(u.name, l)
				}
			}
		}
		// signed out from the home page: the last page followed may be one without the staff
		// header (the publication preview is the public page as it will look)
		do("logout "+u.name, chromedp.Navigate(base+"/staff/"), chromedp.Click(chromedp.CSS("header form button")),
			chromedp.WaitVisible(chromedp.CSS("#username")))
	}
	t.Logf("%d page views", pages)
}

func TestLinkShape(t *testing.T) {
	for in, want := range map[string]string{"/staff/power/meters/1430000005": "staff/power/meters/:id",
		"/staff/accountability/%E6%99%AF-2023": "staff/accountability/:id", "/staff/cases/AJ2023-0013?x=1": "staff/cases/:id",
		"/staff/tips/new": "staff/tips/new"} {
		if got := linkShape(in); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}
