package portal

// 确认终止供电 on the power company's rows (power.html, meters.html): every alert and meter row of
// a meter whose latest cut-off order has no confirmation entered after it carries the button, with
// the meter filled in, posting to the confirmation (meterCutoff("done"), POST
// /staff/power/meters/:meter/cutoff-done). The orders are read live from int_cutoffs_now (a
// staging view over power_cutoffs), so an order counts the moment the office gives it and the
// button goes the moment the confirmation is entered, without waiting for the models.

import (
	"database/sql"

	"github.com/gofiber/fiber/v2"

	"landwatch/warehouse"
)

// pendingCutoffs are the meters whose latest 终止供电 order (by when it was entered) has no
// confirmation entered at or after it, each with the day of that order.
func (s *Server) pendingCutoffs(c *fiber.Ctx) (map[string]string, error) {
	out := map[string]string{}
	if ok, err := s.hasTable(c, "int_cutoffs_now"); err != nil || !ok {
		return out, err
	}
	err := warehouse.EachRow(c.UserContext(), s.db, `SELECT meter_id, strftime(ordered_on, '%Y-%m-%d')
		FROM int_cutoffs_now WHERE awaiting_confirmation`,
		nil, func(rs *sql.Rows) error {
			var meter, on string
			if err := rs.Scan(&meter, &on); err != nil {
				return err
			}
			out[meter] = on
			return nil
		})
	return out, err
}
