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
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/portal/accounts"
	"landwatch/portal/powerstore"
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
}

const alertsSQL = `SELECT alert_id, meter_id, coalesce(township, ''), coalesce(village, ''), coalesce(customer_type, ''), rule,
	strftime(first_day, '%Y-%m-%d'), strftime(last_day, '%Y-%m-%d'), CAST(score AS VARCHAR), coalesce(check_result, ''),
	coalesce(strftime(checked_on, '%Y-%m-%d'), ''), strftime(check_due_on, '%Y-%m-%d'), check_late,
	coalesce(strftime(cutoff_ordered_on, '%Y-%m-%d'), ''), coalesce(strftime(cutoff_done_on, '%Y-%m-%d'), '')
	FROM mart_power_alerts WHERE true`

// alerts reads mart_power_alerts for u (a township: its own), narrowed by where/args.
func (s *Server) alerts(c *fiber.Ctx, u *accounts.User, where string, args ...any) ([]alertRow, error) {
	if ok, err := s.hasTable(c, "mart_power_alerts"); err != nil || !ok {
		return nil, err
	}
	if u.Role == accounts.RoleTownship {
		where += ` AND township = ?`
		args = append(args, u.Scope)
	}
	var out []alertRow
	err := warehouse.EachRow(c.UserContext(), s.db, alertsSQL+where+` ORDER BY check_result IS NOT NULL, check_due_on, alert_id LIMIT 2000`, args,
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

func (s *Server) hasTable(c *fiber.Ctx, name string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(c.UserContext(), `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, name).Scan(&n)
	return n > 0, err
}

// powerPage is the work queue: every alert, unchecked first, by check deadline.
func (s *Server) powerPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showPower(c, u, "", nil)
}

func (s *Server) showPower(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	list, err := s.alerts(c, u, "")
	if err != nil {
		return err
	}
	open, late := 0, 0
	for _, a := range list {
		if a.Result == "" {
			open++
		}
		if a.Late {
			late++
		}
	}
	p := page{Title: "用电预警工作台", Notice: notice, Data: map[string]any{"Alerts": list, "Open": open, "Late": late,
		"CanCheck": u.Role == accounts.RoleTownship || s.isPowerCompany(u), "Results": powerstore.CheckResults,
		"CheckDays": s.cfg.Power.PowerCheckDays(), "Today": s.tips.Today().Format(time.DateOnly)}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "power", p)
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
	err = powerstore.RecordCheck(c.UserContext(), s.db, s.chain, u.Name, powerstore.CheckInput{AlertID: id, Result: c.FormValue("result"),
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
		_, err := powerstore.RecordCutoff(c.UserContext(), s.db, s.chain, u.Name, powerstore.CutoffInput{Meter: param(c, "meter"), Kind: kind,
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

// meterRow is one meter of the register with its alerts and cut-off.
type meterRow struct {
	ID, Account, Type, Township, Village string
	Alerts, Open                         int
	CutDone                              string
}

// metersPage lists the meter register as it stands now (a township: its own), with each meter's
// alerts and unchecked alerts as of the last models run and its latest confirmed cut-off (the views
// int_meters_now and int_cutoffs_now decide what is current).
func (s *Server) metersPage(c *fiber.Ctx, u *accounts.User) error {
	var (
		list    []meterRow
		total   int
		links   []pageLink
		filters map[string]any
	)
	ok, err := s.hasTable(c, "int_meters_now")
	if err != nil {
		return err
	}
	alerts, err := s.hasTable(c, "mart_power_alerts")
	if err != nil {
		return err
	}
	if ok {
		a := `SELECT NULL AS meter_id, 0 AS n, 0 AS open WHERE false`
		if alerts {
			a = `SELECT meter_id, count(*) AS n, count(*) FILTER (WHERE check_result IS NULL) AS open FROM mart_power_alerts GROUP BY meter_id`
		}
		q := `WITH a AS (` + a + `)
			SELECT m.meter_id, coalesce(m.account, ''), m.customer_type, m.township, coalesce(m.village, ''), coalesce(a.n, 0), coalesce(a.open, 0),
				coalesce(strftime(cut.done_on, '%Y-%m-%d'), '')
			FROM int_meters_now m LEFT JOIN a ON a.meter_id = m.meter_id LEFT JOIN int_cutoffs_now cut ON cut.meter_id = m.meter_id WHERE true`
		// filters (a township's account sees its own only): township, only meters with unchecked
		// alerts, a 户号 or 户名 text; 50 a page like every list (data.go pageOf)
		var args []any
		town := strings.TrimSpace(c.Query("township"))
		if u.Role == accounts.RoleTownship {
			town = u.Scope
		} else if t, ok := s.cfg.Township(town); town != "" && !ok {
			return s.renderStatus(c, fiber.StatusBadRequest, "meters", page{Title: "用电户", Error: "没有乡镇“" + town + "”",
				Data: map[string]any{"Townships": s.townshipNames()}})
		} else if ok {
			town = t.Name
		}
		if town != "" {
			q += ` AND m.township = ?`
			args = append(args, town)
		}
		open := c.Query("open") == "1"
		if open {
			q += ` AND coalesce(a.open, 0) > 0`
		}
		text := strings.TrimSpace(c.Query("q"))
		if text != "" {
			q += ` AND (m.meter_id LIKE '%' || ? || '%' OR coalesce(m.account, '') LIKE '%' || ? || '%')`
			args = append(args, text, text)
		}
		if err := s.db.QueryRowContext(c.UserContext(), `SELECT count(*) FROM (`+q+`)`, args...).Scan(&total); err != nil {
			return err
		}
		n, err := pageOf(c, total)
		if err != nil {
			return s.renderStatus(c, fiber.StatusBadRequest, "meters", page{Title: "用电户", Error: err.Error(),
				Data: map[string]any{"Townships": s.townshipNames()}})
		}
		if links, err = pageNav(c, total, n); err != nil {
			return err
		}
		filters = map[string]any{"Township": town, "Open": open, "Q": text, "Fixed": u.Role == accounts.RoleTownship}
		err = warehouse.EachRow(c.UserContext(), s.db, q+fmt.Sprintf(` ORDER BY coalesce(a.open, 0) DESC, coalesce(a.n, 0) DESC, m.meter_id LIMIT %d OFFSET %d`, pageSize, (n-1)*pageSize), args,
			func(rs *sql.Rows) error {
				var m meterRow
				if err := rs.Scan(&m.ID, &m.Account, &m.Type, &m.Township, &m.Village, &m.Alerts, &m.Open, &m.CutDone); err != nil {
					return err
				}
				list = append(list, m)
				return nil
			})
		if err != nil {
			return err
		}
	}
	return s.render(c, "meters", page{Title: "用电户", Data: map[string]any{"Meters": list, "Total": total, "Pages": links,
		"F": filters, "Townships": s.townshipNames()}})
}

// townshipNames are the configured townships, in order (a list's filter).
func (s *Server) townshipNames() []string {
	var out []string
	for _, t := range s.cfg.Townships {
		out = append(out, t.Name)
	}
	return out
}
