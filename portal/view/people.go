package view

import (
	"landwatch/campaign"
	"landwatch/store/accounts"
)

// Who did something, in words. The audit log, histories, freezes, briefings and payouts record the
// login name of the account that acted, or a process (cli, demo, system: the label table's
// "actor" column). A page shows instead the account's person (users.full_name, `landwatch user
// add --full-name`) with the office, or the office alone when no name was recorded — never the
// login name. The template function is "person".

// PersonWords turns a recorded actor into words, with the accounts read once per page (people).
func PersonWords(people map[string]accounts.Person, actor string) string {
	if w := campaign.Label("actor", actor); w != actor {
		return w
	}
	p, ok := people[actor]
	if !ok { // not an account: the command line's user or a program
		return campaign.Label("actor", "cli")
	}
	office := accounts.RoleNames[p.Role]
	if p.Scope != "" && (p.Role == accounts.RoleTownship || p.Role == accounts.RoleDepartment) {
		office = p.Scope
	}
	if p.FullName == "" {
		return office
	}
	return p.FullName + "（" + office + "）"
}
