package portal

// The pages of cases and clues for the member units; what they show and store is casestore's.

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/view"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
)

func filterOf(c *fiber.Ctx) casestore.Filter {
	return casestore.Filter{Township: strings.TrimSpace(c.Query("township")), Department: strings.TrimSpace(c.Query("department")),
		Q: strings.TrimSpace(c.Query("q"))}
}

func (s *Server) listData(f casestore.Filter) map[string]any {
	return map[string]any{"F": f, "Townships": s.cfg.Townships, "Departments": s.cfg.UnitScopes()}
}

func (s *Server) casesPage(c *fiber.Ctx, u *accounts.User) error {
	f := filterOf(c)
	list, err := s.cases.ListCases(c.UserContext(), u, f, "")
	if err != nil {
		return err
	}
	d := s.listData(f)
	d["Capped"], d["Total"] = len(list) == casestore.ListCap, len(list)
	d["Cases"], d["Pages"], err = view.PageSlice(c, list) // 50 a page (portal/view/list.go)
	if err != nil {
		return s.renderStatus(c, fiber.StatusBadRequest, "cases", page{Title: "案件交办", Error: err.Error(), Data: d})
	}
	return s.render(c, "cases", page{Title: "案件交办", Data: d})
}

func (s *Server) cluesPage(c *fiber.Ctx, u *accounts.User) error {
	f := filterOf(c)
	list, err := s.cases.ListClues(c.UserContext(), u, f, "")
	if err != nil {
		return err
	}
	d := s.listData(f)
	d["Capped"], d["Total"] = len(list) == casestore.ListCap, len(list)
	d["Clues"], d["Pages"], err = view.PageSlice(c, list) // 50 a page (portal/view/list.go)
	if err != nil {
		return s.renderStatus(c, fiber.StatusBadRequest, "clues", page{Title: "线索交办", Error: err.Error(), Data: d})
	}
	return s.render(c, "clues", page{Title: "线索交办", Data: d})
}

func (s *Server) minePage(c *fiber.Ctx, u *accounts.User) error {
	cases, err := s.cases.ListCases(c.UserContext(), u, casestore.Filter{}, "")
	if err != nil {
		return err
	}
	clues, err := s.cases.ListClues(c.UserContext(), u, casestore.Filter{}, "")
	if err != nil {
		return err
	}
	return s.render(c, "mine", page{Title: "我的案件/线索（" + u.Scope + "）", Data: map[string]any{"Cases": cases, "Clues": clues}})
}

func (s *Server) casePage(c *fiber.Ctx, u *accounts.User) error {
	return s.showCase(c, u, "", nil, nil)
}

func (s *Server) showCase(c *fiber.Ctx, u *accounts.User, notice string, fail error, form map[string]string) error {
	r, err := s.cases.Case(c.UserContext(), u, param(c, "id"))
	if err != nil {
		return err
	}
	if r == nil {
		return fiber.ErrNotFound
	}
	h, err := s.cases.History(c.UserContext(), "case", r.ID)
	if err != nil {
		return err
	}
	p := page{Title: "案件 " + r.ID, Notice: notice, Data: map[string]any{"C": r, "History": h, "Departments": s.cfg.UnitScopes(),
		"Office": u.Role == accounts.RoleOffice, "Form": form, "Today": s.tips.Today().Format("2006-01-02")}}
	if err := s.addStages(c, u, r.ID, p.Data.(map[string]any)); err != nil { // the chain by stage: portal/stages.go
		return err
	}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "case", p)
}

func (s *Server) cluePage(c *fiber.Ctx, u *accounts.User) error { return s.showClue(c, u, "", nil) }

func (s *Server) showClue(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	r, err := s.cases.Clue(c.UserContext(), u, param(c, "id"))
	if err != nil {
		return err
	}
	if r == nil {
		return fiber.ErrNotFound
	}
	h, err := s.cases.History(c.UserContext(), "clue", r.ID)
	if err != nil {
		return err
	}
	p := page{Title: "线索 " + r.ID, Notice: notice, Data: map[string]any{"C": r, "History": h, "Departments": s.cfg.UnitScopes(),
		"Office": u.Role == accounts.RoleOffice, "Verdicts": casestore.ClueVerdicts}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "clue", p)
}

func (s *Server) caseAssign(c *fiber.Ctx, u *accounts.User) error {
	if err := s.cases.Assign(c.UserContext(), u, "case", param(c, "id"), c.FormValue("department"), c.FormValue("note")); err != nil {
		if errors.Is(err, casestore.ErrNoRef) {
			return fiber.ErrNotFound
		}
		return s.showCase(c, u, "", err, nil)
	}
	return s.showCase(c, u, "已交办给"+c.FormValue("department")+"。", nil, nil)
}

func (s *Server) clueAssign(c *fiber.Ctx, u *accounts.User) error {
	if err := s.cases.Assign(c.UserContext(), u, "clue", param(c, "id"), c.FormValue("department"), c.FormValue("note")); err != nil {
		if errors.Is(err, casestore.ErrNoRef) {
			return fiber.ErrNotFound
		}
		return s.showClue(c, u, "", err)
	}
	return s.showClue(c, u, "已交办给"+c.FormValue("department")+"。", nil)
}

func (s *Server) caseProgress(c *fiber.Ctx, u *accounts.User) error {
	form := map[string]string{}
	for _, k := range []string{"filed_on", "price_requested_on", "price_done_on", "to_police_on", "to_procuratorate_on", "judged_on",
		"fine_yuan", "confiscated_yuan", "status", "note"} {
		form[k] = c.FormValue(k)
	}
	err := s.cases.RecordCaseProgress(c.UserContext(), u, param(c, "id"), casestore.CaseProgress{FiledOn: form["filed_on"],
		PriceRequestedOn: form["price_requested_on"], PriceDoneOn: form["price_done_on"], ToPoliceOn: form["to_police_on"],
		ToProcuratorateOn: form["to_procuratorate_on"], JudgedOn: form["judged_on"], Fine: form["fine_yuan"],
		Confiscated: form["confiscated_yuan"], Status: form["status"], Note: form["note"]})
	if err != nil {
		if errors.Is(err, casestore.ErrNoRef) {
			return fiber.ErrNotFound
		}
		if !errors.Is(err, casestore.ErrProgress) {
			return err
		}
		return s.showCase(c, u, "", err, form)
	}
	return s.showCase(c, u, "进度已保存。", nil, nil)
}

func (s *Server) clueProgress(c *fiber.Ctx, u *accounts.User) error {
	err := s.cases.RecordClueVerdict(c.UserContext(), u, param(c, "id"), c.FormValue("verdict"), c.FormValue("note"))
	if err != nil {
		if errors.Is(err, casestore.ErrProgress) {
			return s.showClue(c, u, "", err)
		}
		if errors.Is(err, casestore.ErrNoRef) {
			return fiber.ErrNotFound
		}
		return err
	}
	return s.showClue(c, u, "核查结果已保存。", nil)
}
