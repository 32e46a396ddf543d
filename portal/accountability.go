package portal

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/view"
	"landwatch/queries"
	"landwatch/queries/read"
	"landwatch/store/accounts"
	"landwatch/store/chain"
)

// The accountability list (追责问责名单) with the names from the register, its transfers to
// discipline inspection and their outcomes (store/chain), and the evidence of each entry. The
// office transfers, discipline inspection records outcomes, leaders read, a township reads its own.

// accountabilityList shows mart_accountability as of a day (?as_of=, default the last run) with the
// forms of the user's role.
func (s *Server) accountabilityList(c *fiber.Ctx, u *accounts.User) error {
	return s.showAccountability(c, u, "", nil)
}

func (s *Server) showAccountability(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	mv := martView{mart: "mart_accountability", title: "追责问责名单"}
	data := map[string]any{"Mart": mv.mart, "Path": "/staff/accountability", "Office": u.Role == accounts.RoleOffice,
		"Discipline": u.Role == accounts.RoleDiscipline, "Outcomes": chain.Outcomes, "Today": s.tips.Today().Format("2006-01-02"),
		// a row's button fills the form with its item (portal/view/table.go)
		"TransferItem": strings.Clone(c.Query("transfer")), "OutcomeItem": strings.Clone(c.Query("outcome"))}
	if u.Role == accounts.RoleTownship {
		data["Scope"] = u.Scope
	}
	err := s.martData(c, u, mv, data) // paged and filtered like the other lists (data.go)
	p := page{Title: mv.title, Data: data, Notice: notice}
	code := fiber.StatusOK
	switch {
	case fail != nil:
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	case err != nil:
		p.Error, code = err.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "accountability", p)
}

// formDay reads a YYYY-MM-DD form field; zero when empty.
func formDay(c *fiber.Ctx, field, what string) (time.Time, error) {
	v := strings.TrimSpace(c.FormValue(field))
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, errors.New(what + "应写作 年-月-日")
	}
	return d, nil
}

// accountabilityTransfer records that the office handed an entry to discipline inspection.
func (s *Server) accountabilityTransfer(c *fiber.Ctx, u *accounts.User) error {
	asOf, err := formDay(c, "as_of", "名单日期")
	if err == nil && asOf.IsZero() {
		asOf, err = queries.LatestAsOf(c.UserContext(), s.db)
	}
	var on time.Time
	if err == nil {
		on, err = formDay(c, "on", "移交日期")
	}
	if err == nil {
		var t *chain.Transfer
		t, err = chain.RecordTransfer(c.UserContext(), s.db, s, u.Name, chain.TransferInput{ItemID: strings.TrimSpace(c.FormValue("item")),
			AsOf: asOf, On: on, Note: c.FormValue("note"), Now: s.opt.now()})
		if err == nil {
			return s.showAccountability(c, u, "已移交纪检监察："+t.ItemID+"（"+t.Township+"），移交日期 "+t.On.Format("2006-01-02")+"。", nil)
		}
	}
	return s.showAccountability(c, u, "", err)
}

// accountabilityOutcome records discipline inspection's outcome of an entry.
func (s *Server) accountabilityOutcome(c *fiber.Ctx, u *accounts.User) error {
	on, err := formDay(c, "on", "处理日期")
	if err == nil {
		var o *chain.Outcome
		o, err = chain.RecordOutcome(c.UserContext(), s.db, s, u.Name, chain.OutcomeInput{ItemID: strings.TrimSpace(c.FormValue("item")),
			Outcome: c.FormValue("outcome"), On: on, DocNo: c.FormValue("doc"), Note: c.FormValue("note"), Now: s.opt.now()})
		if err == nil {
			return s.showAccountability(c, u, "已记录处理结果："+o.ItemID+" "+o.Outcome+"。", nil)
		}
	}
	return s.showAccountability(c, u, "", err)
}

// accountabilityEntry shows one entry's evidence: its rows on the list, the violation's channels
// (mart_evidence: ids, dates, files and rows — never a tipster's contact), its ledger item and every
// transfer and outcome recorded for it. A township sees its own entries only.
func (s *Server) accountabilityEntry(c *fiber.Ctx, u *accounts.User) error {
	ctx := c.UserContext()
	id := param(c, "item")
	scope := ""
	if u.Role == accounts.RoleTownship {
		scope = u.Scope
	}
	entries, err := s.entryTables(ctx, id, scope)
	if err != nil {
		return err
	}
	if entries == nil {
		return fiber.ErrNotFound
	}
	history, err := chain.History(ctx, s.db, id)
	if err != nil {
		return err
	}
	return s.render(c, "accountability_entry", page{Title: "追责问责事项 " + id, Data: map[string]any{"Tables": entries, "History": history}})
}

// entryTables reads one entry of the list (read.AccountabilityEntry) as the page's tables, under
// Chinese headings; nil when the entry is not on the list (or not the township's).
func (s *Server) entryTables(ctx context.Context, id, scope string) ([]titledTable, error) {
	e, err := read.AccountabilityEntry(ctx, s.db, id, scope)
	if e == nil || err != nil {
		return nil, err
	}
	return []titledTable{{"名单", view.Labelled(e.List)}, {"违法点位", view.Labelled(e.Violations)}, {"证据", view.Labelled(e.Evidence)},
		{"整改台账", view.Labelled(e.Ledger)}}, nil
}

// titledTable is a table with a heading.
type titledTable struct {
	Title string
	T     *view.Table
}
