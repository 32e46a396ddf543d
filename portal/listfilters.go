package portal

// Filters and filtered exports of the lists that are not mart pages (用电户, 用电预警, 通知, 审计日志),
// like the mart pages' (data.go): every select filter offers its values and a value not offered is
// refused in Chinese before anything reaches SQL (and then only as a bind parameter); the list is
// paged 50 rows at a time; its export (/staff/export/NAME.xlsx with the page's own query) holds
// exactly the rows the filters select, every page of them, under Chinese headings.

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
)

// pickFilter reads the query parameter of f and checks it against the options offered: "" when
// absent; a value not offered is refused in Chinese.
func pickFilter(c *fiber.Ctx, f filterSpec, opts []filterOption) (filterChoice, error) {
	ch := filterChoice{Filter: f, Options: opts}
	v := strings.TrimSpace(c.Query(f.Param))
	if v == "" {
		return ch, nil
	}
	if !slices.ContainsFunc(opts, func(o filterOption) bool { return o.Value == v }) {
		return ch, inputError(fmt.Sprintf("筛选条件“%s”没有“%s”这一项", f.Label, v))
	}
	ch.Value = strings.Clone(v)
	return ch, nil
}

// filtered says whether any of the filters has a value.
func filtered(choices []filterChoice) bool {
	return slices.ContainsFunc(choices, func(ch filterChoice) bool { return ch.Value != "" })
}

// yesNo are the options of a yes/no filter (values true and false, shown 是/否).
func yesNo() []filterOption {
	return []filterOption{{Value: "true", Label: campaign.BoolLabel(true)}, {Value: "false", Label: campaign.BoolLabel(false)}}
}

// plainOptions offers each value as its own label.
func plainOptions(values []string) []filterOption {
	out := make([]filterOption, 0, len(values))
	for _, v := range values {
		out = append(out, filterOption{Value: v, Label: v})
	}
	return out
}

// dayFilter is a list's 起始日期/截止日期 (?since=, ?until=, 年-月-日), both days included.
type dayFilter struct{ From, To time.Time }

// readDays reads ?since= and ?until=; a day not written 年-月-日, or a start after the end, is refused.
func readDays(c *fiber.Ctx) (dayFilter, error) {
	var d dayFilter
	for _, x := range []struct {
		param, label string
		to           *time.Time
	}{{"since", "起始日期", &d.From}, {"until", "截止日期", &d.To}} {
		v := strings.TrimSpace(c.Query(x.param))
		if v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return d, inputError(fmt.Sprintf("%s“%s”应写作 年-月-日", x.label, v))
		}
		*x.to = t
	}
	if !d.From.IsZero() && !d.To.IsZero() && d.To.Before(d.From) {
		return d, inputError(fmt.Sprintf("截止日期 %s 早于起始日期 %s", d.To.Format(time.DateOnly), d.From.Format(time.DateOnly)))
	}
	return d, nil
}

// holds says whether day (a local date) is within the filter.
func (d dayFilter) holds(day time.Time) bool {
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	return (d.From.IsZero() || !day.Before(d.From)) && (d.To.IsZero() || !day.After(d.To))
}

// form is what the filter form shows of the days.
func (d dayFilter) form() map[string]string {
	out := map[string]string{"From": "", "To": ""}
	if !d.From.IsZero() {
		out["From"] = d.From.Format(time.DateOnly)
	}
	if !d.To.IsZero() {
		out["To"] = d.To.Format(time.DateOnly)
	}
	return out
}

// exportURL is the export of a list with the request's filters (its query without the page).
func exportURL(c *fiber.Ctx, path string) (string, error) {
	q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return "", inputError("查询条件无法读取")
	}
	q.Del("page")
	if len(q) == 0 {
		return path, nil
	}
	return path + "?" + q.Encode(), nil
}

// sendSheet sends rows under the Chinese header as NAME.xlsx (one sheet named name).
func sendSheet(c *fiber.Ctx, name string, header []string, rows [][]string) error {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for j, x := range r {
			out[i][j] = x
		}
	}
	f, err := sheet(name, header, out)
	if err != nil {
		return err
	}
	return sendXLSX(c, name+".xlsx", f)
}

// listError answers a refused filter of a list page (400, in Chinese) with the page's template
// tmpl and what data holds of it (its filters); any other error goes on as it is.
func (s *Server) listError(c *fiber.Ctx, tmpl, title string, data map[string]any, err error) error {
	if msg := new(inputError); errors.As(err, msg) {
		return s.renderStatus(c, fiber.StatusBadRequest, tmpl, page{Title: title, Error: string(*msg), Data: data})
	}
	return err
}
