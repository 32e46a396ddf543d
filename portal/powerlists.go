package portal

// The power company's lists, 用电预警 (/staff/power) and 用电户 (/staff/power/meters): filtered
// and paged in SQL like the mart pages, with their exports holding exactly the filtered rows
// (portal/view/list.go). A township's account sees its own township whatever it sends.

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/portal/view"
	"landwatch/queries/read"
	"landwatch/store/accounts"
	"landwatch/store/powerstore"
)

const (
	powerPath  = "/staff/power"
	metersPath = "/staff/power/meters"
	// notChecked is the 核查结果 filter's value for the alerts without a check.
	notChecked = "未核查"
)

// alertFilter is the filter (read.AlertFilter) of the request's filters: 乡镇 (not offered to
// a township's account), 核查结果 (未核查 or a result), 逾期 (是/否), 规则 and a 户号 text; data
// gets the filters as the form shows them.
func (s *Server) alertFilter(c *fiber.Ctx, u *accounts.User, data map[string]any) (read.AlertFilter, error) {
	var (
		f       read.AlertFilter
		choices []filterChoice
	)
	add := func(spec filterSpec, opts []filterOption, set func(v string)) error {
		ch, err := view.PickFilter(c, spec, opts)
		choices = append(choices, ch)
		data["Filters"] = choices
		if err != nil || ch.Value == "" {
			return err
		}
		set(ch.Value)
		return nil
	}
	if u.Role != accounts.RoleTownship {
		if err := add(fTownship, view.PlainOptions(s.townshipNames()), func(v string) { f.Township = v }); err != nil {
			return f, err
		}
	}
	results := view.PlainOptions(append([]string{notChecked}, powerstore.CheckResults...))
	if err := add(filterSpec{Param: "result", Label: "核查结果"}, results, func(v string) {
		if v == notChecked {
			f.Unchecked = true
		} else {
			f.Result = v
		}
	}); err != nil {
		return f, err
	}
	if err := add(filterSpec{Param: "late", Label: "逾期", Bool: true}, view.YesNo(), func(v string) {
		late := v == "true"
		f.Late = &late
	}); err != nil {
		return f, err
	}
	// a rule by its name, the code staying out of the page and its address
	codes := map[string]string{}
	var rules []string
	for _, r := range campaign.LabelCodes("rule") {
		codes[campaign.Label("rule", r)] = r
		rules = append(rules, campaign.Label("rule", r))
	}
	slices.Sort(rules)
	if err := add(filterSpec{Param: "rule", Label: "规则"}, view.PlainOptions(rules), func(v string) { f.Rule = codes[v] }); err != nil {
		return f, err
	}
	text := strings.Clone(strings.TrimSpace(c.Query("q")))
	data["Text"] = map[string]string{"Label": "户号", "Param": "q", "Value": text}
	if len([]rune(text)) > 64 {
		return f, inputError("户号最多 64 个字")
	}
	f.Text = text
	data["Filtered"] = view.Filtered(choices) || text != ""
	return f, nil
}

// powerPage is the work queue: the alerts the filters select, unchecked first, by check deadline.
func (s *Server) powerPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showPower(c, u, "", nil)
}

// showPower shows the work queue (also after a check is posted: its filters are then the page's
// defaults, its links those of /staff/power).
func (s *Server) showPower(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	data := map[string]any{"Path": powerPath, "CanCheck": u.Role == accounts.RoleTownship || s.isPowerCompany(u),
		"CanConfirm": s.isPowerCompany(u), "Results": powerstore.CheckResults, "CheckDays": s.cfg.Power.PowerCheckDays(),
		"Today": s.tips.Today().Format(time.DateOnly)}
	p := page{Title: "用电预警工作台", Notice: notice, Data: data}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	f, err := s.alertFilter(c, u, data)
	if err != nil {
		return s.listError(c, "power", p.Title, data, err)
	}
	built, err := s.hasTable(c, "mart_power_alerts")
	if err != nil {
		return err
	}
	if built {
		open, late, err := read.AlertTotals(c.UserContext(), s.db, alertScope(u, read.AlertFilter{}))
		if err != nil {
			return err
		}
		total, err := read.AlertCount(c.UserContext(), s.db, alertScope(u, f))
		if err != nil {
			return err
		}
		n, err := view.PageOf(c, total)
		if err != nil {
			return s.listError(c, "power", p.Title, data, err)
		}
		links, err := view.PageNavAt(c, powerPath, total, n)
		if err != nil {
			return s.listError(c, "power", p.Title, data, err)
		}
		list, err := s.alerts(c, u, f, n, 0)
		if err != nil {
			return err
		}
		if err := s.markPending(c, list); err != nil {
			return err
		}
		data["Alerts"], data["Open"], data["Late"], data["Total"], data["Pages"] = list, open, late, total, links
		if data["ExportURL"], err = view.ExportURL(c, "/staff/export/alerts.xlsx"); err != nil {
			return s.listError(c, "power", p.Title, data, err)
		}
	}
	return s.renderStatus(c, code, "power", p)
}

// markPending sets each alert's Pending (powercutoff.go).
func (s *Server) markPending(c *fiber.Ctx, list []alertRow) error {
	pending, err := s.pendingCutoffs(c)
	for i := range list {
		list[i].Pending = pending[list[i].Meter]
	}
	return err
}

// cutWords is the 终止供电 state of an alert's meter in words (the list's and the export's).
func (a alertRow) cutWords() string {
	switch {
	case a.Pending != "":
		return "已下达指令 " + a.Pending + "，待确认"
	case a.CutDone != "":
		return "已于 " + a.CutDone + " 终止"
	case a.CutOrdered != "":
		return "已下达指令 " + a.CutOrdered
	}
	return ""
}

// exportAlerts sends the alerts the filters select, every page of them.
func (s *Server) exportAlerts(c *fiber.Ctx, u *accounts.User) error {
	f, err := s.alertFilter(c, u, map[string]any{})
	if err != nil {
		return s.listError(c, "error", "用电预警", nil, err)
	}
	list, err := s.alerts(c, u, f, 0, 0)
	if err == nil {
		err = s.markPending(c, list)
	}
	if err != nil {
		return err
	}
	rows := make([][]string, len(list))
	for i, a := range list {
		rows[i] = []string{cmp.Or(a.Result, notChecked), a.ID, a.cutWords(), a.DueOn, campaign.BoolLabel(a.Late), a.Meter, a.Township,
			a.Village, a.Type, a.Rule, a.FirstDay, a.LastDay, a.CheckedOn}
	}
	return view.SendSheet(c, "用电预警", []string{"核查结果", "预警编号", "终止供电", "核查期限", "逾期", "户号", "乡镇", "村", "用电类别", "规则",
		"首日", "末日", "核查日期"}, rows)
}

// meterRow is one meter of the register with its alerts and cut-off (read.Meter).
type meterRow struct {
	read.Meter
	Pending string // as alertRow's
}

// cutWords is the meter's 终止供电 state in words.
func (m meterRow) cutWords() string {
	switch {
	case m.Pending != "":
		return "已下达指令 " + m.Pending + "，待确认"
	case m.CutDone != "":
		return m.CutDone + " 起"
	}
	return ""
}

// meterSelect is the filter of the meter register (read.Meters; a township: its own) the request
// asks: 乡镇, 用电类别, only meters with unchecked alerts, a 户号 or 户名 text. ok is false when no
// register was loaded yet; data gets the filters.
func (s *Server) meterSelect(c *fiber.Ctx, u *accounts.User, data map[string]any) (read.MeterFilter, bool, error) {
	var mf read.MeterFilter
	data["Townships"] = s.townshipNames()
	f := map[string]any{"Fixed": u.Role == accounts.RoleTownship, "Township": "", "Type": "", "Open": false, "Q": ""}
	data["F"] = f
	ok, err := s.hasTable(c, "int_meters_now")
	if err != nil || !ok {
		return mf, false, err
	}
	town := strings.Clone(strings.TrimSpace(c.Query("township")))
	if u.Role == accounts.RoleTownship {
		town = u.Scope
	}
	f["Township"] = town
	if t, ok := s.cfg.Township(town); town != "" && !ok {
		return mf, true, inputError("没有乡镇“" + town + "”")
	} else if ok {
		town = t.Name
	}
	mf.Township = town
	types, err := read.CustomerTypes(c.UserContext(), s.db)
	if err != nil {
		return mf, true, err
	}
	data["Types"] = types
	typ, err := view.PickFilter(c, filterSpec{Param: "type", Label: "用电类别"}, view.PlainOptions(types))
	f["Type"] = typ.Value
	if err != nil {
		return mf, true, err
	}
	mf.Type = typ.Value
	mf.Open = c.Query("open") == "1"
	f["Open"] = mf.Open
	text := strings.Clone(strings.TrimSpace(c.Query("q")))
	f["Q"] = text
	if len([]rune(text)) > 64 {
		return mf, true, inputError("户号或户名最多 64 个字")
	}
	mf.Text = text
	return mf, true, nil
}

// meterRows reads page n of the meters mf selects (0: every one), the meters with unchecked
// alerts first, each with its pending cut-off.
func (s *Server) meterRows(c *fiber.Ctx, mf read.MeterFilter, n int) ([]meterRow, error) {
	pending, err := s.pendingCutoffs(c)
	if err != nil {
		return nil, err
	}
	meters, err := read.Meters(c.UserContext(), s.db, mf, n)
	list := make([]meterRow, len(meters))
	for i, m := range meters {
		list[i] = meterRow{Meter: m, Pending: pending[m.ID]}
	}
	return list, err
}

// metersPage lists the meter register the filters select, 50 a page.
func (s *Server) metersPage(c *fiber.Ctx, u *accounts.User) error {
	data := map[string]any{"CanConfirm": s.isPowerCompany(u), "Today": s.tips.Today().Format(time.DateOnly)}
	fail := func(err error) error { return s.listError(c, "meters", "用电户", data, err) }
	mf, ok, err := s.meterSelect(c, u, data)
	if err != nil {
		return fail(err)
	}
	if !ok { // no register loaded yet
		return s.render(c, "meters", page{Title: "用电户", Data: data})
	}
	total, err := read.MeterCount(c.UserContext(), s.db, mf)
	if err != nil {
		return err
	}
	n, err := view.PageOf(c, total)
	if err != nil {
		return fail(err)
	}
	links, err := view.PageNav(c, total, n)
	if err != nil {
		return fail(err)
	}
	list, err := s.meterRows(c, mf, n)
	if err != nil {
		return err
	}
	data["Meters"], data["Total"], data["Pages"] = list, total, links
	if data["ExportURL"], err = view.ExportURL(c, "/staff/export/meters.xlsx"); err != nil {
		return fail(err)
	}
	return s.render(c, "meters", page{Title: "用电户", Data: data})
}

// exportMeters sends the meters the filters select, every page of them.
func (s *Server) exportMeters(c *fiber.Ctx, u *accounts.User) error {
	mf, ok, err := s.meterSelect(c, u, map[string]any{})
	if err != nil {
		return s.listError(c, "error", "用电户", nil, err)
	}
	var list []meterRow
	if ok {
		if list, err = s.meterRows(c, mf, 0); err != nil {
			return err
		}
	}
	rows := make([][]string, len(list))
	for i, m := range list {
		rows[i] = []string{m.ID, m.Account, m.Type, m.Township, m.Village, fmt.Sprint(m.Alerts), fmt.Sprint(m.Open), m.cutWords()}
	}
	return view.SendSheet(c, "用电户", []string{"户号", "户名", "用电类别", "乡镇", "村", "预警", "未核查预警", "终止供电"}, rows)
}
