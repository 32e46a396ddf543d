package portal

import (
	"context"
	"strings"
	"testing"

	"landwatch/portal/view"
	"landwatch/store/accounts"
)

// TestPeopleNotLogins: where an account acted, pages show its person's name and office
// (users.full_name), or the office alone; a process shows as its label (cli, demo), never as the
// login or the code.
func TestPeopleNotLogins(t *testing.T) {
	people := map[string]accounts.Person{"office7": {FullName: "王建国", Role: accounts.RoleOffice},
		"guo": {Role: accounts.RoleTownship, Scope: "郭道镇"}}
	for actor, want := range map[string]string{"office7": "王建国（领导小组办公室）", "guo": "郭道镇", "cli": "系统管理员（命令行）",
		"demo": "演示数据", "root": "系统管理员（命令行）", "citizen": "举报人"} {
		if got := view.PersonWords(people, actor); got != want {
			t.Errorf("%s: %q, want %q", actor, got, want)
		}
	}
	e := newEnv(t)
	e.submitAPI(goodTip())
	var tipID string
	e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID)
	office := e.staffAs(accounts.RoleOffice, "")
	var login string
	e.db.QueryRow(`SELECT username FROM users WHERE role = 'office'`).Scan(&login)
	if err := accounts.SetFullName(context.Background(), e.db, login, "王建国"); err != nil {
		t.Fatal(err)
	}
	office.post("/staff/tips/"+tipID+"/status", map[string]string{"status": "核查中", "note": "去现场"})
	for _, p := range []string{"/staff/tips/" + tipID, "/staff/audit"} {
		_, body := office.get(p)
		if !strings.Contains(body, "王建国（领导小组办公室）") || strings.Contains(body, ">"+login+"<") || strings.Contains(body, login+"把") {
			t.Errorf("%s does not name the person: %s", p, pageMessages(body))
		}
	}
}
