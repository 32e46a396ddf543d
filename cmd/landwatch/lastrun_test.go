package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"landwatch/internal/testtool"
	"landwatch/portal"
	"landwatch/queries"
	"landwatch/warehouse"
)

// TestLastRunAgrees: the staff scorecard page, the weekly briefing and `report weekly` without
// --as-of all take "the last run" from queries.LatestAsOf, so they say alike that there is none
// before the first run (queries.ErrNotBuilt), and name the same day after a models run, after a
// freeze of an earlier day (which leaves the last run as it was) and after a later run.
func TestLastRunAgrees(t *testing.T) {
	db := initDB(t)
	out, errs, code := lw(t, "--db", db, "user", "add", "--name", "office1", "--role", "office")
	m := regexp.MustCompile(`密码（只显示这一次）：(\S+)`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	password := m[1]
	check := func(when, want string) {
		t.Helper()
		// the command line: the briefing without --as-of says which day it took
		file := filepath.Join(t.TempDir(), "briefing.pdf")
		_, errs, code := lw(t, "--db", db, "report", "weekly", "--out", file)
		if code != 0 || !strings.Contains(errs, "（截至 "+want+"，") {
			t.Fatalf("%s: report weekly: %d %s, want 截至 %s", when, code, errs, want)
		}
		// the report: the briefing's title block names the same day
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if txt := strings.Join(strings.Fields(testtool.PDFText(t, data)), ""); !strings.Contains(txt, "数据截至："+want) {
			t.Errorf("%s: the briefing does not say 数据截至：%s", when, want)
		}
		// the page: the scorecard list without a day shows the last run's rows and says their day
		page := scorecardPage(t, db, "office1", password)
		if !strings.Contains(page, "截至 "+want+" 的数据") {
			t.Errorf("%s: the scorecard page does not say 截至 %s:\n%.600s", when, want, page)
		}
	}
	// before any run: the command fails with the one error, and the page says there is nothing yet
	_, errs, code = lw(t, "--db", db, "report", "weekly", "--out", filepath.Join(t.TempDir(), "none.pdf"))
	if code != 1 || !strings.Contains(errs, queries.ErrNotBuilt.Error()) {
		t.Errorf("before any run: report weekly: %d %s, want %q", code, errs, queries.ErrNotBuilt)
	}
	if page := scorecardPage(t, db, "office1", password); !strings.Contains(page, "尚未计算") {
		t.Errorf("before any run: the scorecard page:\n%.600s", page)
	}
	for _, step := range []struct{ when, args, want string }{
		{"after a run", "models run --as-of 2023-04-30", "2023-04-30"},
		{"after a freeze", "models freeze --as-of 2023-04-16 --by 郭局长", "2023-04-30"},
		{"after a later run", "models run --as-of 2023-05-07", "2023-05-07"},
	} {
		if out, errs, code := lw(t, append([]string{"--db", db}, strings.Fields(step.args)...)...); code != 0 {
			t.Fatalf("%s: %d %s %s", step.args, code, out, errs)
		}
		check(step.when, step.want)
	}
}

// scorecardPage signs in to a portal over the warehouse file (closed again before it returns)
// and fetches /staff/scorecard.
func scorecardPage(t *testing.T, path, user, password string) string {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, path, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := portal.New(ctx, db, portal.Options{DisablePow: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	do := func(req *http.Request) (*http.Response, string) {
		resp, err := srv.App().Test(req, 30_000)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	login := httptest.NewRequest("POST", "/staff/login",
		strings.NewReader(url.Values{"username": {user}, "password": {password}}.Encode()))
	login.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := do(login)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d %.300s", resp.StatusCode, body)
	}
	req := httptest.NewRequest("GET", "/staff/scorecard", nil)
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, body = do(req)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/staff/scorecard: %d %.300s", resp.StatusCode, body)
	}
	return body
}
