package power

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
	"landwatch/portal/web"
	"landwatch/queries/read"
	"landwatch/store/accounts"
	"landwatch/store/powerstore"
)

// townshipFilter is the 乡镇 filter of the alerts (as the mart pages').
var townshipFilter = read.Filter{Param: "township", Col: "township", Label: "乡镇"}

const (
	powerPath  = "/staff/power"
	metersPath = "/staff/power/meters"
	// notChecked is the 核查结果 filter's value for the alerts without a check.
	notChecked = "未核查"
)

// alertFilter is the filter (read.AlertFilter) of the request's filters: 乡镇 (not offered to
// a township's account), 核查结果 (未核查 or a result), 逾期 (是/否), 规则 and a 户号 text; data
// gets the filters as the form shows them.
func (h *Pages) alertFilter(c *fiber.Ctx, u *accounts.User, data map[string]any) (read.AlertFilter, error) {
	var (
		f       read.AlertFilter
		choices []read.Choice
	)
	add := func(spec read.Filter, opts []read.Option, set func(v string)) error {
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
		if err := add(townshipFilter, view.PlainOptions(h.TownshipNames()), func(v string) { f.Township = v }); err != nil {
			return f, err
		}
	}
	results := view.PlainOptions(append([]string{notChecked}, powerstore.CheckResults...))
	if err := add(read.Filter{Param: "result", Label: "核查结果"}, results, func(v string) {
		if v == notChecked {
			f.Unchecked = true
		} else {
			f.Result = v
		}
	}); err != nil {
		return f, err
	}
	if err := add(read.Filter{Param: "late", Label: "逾期", Bool: true}, view.YesNo(), func(v string) {
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
	if err := add(read.Filter{Param: "rule", Label: "规则"}, view.PlainOptions(rules), func(v string) { f.Rule = codes[v] }); err != nil {
		return f, err
	}
	text := strings.Clone(strings.TrimSpace(c.Query("q")))
	data["Text"] = map[string]string{"Label": "户号", "Param": "q", "Value": text}
	if len([]rune(text)) > 64 {
		return f, read.InputError("户号最多 64 个字")
	}
	f.Text = text
	data["Filtered"] = view.Filtered(choices) || text != ""
	return f, nil
}

// Page is the work queue: the alerts the filters select, unchecked first, by check deadline.
func (h *Pages) Page(c *fiber.Ctx, u *accounts.User) error {
	return h.showPower(c, u, "", nil)
}

// showPower shows the work queue (also after a check is posted: its filters are then the page's
// defaults, its links those of /staff/power).
func (h *Pages) showPower(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	data := map[string]any{"Path": powerPath, "CanCheck": u.Role == accounts.RoleTownship || h.IsPowerCompany(u),
		"CanConfirm": h.IsPowerCompany(u), "Results": powerstore.CheckResults, "CheckDays": h.Cfg.Power.PowerCheckDays(),
		"Today": h.Today().Format(time.DateOnly)}
	p := web.Page{Title: "用电预警工作台", Notice: notice, Data: data}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	f, err := h.alertFilter(c, u, data)
	if err != nil {
		return h.ListError(c, "power", p.Title, data, err)
	}
	built, err := h.hasTable(c, "mart_power_alerts")
	if err != nil {
		return err
	}
	if built {
		open, late, err := read.AlertTotals(c.UserContext(), h.DB, alertScope(u, read.AlertFilter{}))
		if err != nil {
			return err
		}
		total, err := read.AlertCount(c.UserContext(), h.DB, alertScope(u, f))
		if err != nil {
			return err
		}
		n, err := view.PageOf(c, total)
		if err != nil {
			return h.ListError(c, "power", p.Title, data, err)
		}
		links, err := view.PageNavAt(c, powerPath, total, n)
		if err != nil {
			return h.ListError(c, "power", p.Title, data, err)
		}
		list, err := h.alerts(c, u, f, n, 0)
		if err != nil {
			return err
		}
		if err := h.markPending(c, list); err != nil {
			return err
		}
		data["Alerts"], data["Open"], data["Late"], data["Total"], data["Pages"] = list, open, late, total, links
		if data["ExportURL"], err = view.ExportURL(c, "/staff/export/alerts.xlsx"); err != nil {
			return h.ListError(c, "power", p.Title, data, err)
		}
	}
	return h.RenderStatus(c, code, "power", p)
}

// markPending sets each alert's Pending (cutoff.go).
func (h *Pages) markPending(c *fiber.Ctx, list []alertRow) error {
	pending, err := h.pendingCutoffs(c)
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

// ExportAlerts sends the alerts the filters select, every page of them.
func (h *Pages) ExportAlerts(c *fiber.Ctx, u *accounts.User) error {
	f, err := h.alertFilter(c, u, map[string]any{})
	if err != nil {
		return h.ListError(c, "error", "用电预警", nil, err)
	}
	list, err := h.alerts(c, u, f, 0, 0)
	if err == nil {
		err = h.markPending(c, list)
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
func (h *Pages) meterSelect(c *fiber.Ctx, u *accounts.User, data map[string]any) (read.MeterFilter, bool, error) {
	var mf read.MeterFilter
	data["Townships"] = h.TownshipNames()
	f := map[string]any{"Fixed": u.Role == accounts.RoleTownship, "Township": "", "Type": "", "Open": false, "Q": ""}
	data["F"] = f
	ok, err := h.hasTable(c, "int_meters_now")
	if err != nil || !ok {
		return mf, false, err
	}
	town := strings.Clone(strings.TrimSpace(c.Query("township")))
	if u.Role == accounts.RoleTownship {
		town = u.Scope
	}
	f["Township"] = town
	if t, ok := h.Cfg.Township(town); town != "" && !ok {
		return mf, true, read.InputError("没有乡镇“" + town + "”")
	} else if ok {
		town = t.Name
	}
	mf.Township = town
	types, err := read.CustomerTypes(c.UserContext(), h.DB)
	if err != nil {
		return mf, true, err
	}
	data["Types"] = types
	typ, err := view.PickFilter(c, read.Filter{Param: "type", Label: "用电类别"}, view.PlainOptions(types))
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
		return mf, true, read.InputError("户号或户名最多 64 个字")
	}
	mf.Text = text
	return mf, true, nil
}

// meterRows reads page n of the meters mf selects (0: every one), the meters with unchecked
// alerts first, each with its pending cut-off.
func (h *Pages) meterRows(c *fiber.Ctx, mf read.MeterFilter, n int) ([]meterRow, error) {
	pending, err := h.pendingCutoffs(c)
	if err != nil {
		return nil, err
	}
	meters, err := read.Meters(c.UserContext(), h.DB, mf, n)
	list := make([]meterRow, len(meters))
	for i, m := range meters {
		list[i] = meterRow{Meter: m, Pending: pending[m.ID]}
	}
	return list, err
}

// Meters lists the meter register the filters select, 50 a page.
func (h *Pages) Meters(c *fiber.Ctx, u *accounts.User) error {
	data := map[string]any{"CanConfirm": h.IsPowerCompany(u), "Today": h.Today().Format(time.DateOnly)}
	fail := func(err error) error { return h.ListError(c, "meters", "用电户", data, err) }
	mf, ok, err := h.meterSelect(c, u, data)
	if err != nil {
		return fail(err)
	}
	if !ok { // no register loaded yet
		return h.Render(c, "meters", web.Page{Title: "用电户", Data: data})
	}
	total, err := read.MeterCount(c.UserContext(), h.DB, mf)
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
	list, err := h.meterRows(c, mf, n)
	if err != nil {
		return err
	}
	data["Meters"], data["Total"], data["Pages"] = list, total, links
	if data["ExportURL"], err = view.ExportURL(c, "/staff/export/meters.xlsx"); err != nil {
		return fail(err)
	}
	return h.Render(c, "meters", web.Page{Title: "用电户", Data: data})
}

// ExportMeters sends the meters the filters select, every page of them.
func (h *Pages) ExportMeters(c *fiber.Ctx, u *accounts.User) error {
	mf, ok, err := h.meterSelect(c, u, map[string]any{})
	if err != nil {
		return h.ListError(c, "error", "用电户", nil, err)
	}
	var list []meterRow
	if ok {
		if list, err = h.meterRows(c, mf, 0); err != nil {
			return err
		}
	}
	rows := make([][]string, len(list))
	for i, m := range list {
		rows[i] = []string{m.ID, m.Account, m.Type, m.Township, m.Village, fmt.Sprint(m.Alerts), fmt.Sprint(m.Open), m.cutWords()}
	}
	return view.SendSheet(c, "用电户", []string{"户号", "户名", "用电类别", "乡镇", "村", "预警", "未核查预警", "终止供电"}, rows)
}
