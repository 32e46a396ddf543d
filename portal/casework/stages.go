package casework

// The enforcement chain by stage on the case page: every unit holding a case sees its stages; a
// department enters only the stages its unit owns (casestore.RecordStage; 403 otherwise).

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/web"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
)

// addStages puts the case's stages, its stage entries and the stages u may enter into a case page's data.
func (h *Pages) addStages(c *fiber.Ctx, u *accounts.User, r *casestore.CaseRow, d map[string]any) error {
	rows, entries, err := h.Cases.StagesOf(c.UserContext(), r) // r: as Case returned it for u
	if err != nil {
		return err
	}
	d["Stages"], d["StageEntries"], d["MyStages"] = rows, entries, h.Cases.StagesFor(u)
	d["Own"] = h.Cases.ProgressFields(u) // the progress form offers only the unit's own fields
	return nil
}

// CaseStage records a stage entry: 403 for a stage another unit owns, 404 for a case the unit does
// not hold, the case page with the refusal for bad input.
func (h *Pages) CaseStage(c *fiber.Ctx, u *accounts.User) error {
	err := h.Cases.RecordStage(c.UserContext(), u, web.Param(c, "id"), casestore.StageInput{Stage: c.FormValue("stage"), On: c.FormValue("stage_on"),
		TermMonths: c.FormValue("term_months"), Fine: c.FormValue("fine_yuan"), DocNo: c.FormValue("doc_no"), Note: c.FormValue("note")})
	switch {
	case err == nil:
		return h.showCase(c, u, "环节已保存。", nil, nil)
	case errors.Is(err, casestore.ErrForbidden):
		return fiber.NewError(fiber.StatusForbidden, err.Error())
	case errors.Is(err, casestore.ErrNoRef):
		return fiber.ErrNotFound
	case errors.Is(err, casestore.ErrProgress):
		return h.showCase(c, u, "", err, nil)
	}
	return err
}
