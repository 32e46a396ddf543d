package casework

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
	"landwatch/portal/web"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
)

// DenyNonAccepting keeps the acceptance pages to the accepting units among the departments.
func (h *Pages) DenyNonAccepting(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && !h.Cfg.Accepts(u.Scope)
}

func (h *Pages) AcceptancePage(c *fiber.Ctx, u *accounts.User) error {
	return h.showAcceptance(c, u, "", nil, casestore.AcceptanceInput{})
}

func (h *Pages) showAcceptance(c *fiber.Ctx, u *accounts.User, notice string, fail error, form casestore.AcceptanceInput) error {
	ctx := c.UserContext()
	awaiting, err := h.Cases.Awaiting(ctx, u)
	if err != nil {
		return err
	}
	rows, links, err := view.PageSlice(c, awaiting)
	if err != nil {
		return err
	}
	entries, err := h.Cases.Acceptances(ctx, u)
	if err != nil {
		return err
	}
	late := 0
	for _, a := range awaiting {
		if a.Late {
			late++
		}
	}
	p := web.Page{Title: "整改验收", Notice: notice, Data: map[string]any{"Awaiting": rows, "Total": len(awaiting), "Late": late, "Links": links,
		"Entries": entries, "Form": form, "Office": u.Role == accounts.RoleOffice, "Results": casestore.AcceptanceResults,
		"DueWorkdays": h.Cfg.Acceptance.DueWorkdays, "Today": h.Today().Format(time.DateOnly),
		"MaxFiles": h.Cfg.Portal.MaxFiles, "MaxFileMB": h.Cfg.Portal.MaxFileMB}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return h.RenderStatus(c, code, "acceptance", p)
}

// AcceptancePost records an acceptance of the item on whose row the form is.
func (h *Pages) AcceptancePost(c *fiber.Ctx, u *accounts.User) error {
	return h.acceptanceWith(c, u, web.Param(c, "item"))
}

func (h *Pages) acceptanceWith(c *fiber.Ctx, u *accounts.User, item string) error {
	in := casestore.AcceptanceInput{Item: item, On: c.FormValue("accepted_on"), Inspector: c.FormValue("inspector"),
		Result: c.FormValue("result"), Note: c.FormValue("note")}
	files, err := h.clueFiles(c)
	if err != nil {
		return h.showAcceptance(c, u, "", fmt.Errorf("验收未保存：%w", err), in)
	}
	id, err := h.Cases.Accept(c.UserContext(), u, in, files)
	switch {
	case err == nil:
		return h.showAcceptance(c, u, fmt.Sprintf("问题 %s 的验收（%s）已登记，记录 %s；下次运行模型后计入台账。", in.Item, in.Result, id), nil,
			casestore.AcceptanceInput{})
	case errors.Is(err, casestore.ErrForbidden):
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	case errors.Is(err, casestore.ErrAcceptance), errors.Is(err, casestore.ErrNotBuilt):
		return h.showAcceptance(c, u, "", err, in)
	}
	return err
}

func (h *Pages) AcceptanceFile(c *fiber.Ctx, u *accounts.User) error {
	return sendEntryFile(c, u, h.Cases.AcceptanceFile)
}

func (h *Pages) RestorationPage(c *fiber.Ctx, u *accounts.User) error {
	return h.showRestoration(c, u, "", nil)
}

func (h *Pages) showRestoration(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	items, err := h.Cases.Restoration(c.UserContext(), u)
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
	p := web.Page{Title: "恢复治理", Notice: notice, Data: map[string]any{"Items": rows, "Links": links, "Count": len(items),
		"Accepted": strconv.FormatFloat(accepted, 'f', 2, 64), "Area": strconv.FormatFloat(total, 'f', 2, 64),
		"CanEdit": u.Role == accounts.RoleDepartment, "Today": h.Today().Format(time.DateOnly)}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return h.RenderStatus(c, code, "restoration", p)
}

func (h *Pages) RestorationPost(c *fiber.Ctx, u *accounts.User) error {
	in := casestore.RestorationInput{Item: web.Param(c, "item"), Restored: c.FormValue("restored_mu"), AcceptedOn: c.FormValue("accepted_on"),
		Paid: c.FormValue("paid_yuan"), Payer: c.FormValue("payer"), Plan: c.FormValue("plan")}
	err := h.Cases.UpdateRestoration(c.UserContext(), u, in)
	switch {
	case err == nil:
		return h.showRestoration(c, u, fmt.Sprintf("恢复治理事项 %s 已更新；下次运行模型后计入恢复土地面积。", in.Item), nil)
	case errors.Is(err, casestore.ErrNoRef):
		return fiber.ErrNotFound
	case errors.Is(err, casestore.ErrForbidden):
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	case errors.Is(err, casestore.ErrRestoration), errors.Is(err, casestore.ErrNotBuilt):
		return h.showRestoration(c, u, "", err)
	}
	return err
}

// AcceptanceAnyPost records an acceptance of an item named in the form (not on the awaiting list).
func (h *Pages) AcceptanceAnyPost(c *fiber.Ctx, u *accounts.User) error {
	return h.acceptanceWith(c, u, c.FormValue("item"))
}
