package power

// 确认终止供电 on the power company's rows (power.html, meters.html): every alert and meter row of
// a meter whose latest cut-off order has no confirmation entered after it carries the button, with
// the meter filled in, posting to the confirmation (Cutoff("done"), POST
// /staff/power/meters/:meter/cutoff-done). The orders are read live from int_cutoffs_now (a
// staging view over power_cutoffs), so an order counts the moment the office gives it and the
// button goes the moment the confirmation is entered, without waiting for the models.

import (
	"github.com/gofiber/fiber/v2"

	"landwatch/queries/read"
)

// pendingCutoffs are the meters whose latest 终止供电 order has no confirmation yet, each with the
// day of that order (read.PendingCutoffs).
func (h *Pages) pendingCutoffs(c *fiber.Ctx) (map[string]string, error) {
	return read.PendingCutoffs(c.UserContext(), h.DB)
}
