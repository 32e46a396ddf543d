// Package casework: the pages of cases and clues for the office and the member units — assignment,
// progress, stages (stages.go), the clues a unit raises (deptclue.go), acceptance and restoration
// (acceptance.go); what they show and store is casestore's. portal/routes.go mounts them.
package casework

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/view"
	"landwatch/portal/web"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
)

// Pages are the handlers of these pages.
type Pages struct{ *web.Kit }

func filterOf(c *fiber.Ctx) casestore.Filter {
	return casestore.Filter{Township: strings.TrimSpace(c.Query("township")), Department: strings.TrimSpace(c.Query("department")),
		Q: strings.TrimSpace(c.Query("q"))}
}

func (h *Pages) listData(f casestore.Filter) map[string]any {
	return map[string]any{"F": f, "Townships": h.Cfg.Townships, "Departments": h.Cfg.UnitScopes()}
}

func (h *Pages) CasesPage(c *fiber.Ctx, u *accounts.User) error {
	f := filterOf(c)
	list, err := h.Cases.ListCases(c.UserContext(), u, f, "")
	if err != nil {
		return err
	}
	d := h.listData(f)
	d["Capped"], d["Total"] = len(list) == casestore.ListCap, len(list)
	d["Cases"], d["Pages"], err = view.PageSlice(c, list) // 50 a page (portal/view/list.go)
	if err != nil {
		return h.RenderStatus(c, fiber.StatusBadRequest, "cases", web.Page{Title: "案件交办", Error: err.Error(), Data: d})
	}
	return h.Render(c, "cases", web.Page{Title: "案件交办", Data: d})
}

func (h *Pages) CluesPage(c *fiber.Ctx, u *accounts.User) error {
	f := filterOf(c)
	list, err := h.Cases.ListClues(c.UserContext(), u, f, "")
	if err != nil {
		return err
	}
	d := h.listData(f)
	d["Capped"], d["Total"] = len(list) == casestore.ListCap, len(list)
	d["Clues"], d["Pages"], err = view.PageSlice(c, list) // 50 a page (portal/view/list.go)
	if err != nil {
		return h.RenderStatus(c, fiber.StatusBadRequest, "clues", web.Page{Title: "线索交办", Error: err.Error(), Data: d})
	}
	return h.Render(c, "clues", web.Page{Title: "线索交办", Data: d})
}

func (h *Pages) MinePage(c *fiber.Ctx, u *accounts.User) error {
	cases, err := h.Cases.ListCases(c.UserContext(), u, casestore.Filter{}, "")
	if err != nil {
		return err
	}
	clues, err := h.Cases.ListClues(c.UserContext(), u, casestore.Filter{}, "")
	if err != nil {
		return err
	}
	return h.Render(c, "mine", web.Page{Title: "我的案件/线索（" + u.Scope + "）", Data: map[string]any{"Cases": cases, "Clues": clues}})
}

func (h *Pages) CasePage(c *fiber.Ctx, u *accounts.User) error {
	return h.showCase(c, u, "", nil, nil)
}

func (h *Pages) showCase(c *fiber.Ctx, u *accounts.User, notice string, fail error, form map[string]string) error {
	r, err := h.Cases.Case(c.UserContext(), u, web.Param(c, "id"))
	if err != nil {
		return err
	}
	if r == nil {
		return fiber.ErrNotFound
	}
	hist, err := h.Cases.History(c.UserContext(), "case", r.ID)
	if err != nil {
		return err
	}
	p := web.Page{Title: "案件 " + r.ID, Notice: notice, Data: map[string]any{"C": r, "History": hist, "Departments": h.Cfg.UnitScopes(),
		"Office": u.Role == accounts.RoleOffice, "Form": form, "Today": h.Today().Format("2006-01-02")}}
	if err := h.addStages(c, u, r, p.Data.(map[string]any)); err != nil { // the chain by stage: stages.go
		return err
	}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return h.RenderStatus(c, code, "case", p)
}

func (h *Pages) CluePage(c *fiber.Ctx, u *accounts.User) error { return h.showClue(c, u, "", nil) }

func (h *Pages) showClue(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	r, err := h.Cases.Clue(c.UserContext(), u, web.Param(c, "id"))
	if err != nil {
		return err
	}
	if r == nil {
		return fiber.ErrNotFound
	}
	hist, err := h.Cases.History(c.UserContext(), "clue", r.ID)
	if err != nil {
		return err
	}
	p := web.Page{Title: "线索 " + r.ID, Notice: notice, Data: map[string]any{"C": r, "History": hist, "Departments": h.Cfg.UnitScopes(),
		"Office": u.Role == accounts.RoleOffice, "Verdicts": casestore.ClueVerdicts}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return h.RenderStatus(c, code, "clue", p)
}

func (h *Pages) CaseAssign(c *fiber.Ctx, u *accounts.User) error {
	if err := h.Cases.Assign(c.UserContext(), u, "case", web.Param(c, "id"), c.FormValue("department"), c.FormValue("note")); err != nil {
		if errors.Is(err, casestore.ErrNoRef) {
			return fiber.ErrNotFound
		}
		return h.showCase(c, u, "", err, nil)
	}
	return h.showCase(c, u, "已交办给"+c.FormValue("department")+"。", nil, nil)
}

func (h *Pages) ClueAssign(c *fiber.Ctx, u *accounts.User) error {
	if err := h.Cases.Assign(c.UserContext(), u, "clue", web.Param(c, "id"), c.FormValue("department"), c.FormValue("note")); err != nil {
		if errors.Is(err, casestore.ErrNoRef) {
			return fiber.ErrNotFound
		}
		return h.showClue(c, u, "", err)
	}
	return h.showClue(c, u, "已交办给"+c.FormValue("department")+"。", nil)
}

func (h *Pages) CaseProgress(c *fiber.Ctx, u *accounts.User) error {
	form := map[string]string{}
	for _, k := range []string{"filed_on", "price_requested_on", "price_done_on", "to_police_on", "to_procuratorate_on", "judged_on",
		"fine_yuan", "confiscated_yuan", "status", "note"} {
		form[k] = c.FormValue(k)
	}
	err := h.Cases.RecordCaseProgress(c.UserContext(), u, web.Param(c, "id"), casestore.CaseProgress{FiledOn: form["filed_on"],
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
		return h.showCase(c, u, "", err, form)
	}
	return h.showCase(c, u, "进度已保存。", nil, nil)
}

func (h *Pages) ClueProgress(c *fiber.Ctx, u *accounts.User) error {
	err := h.Cases.RecordClueVerdict(c.UserContext(), u, web.Param(c, "id"), c.FormValue("verdict"), c.FormValue("note"))
	if err != nil {
		if errors.Is(err, casestore.ErrProgress) {
			return h.showClue(c, u, "", err)
		}
		if errors.Is(err, casestore.ErrNoRef) {
			return fiber.ErrNotFound
		}
		return err
	}
	return h.showClue(c, u, "核查结果已保存。", nil)
}
