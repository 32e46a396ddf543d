package portal

// Independent acceptance (验收) and the restoration ledger (恢复治理) on the accepting units'
// consoles: a member unit that accepts some category's rectifications ([acceptance] in
// campaign/default.toml) sees the ledger items awaiting its acceptance (the late ones first) and
// records 合格 or 不合格 on each item's row, with photos checked and stripped of metadata exactly as a
// tip's; it updates the restoration items (area restored, acceptance, payment). The office sees
// every unit's. Other departments are refused (403). The stores are store/casestore/acceptance.go
// and restoration.go.

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/view"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
)

// denyNonAccepting keeps the acceptance pages to the accepting units among the departments.
func (s *Server) denyNonAccepting(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && !s.cfg.Accepts(u.Scope)
}

func (s *Server) acceptancePage(c *fiber.Ctx, u *accounts.User) error {
	return s.showAcceptance(c, u, "", nil, casestore.AcceptanceInput{})
}

func (s *Server) showAcceptance(c *fiber.Ctx, u *accounts.User, notice string, fail error, form casestore.AcceptanceInput) error {
	ctx := c.UserContext()
	awaiting, err := s.cases.Awaiting(ctx, u)
	if err != nil {
		return err
	}
	rows, links, err := view.PageSlice(c, awaiting)
	if err != nil {
		return err
	}
	entries, err := s.cases.Acceptances(ctx, u)
	if err != nil {
		return err
	}
	late := 0
	for _, a := range awaiting {
		if a.Late {
			late++
		}
	}
	p := page{Title: "整改验收", Notice: notice, Data: map[string]any{"Awaiting": rows, "Total": len(awaiting), "Late": late, "Links": links,
		"Entries": entries, "Form": form, "Office": u.Role == accounts.RoleOffice, "Results": casestore.AcceptanceResults,
		"DueWorkdays": s.cfg.Acceptance.DueWorkdays, "Today": s.tips.Today().Format(time.DateOnly),
		"MaxFiles": s.cfg.Portal.MaxFiles, "MaxFileMB": s.cfg.Portal.MaxFileMB}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "acceptance", p)
}

// acceptancePost records an acceptance of the item on whose row the form is.
func (s *Server) acceptancePost(c *fiber.Ctx, u *accounts.User) error {
	return s.acceptanceWith(c, u, param(c, "item"))
}

func (s *Server) acceptanceWith(c *fiber.Ctx, u *accounts.User, item string) error {
	in := casestore.AcceptanceInput{Item: item, On: c.FormValue("accepted_on"), Inspector: c.FormValue("inspector"),
		Result: c.FormValue("result"), Note: c.FormValue("note")}
	files, err := s.clueFiles(c)
	if err != nil {
		return s.showAcceptance(c, u, "", fmt.Errorf("验收未保存：%w", err), in)
	}
	id, err := s.cases.Accept(c.UserContext(), u, in, files)
	switch {
	case err == nil:
		return s.showAcceptance(c, u, fmt.Sprintf("问题 %s 的验收（%s）已登记，记录 %s；下次运行模型后计入台账。", in.Item, in.Result, id), nil,
			casestore.AcceptanceInput{})
	case errors.Is(err, casestore.ErrForbidden):
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	case errors.Is(err, casestore.ErrAcceptance), errors.Is(err, casestore.ErrNotBuilt):
		return s.showAcceptance(c, u, "", err, in)
	}
	return err
}

func (s *Server) acceptanceFile(c *fiber.Ctx, u *accounts.User) error {
	return sendEntryFile(c, u, s.cases.AcceptanceFile)
}

func (s *Server) restorationPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showRestoration(c, u, "", nil)
}

func (s *Server) showRestoration(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	items, err := s.cases.Restoration(c.UserContext(), u)
	if errors.Is(err, casestore.ErrForbidden) {
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	}
	if err != nil {
		return err
	}
	rows, links, err := view.PageSlice(c, items)
	if err != nil {
		return err
	}
	var accepted, total float64
	for _, it := range items {
		if it.State == "已验收" {
			v, _ := strconv.ParseFloat(it.Restored, 64)
			accepted += v
		}
		v, _ := strconv.ParseFloat(it.Area, 64)
		total += v
	}
	p := page{Title: "恢复治理", Notice: notice, Data: map[string]any{"Items": rows, "Links": links, "Count": len(items),
		"Accepted": strconv.FormatFloat(accepted, 'f', 2, 64), "Area": strconv.FormatFloat(total, 'f', 2, 64),
		"CanEdit": u.Role == accounts.RoleDepartment, "Today": s.tips.Today().Format(time.DateOnly)}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "restoration", p)
}

func (s *Server) restorationPost(c *fiber.Ctx, u *accounts.User) error {
	in := casestore.RestorationInput{Item: param(c, "item"), Restored: c.FormValue("restored_mu"), AcceptedOn: c.FormValue("accepted_on"),
		Paid: c.FormValue("paid_yuan"), Payer: c.FormValue("payer"), Plan: c.FormValue("plan")}
	err := s.cases.UpdateRestoration(c.UserContext(), u, in)
	switch {
	case err == nil:
		return s.showRestoration(c, u, fmt.Sprintf("恢复治理事项 %s 已更新；下次运行模型后计入恢复土地面积。", in.Item), nil)
	case errors.Is(err, casestore.ErrNoRef):
		return fiber.ErrNotFound
	case errors.Is(err, casestore.ErrForbidden):
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	case errors.Is(err, casestore.ErrRestoration), errors.Is(err, casestore.ErrNotBuilt):
		return s.showRestoration(c, u, "", err)
	}
	return err
}

// acceptanceAnyPost records an acceptance of an item named in the form (not on the awaiting list).
func (s *Server) acceptanceAnyPost(c *fiber.Ctx, u *accounts.User) error {
	return s.acceptanceWith(c, u, c.FormValue("item"))
}
