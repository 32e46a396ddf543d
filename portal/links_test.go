package portal

import (
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"landwatch/store/accounts"
)

// linkRoles are the accounts the link tests sign in as: every role, a township, the power company
// and a member unit that holds cases.
var linkRoles = []struct {
	role  accounts.Role
	scope string
}{{accounts.RoleOffice, ""}, {accounts.RoleTownship, "郭道镇"}, {accounts.RoleDepartment, powerScope}, {accounts.RoleDepartment, "公安"},
	{accounts.RoleFinance, ""}, {accounts.RoleLeader, ""}, {accounts.RoleMedia, ""}, {accounts.RoleDiscipline, ""}}

// menuPaths are the menu pages of the routes table a user of role and scope is offered.
func menuPaths(s *Server, role accounts.Role, scope string) []string {
	u := &accounts.User{Role: role, Scope: scope}
	var out []string
	for _, r := range s.Routes() {
		if r.Label != "" && slices.Contains(r.Roles, role) && !r.Denies(u) {
			out = append(out, r.Path)
		}
	}
	return out
}

var hrefRe = regexp.MustCompile(`href="(/staff/[^"#]*)"`)

// staffLinks are the staff links of a page, decoded from HTML, without the query's page and
// filter variants of the page itself.
func staffLinks(body string) []string {
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(body, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestParamsDecoded: every path parameter is read through param (params.go), so an id with Chinese
// characters, percent-encoded in the link, finds its page: no handler file of the package calls
// c.Params itself. Then every role visits every page of its menu and follows every link of it
// (the first page of each list): none answers 404 or 500, and the links to ids with Chinese
// characters are among them (the accountability list's).
func TestParamsDecoded(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("*.go")
	more, _ := filepath.Glob("*/*.go") // the handlers of portal's packages (portal/power)
	for _, f := range append(files, more...) {
		if strings.HasSuffix(f, "_test.go") || filepath.Base(f) == "params.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), ".Params(") {
			t.Errorf("%s reads a path parameter without param (params.go): it arrives percent-encoded", f)
		}
	}
	if testing.Short() {
		return
	}
	e := tinyEnv(t)
	chinese := 0
	for _, who := range linkRoles {
		c := e.staffAs(who.role, who.scope)
		seen := map[string]bool{}
		for _, p := range menuPaths(e.srv, who.role, who.scope) {
			resp, body := c.get(p)
			if resp.StatusCode >= 400 && resp.StatusCode != 503 {
				t.Errorf("%s %s: %s answers %d", who.role, who.scope, p, resp.StatusCode)
				continue
			}
			for _, l := range staffLinks(body) {
				if seen[l] || strings.HasPrefix(l, "/staff/logout") {
					continue
				}
				seen[l] = true
				u, err := url.Parse(l)
				if err != nil {
					t.Errorf("%s: link %q: %v", p, l, err)
					continue
				}
				if dec, _ := url.PathUnescape(u.EscapedPath()); dec != u.EscapedPath() && regexp.MustCompile(`\p{Han}`).MatchString(dec) {
					chinese++
				}
				resp, _ := c.get(l)
				if resp.StatusCode == 404 || resp.StatusCode >= 500 {
					t.Errorf("%s %s: %s links %s, which answers %d", who.role, who.scope, p, l, resp.StatusCode)
				}
			}
		}
		t.Logf("%s %s: %d links followed", who.role, who.scope, len(seen))
	}
	if chinese == 0 {
		t.Error("no link to an id with Chinese characters was followed")
	}
}
