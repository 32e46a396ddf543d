package casework

// Clues a member unit raises on its console (部门移送): the form (place, village or coordinates,
// category, what was seen, photos checked and stripped of metadata exactly as a tip's), the unit's
// own list, more photos for its own clue (403 for another unit's). The office sees every unit's
// clues here with the unit's name, and triages and assigns them on the clue pages like any clue.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/internal/sanitize"
	"landwatch/portal/view"
	"landwatch/portal/web"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
)

func (h *Pages) DeptCluesPage(c *fiber.Ctx, u *accounts.User) error {
	return h.showDeptClues(c, u, "", nil, casestore.DeptClueInput{})
}

func (h *Pages) showDeptClues(c *fiber.Ctx, u *accounts.User, notice string, fail error, form casestore.DeptClueInput) error {
	list, err := h.Cases.DeptClues(c.UserContext(), u)
	if err != nil {
		return err
	}
	p := web.Page{Title: "部门上报线索", Notice: notice, Data: map[string]any{"Clues": list, "Form": form, "Office": u.Role == accounts.RoleOffice,
		"Townships": h.Cfg.Townships, "Categories": h.Cfg.Categories, "Today": h.Today().Format(time.DateOnly),
		"MaxFiles": h.Cfg.Portal.MaxFiles, "MaxFileMB": h.Cfg.Portal.MaxFileMB}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return h.RenderStatus(c, code, "deptclues", p)
}

// clueFiles reads and sanitizes the photos of a clue form exactly as a tip's evidence.
func (h *Pages) clueFiles(c *fiber.Ctx) ([]sanitize.File, error) {
	ev, err := h.FormFiles(c)
	if err != nil {
		return nil, err
	}
	return h.Tips.CheckEvidence(ev)
}

func (h *Pages) DeptCluePost(c *fiber.Ctx, u *accounts.User) error {
	in := casestore.DeptClueInput{Township: c.FormValue("township"), Village: c.FormValue("village"), Lon: c.FormValue("lon"),
		Lat: c.FormValue("lat"), Place: c.FormValue("place"), Category: c.FormValue("category"), FoundOn: c.FormValue("found_on"),
		Description: c.FormValue("description")}
	files, err := h.clueFiles(c)
	if err != nil {
		return h.showDeptClues(c, u, "", fmt.Errorf("线索未保存：%w", err), in)
	}
	id, err := h.Cases.RaiseClue(c.UserContext(), u, in, files)
	if errors.Is(err, casestore.ErrClue) {
		return h.showDeptClues(c, u, "", err, in)
	}
	if err != nil {
		return err
	}
	return h.showDeptClues(c, u, "线索 "+id+" 已上报，进入领导小组办公室的线索交办。", nil, casestore.DeptClueInput{})
}

func (h *Pages) DeptClueFilesPost(c *fiber.Ctx, u *accounts.User) error {
	files, err := h.clueFiles(c)
	if err != nil {
		return h.showDeptClues(c, u, "", fmt.Errorf("照片未保存：%w", err), casestore.DeptClueInput{})
	}
	err = h.Cases.AddClueFiles(c.UserContext(), u, web.Param(c, "id"), files)
	switch {
	case err == nil:
		return h.showDeptClues(c, u, "照片已补充。", nil, casestore.DeptClueInput{})
	case errors.Is(err, casestore.ErrNoRef):
		return fiber.ErrNotFound
	case errors.Is(err, casestore.ErrForbidden):
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	case errors.Is(err, casestore.ErrClue):
		return h.showDeptClues(c, u, "", err, casestore.DeptClueInput{})
	}
	return err
}

func (h *Pages) DeptClueFile(c *fiber.Ctx, u *accounts.User) error {
	return sendEntryFile(c, u, h.Cases.ClueFile)
}

// sendEntryFile sends photo :n of entry :id as get finds it for u (a clue's, an acceptance's),
// named after the entry and the photo's number.
func sendEntryFile(c *fiber.Ctx, u *accounts.User, get func(context.Context, *accounts.User, string, int) (string, []byte, error)) error {
	n, err := strconv.Atoi(web.Param(c, "n"))
	if err != nil {
		return fiber.ErrNotFound
	}
	id := web.Param(c, "id")
	mime, data, err := get(c.UserContext(), u, id, n)
	switch {
	case errors.Is(err, casestore.ErrNoRef):
		return fiber.ErrNotFound
	case errors.Is(err, casestore.ErrForbidden):
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	case err != nil:
		return err
	}
	c.Set(fiber.HeaderContentType, mime)
	view.Attachment(c, fmt.Sprintf("%s-%d%s", id, n, view.ExtFor(mime)))
	return c.Send(data)
}
