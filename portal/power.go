package portal

// The power company's console (供电公司: a department account whose scope is power.company_unit):
// the alerts as a work queue with their check deadlines, field-check entry, the meters, and the
// confirmation of 终止供电; the township works its own township's alerts; the office orders cut-offs
// from a meter's page. What is stored is powerstore's; what is shown comes from mart_power_alerts
// (as of the last models run) and the staging models. The power company never sees tips
// (denyPowerCompany on the tip routes).

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/queries/read"
	"landwatch/store/accounts"
	"landwatch/store/powerstore"
	"landwatch/warehouse"
)

// isPowerCompany: a department account of the power company.
func (s *Server) isPowerCompany(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && u.Scope == s.cfg.PowerCompany()
}

// denyOtherDepartments keeps the power pages to the power company among the departments.
func (s *Server) denyOtherDepartments(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && !s.isPowerCompany(u)
}

// denyPowerCompany keeps the power company out of the tips.
func (s *Server) denyPowerCompany(u *accounts.User) bool { return s.isPowerCompany(u) }

// alertRow is one alert of the work queue.
type alertRow struct {
	ID, Meter, Township, Village, Type, Rule, FirstDay, LastDay, Score, Result, CheckedOn, DueOn string
	Late                                                                                         bool
	CutOrdered, CutDone                                                                          string
	// Pending is the day of the meter's latest cut-off order when no confirmation followed it
	// (pendingCutoffs, powercutoff.go): the row carries 确认终止供电 for the power company.
	Pending string
}

const alertsSQL = `SELECT alert_id, meter_id, coalesce(township, ''), coalesce(village, ''), coalesce(customer_type, ''), rule,
	strftime(first_day, '%Y-%m-%d'), strftime(last_day, '%Y-%m-%d'), CAST(score AS VARCHAR), coalesce(check_result, ''),
	coalesce(strftime(checked_on, '%Y-%m-%d'), ''), strftime(check_due_on, '%Y-%m-%d'), check_late,
	coalesce(strftime(cutoff_ordered_on, '%Y-%m-%d'), ''), coalesce(strftime(cutoff_done_on, '%Y-%m-%d'), '')
	FROM mart_power_alerts WHERE true`

// alerts reads mart_power_alerts for u (a township: its own), narrowed by where/args.
func (s *Server) alerts(c *fiber.Ctx, u *accounts.User, where string, args ...any) ([]alertRow, error) {
	return s.alertRows(c, u, where, ` LIMIT 2000`, args...)
}

// alertRows reads the alerts of u narrowed by where/args, unchecked first by check deadline, with
// tail (a LIMIT, or "" for every row).
func (s *Server) alertRows(c *fiber.Ctx, u *accounts.User, where, tail string, args ...any) ([]alertRow, error) {
	if ok, err := s.hasTable(c, "mart_power_alerts"); err != nil || !ok {
		return nil, err
	}
	where, args = alertScope(u, where, args)
	var out []alertRow
	err := warehouse.EachRow(c.UserContext(), s.db, alertsSQL+where+` ORDER BY check_result IS NOT NULL, check_due_on, alert_id`+tail, args,
		func(rs *sql.Rows) error {
			var a alertRow
			if err := rs.Scan(&a.ID, &a.Meter, &a.Township, &a.Village, &a.Type, &a.Rule, &a.FirstDay, &a.LastDay, &a.Score, &a.Result,
				&a.CheckedOn, &a.DueOn, &a.Late, &a.CutOrdered, &a.CutDone); err != nil {
				return err
			}
			a.Rule = campaign.Label("rule", a.Rule)
			out = append(out, a)
			return nil
		})
	return out, err
}

// alertScope narrows a township's alerts to its own.
func alertScope(u *accounts.User, where string, args []any) (string, []any) {
	if u.Role == accounts.RoleTownship {
		return where + ` AND township = ?`, append(args, u.Scope)
	}
	return where, args
}

// hasTable says whether a model was built or a register loaded (read.HasTable).
func (s *Server) hasTable(c *fiber.Ctx, name string) (bool, error) {
	return read.HasTable(c.UserContext(), s.db, name)
}

// powerCheck records a field check of an alert by the power company or the alert's township.
func (s *Server) powerCheck(c *fiber.Ctx, u *accounts.User) error {
	id := param(c, "id")
	list, err := s.alerts(c, u, ` AND alert_id = ?`, id)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return fiber.ErrNotFound
	}
	on, _ := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("checked_on")))
	err = powerstore.RecordCheck(c.UserContext(), s.db, s.auditLog, u.Name, powerstore.CheckInput{AlertID: id, Result: c.FormValue("result"),
		Note: c.FormValue("note"), Unit: u.Scope, On: on, Now: s.opt.now()})
	if errors.Is(err, powerstore.ErrInvalid) {
		return s.showPower(c, u, "", err)
	}
	if err != nil {
		return err
	}
	return s.showPower(c, u, "核查结果已保存（更新统计后计入预警）。", nil)
}

// cutoffRow is one cut-off entry of a meter.
type cutoffRow struct{ Kind, On, Violation, By, At, Note string }

// meterPage shows a meter, its alerts and its cut-off entries; the office orders a cut-off, the
// power company confirms one.
func (s *Server) meterPage(c *fiber.Ctx, u *accounts.User) error { return s.showMeter(c, u, "", nil) }

func (s *Server) showMeter(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	id := param(c, "meter")
	var m struct{ ID, Account, Type, Township, Village, Address string }
	if ok, err := s.hasTable(c, "int_meters_now"); err != nil {
		return err
	} else if !ok {
		return fiber.ErrNotFound
	}
	err := s.db.QueryRowContext(c.UserContext(), `SELECT meter_id, coalesce(account, ''), customer_type, township, coalesce(village, ''), coalesce(address, '')
		FROM int_meters_now WHERE meter_id = ?`, id).
		Scan(&m.ID, &m.Account, &m.Type, &m.Township, &m.Village, &m.Address)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Role == accounts.RoleTownship && m.Township != u.Scope) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	alerts, err := s.alerts(c, u, ` AND meter_id = ?`, id)
	if err != nil {
		return err
	}
	var cuts []cutoffRow
	err = warehouse.EachRow(c.UserContext(), s.db, `SELECT kind, strftime(cutoff_on, '%Y-%m-%d'), coalesce(violation, ''), entered_by,
		strftime(known_from, '%Y-%m-%d %H:%M'), coalesce(note, '') FROM stg_power__cutoffs WHERE meter_id = ? ORDER BY known_from`, []any{id},
		func(rs *sql.Rows) error {
			var x cutoffRow
			if err := rs.Scan(&x.Kind, &x.On, &x.Violation, &x.By, &x.At, &x.Note); err != nil {
				return err
			}
			x.Kind = map[string]string{"ordered": "下达终止供电指令", "done": "确认已终止供电"}[x.Kind]
			cuts = append(cuts, x)
			return nil
		})
	if err != nil {
		return err
	}
	p := page{Title: "电表 " + m.ID, Notice: notice, Data: map[string]any{"M": m, "Alerts": alerts, "Cutoffs": cuts,
		"Office": u.Role == accounts.RoleOffice, "Company": s.isPowerCompany(u), "Today": s.tips.Today().Format(time.DateOnly)}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "meter", p)
}

// meterCutoff records the office's order (kind ordered) or the power company's confirmation (done).
func (s *Server) meterCutoff(kind string) Handler {
	return func(c *fiber.Ctx, u *accounts.User) error {
		on, _ := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("cutoff_on")))
		_, err := powerstore.RecordCutoff(c.UserContext(), s.db, s.auditLog, u.Name, powerstore.CutoffInput{Meter: param(c, "meter"), Kind: kind,
			On: on, Note: c.FormValue("note"), Now: s.opt.now()})
		if errors.Is(err, powerstore.ErrInvalid) {
			return s.showMeter(c, u, "", err)
		}
		if err != nil {
			return err
		}
		return s.showMeter(c, u, map[string]string{"ordered": "终止供电指令已记录。", "done": "终止供电已确认。"}[kind], nil)
	}
}

// townshipNames are the configured townships, in order (a list's filter).
func (s *Server) townshipNames() []string {
	var out []string
	for _, t := range s.cfg.Townships {
		out = append(out, t.Name)
	}
	return out
}
