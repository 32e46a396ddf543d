// Package power is the power company's console (供电公司: a department account whose scope is
// power.company_unit):
// the alerts as a work queue with their check deadlines, field-check entry, the meters, and the
// confirmation of 终止供电; the township works its own township's alerts; the office orders cut-offs
// from a meter's page. What is stored is powerstore's; what is shown comes from mart_power_alerts
// (as of the last models run) and the staging models. The power company never sees tips
// (denyPowerCompany on the tip routes, portal/power.go). portal/routes.go mounts these pages.
package power

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/portal/web"
	"landwatch/queries/read"
	"landwatch/store/accounts"
	"landwatch/store/powerstore"
)

// Pages are the console's handlers.
type Pages struct{ *web.Kit }

// alertRow is one alert of the work queue (read.Alert, its rule in words).
type alertRow struct {
	read.Alert
	// Pending is the day of the meter's latest cut-off order when no confirmation followed it
	// (pendingCutoffs, cutoff.go): the row carries 确认终止供电 for the power company.
	Pending string
}

// alertScope narrows f to u's alerts (a township: its own).
func alertScope(u *accounts.User, f read.AlertFilter) read.AlertFilter {
	if u.Role == accounts.RoleTownship {
		f.Township = u.Scope
	}
	return f
}

// alerts reads the alerts of u f selects (read.Alerts): page n (0: the first limit; limit 0: every
// one), the rules in words.
func (h *Pages) alerts(c *fiber.Ctx, u *accounts.User, f read.AlertFilter, n, limit int) ([]alertRow, error) {
	list, err := read.Alerts(c.UserContext(), h.DB, alertScope(u, f), n, limit)
	out := make([]alertRow, len(list))
	for i, a := range list {
		a.Rule = campaign.Label("rule", a.Rule)
		out[i] = alertRow{Alert: a}
	}
	return out, err
}

// hasTable says whether a model was built or a register loaded (read.HasTable).
func (h *Pages) hasTable(c *fiber.Ctx, name string) (bool, error) {
	return read.HasTable(c.UserContext(), h.DB, name)
}

// Check records a field check of an alert by the power company or the alert's township.
func (h *Pages) Check(c *fiber.Ctx, u *accounts.User) error {
	id := web.Param(c, "id")
	list, err := h.alerts(c, u, read.AlertFilter{ID: id}, 0, maxAlerts)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return fiber.ErrNotFound
	}
	on, _ := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("checked_on")))
	err = powerstore.RecordCheck(c.UserContext(), h.DB, h.Audit, u.Name, powerstore.CheckInput{AlertID: id, Result: c.FormValue("result"),
		Note: c.FormValue("note"), Unit: u.Scope, On: on, Now: h.Now()})
	if errors.Is(err, powerstore.ErrInvalid) {
		return h.showPower(c, u, "", err)
	}
	if err != nil {
		return err
	}
	return h.showPower(c, u, "核查结果已保存（更新统计后计入预警）。", nil)
}

// maxAlerts bounds the alerts a meter's page shows.
const maxAlerts = 2000

// Meter shows a meter, its alerts and its cut-off entries; the office orders a cut-off, the
// power company confirms one.
func (h *Pages) Meter(c *fiber.Ctx, u *accounts.User) error { return h.showMeter(c, u, "", nil) }

func (h *Pages) showMeter(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	id := web.Param(c, "meter")
	m, ok, err := read.MeterByID(c.UserContext(), h.DB, id)
	if err != nil {
		return err
	}
	if !ok || (u.Role == accounts.RoleTownship && m.Township != u.Scope) {
		return fiber.ErrNotFound
	}
	alerts, err := h.alerts(c, u, read.AlertFilter{Meter: id}, 0, maxAlerts)
	if err != nil {
		return err
	}
	cuts, err := read.MeterCutoffs(c.UserContext(), h.DB, id)
	if err != nil {
		return err
	}
	for i := range cuts {
		cuts[i].Kind = map[string]string{"ordered": "下达终止供电指令", "done": "确认已终止供电"}[cuts[i].Kind]
	}
	p := web.Page{Title: "电表 " + m.ID, Notice: notice, Data: map[string]any{"M": m, "Alerts": alerts, "Cutoffs": cuts,
		"Office": u.Role == accounts.RoleOffice, "Company": h.IsPowerCompany(u), "Today": h.Today().Format(time.DateOnly)}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return h.RenderStatus(c, code, "meter", p)
}

// Cutoff records the office's order (kind ordered) or the power company's confirmation (done).
func (h *Pages) Cutoff(kind string) web.Handler {
	return func(c *fiber.Ctx, u *accounts.User) error {
		on, _ := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("cutoff_on")))
		_, err := powerstore.RecordCutoff(c.UserContext(), h.DB, h.Audit, u.Name, powerstore.CutoffInput{Meter: web.Param(c, "meter"), Kind: kind,
			On: on, Note: c.FormValue("note"), Now: h.Now()})
		if errors.Is(err, powerstore.ErrInvalid) {
			return h.showMeter(c, u, "", err)
		}
		if err != nil {
			return err
		}
		return h.showMeter(c, u, map[string]string{"ordered": "终止供电指令已记录。", "done": "终止供电已确认。"}[kind], nil)
	}
}
