package view

// The list pages' query: the day, filters checked against the values offered, pages of PageSize
// rows with their links, and exports holding exactly the rows the filters select. The mart pages
// (portal/data.go) and the other work lists (用电户, 用电预警 in portal/power, 通知 in portal/notices,
// 审计日志 in portal/auditlog) alike: every select filter offers its values and a value not offered
// is refused in Chinese before anything reaches SQL (and then only as a bind parameter); a list is
// paged 50 rows at a time; its export (/staff/export/NAME.xlsx with the page's own query) holds
// exactly the rows the filters select, every page of them, under Chinese headings.

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/queries/read"
)

// NotBuiltDay answers a day the models have not reached yet (queries.ErrNotBuilt).
const NotBuiltDay = "所选日期的数据尚未计算：请办公室在“更新统计”页按该日或更晚的日期更新统计后再查看。"

// PageSize is the number of rows a mart page shows at a time.
const PageSize = read.PageSize

// Query is what a request asks of a mart: the day (zero: the last models run), the filters
// given (parameter → value, each checked against the offered values before it reaches SQL) and
// the page (1-based; 0: every row, for exports).
type Query struct {
	Day     time.Time
	Filters map[string]string
	Page    int
}

// PageDay reads the ?as_of= day of a mart page; zero when absent.
func PageDay(c *fiber.Ctx) (time.Time, error) {
	v := strings.TrimSpace(c.Query("as_of"))
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, read.InputError(fmt.Sprintf("日期“%s”应写作 年-月-日", v))
	}
	return d, nil
}

// ReadQuery reads a mart page's query: ?as_of=, the filters offered and, when paged, ?page=.
func ReadQuery(c *fiber.Ctx, filters []read.Filter, paged bool) (Query, error) {
	day, err := PageDay(c)
	mq := Query{Day: day, Filters: map[string]string{}}
	if err != nil {
		return mq, err
	}
	for _, f := range filters {
		if v := strings.TrimSpace(c.Query(f.Param)); v != "" {
			mq.Filters[f.Param] = strings.Clone(v)
		}
	}
	if paged {
		mq.Page = 1
		if v := strings.TrimSpace(c.Query("page")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return mq, read.InputError(fmt.Sprintf("页码“%s”应为正整数", v))
			}
			mq.Page = n
		}
	}
	return mq, nil
}

// Encode is the query string of mq (as_of and the filters; page when n > 0).
func (mq Query) Encode(n int) string {
	v := url.Values{}
	if !mq.Day.IsZero() {
		v.Set("as_of", mq.Day.Format("2006-01-02"))
	}
	for k, x := range mq.Filters {
		v.Set(k, x)
	}
	if n > 0 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// PageLink is one link of a list's page links.
type PageLink struct {
	N       int
	URL     string
	Current bool
}

// PageLinks are the links to every page of a list of total rows (none when it fits one page).
func PageLinks(path string, mq Query, total int) []PageLink {
	n := (total + PageSize - 1) / PageSize
	if n <= 1 {
		return nil
	}
	out := make([]PageLink, n)
	for i := range out {
		out[i] = PageLink{N: i + 1, URL: path + mq.Encode(i+1), Current: i+1 == mq.Page}
	}
	return out
}

// PageSlice cuts the page ?page= (50 rows a page) of a list a page has read whole (cases, clues),
// with links to every page that keep the request's other query parameters (its filters).
func PageSlice[T any](c *fiber.Ctx, list []T) ([]T, []PageLink, error) {
	n, err := PageOf(c, len(list))
	if err != nil {
		return nil, nil, err
	}
	links, err := PageNav(c, len(list), n)
	if err != nil {
		return nil, nil, err
	}
	return list[(n-1)*PageSize : min(n*PageSize, len(list))], links, nil
}

// PageOf is the page the request asks for (?page=, default 1) of a list of total rows; a page
// that is not a number or past the end is refused in Chinese.
func PageOf(c *fiber.Ctx, total int) (int, error) {
	n := 1
	if v := strings.TrimSpace(c.Query("page")); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || (n-1)*PageSize >= max(total, 1) {
			return 0, read.InputError(fmt.Sprintf("页码“%s”超出范围", v))
		}
	}
	return n, nil
}

// PageNav are the links to every page of a list of total rows, keeping the request's other query
// parameters (its filters); none when the list fits one page.
func PageNav(c *fiber.Ctx, total, current int) ([]PageLink, error) {
	return PageNavAt(c, strings.Clone(c.Path()), total, current)
}

// PageNavAt is PageNav for the list at path (a page shown in answer to a form posted elsewhere).
func PageNavAt(c *fiber.Ctx, path string, total, current int) ([]PageLink, error) {
	pages := (total + PageSize - 1) / PageSize
	if pages <= 1 {
		return nil, nil
	}
	q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return nil, read.InputError("查询条件无法读取")
	}
	var links []PageLink
	for i := 1; i <= pages; i++ {
		q.Set("page", strconv.Itoa(i))
		links = append(links, PageLink{N: i, URL: path + "?" + q.Encode(), Current: i == current})
	}
	return links, nil
}

// PickFilter reads the query parameter of f and checks it against the options offered: "" when
// absent; a value not offered is refused in Chinese.
func PickFilter(c *fiber.Ctx, f read.Filter, opts []read.Option) (read.Choice, error) {
	ch := read.Choice{Filter: f, Options: opts}
	v := strings.TrimSpace(c.Query(f.Param))
	if v == "" {
		return ch, nil
	}
	if !slices.ContainsFunc(opts, func(o read.Option) bool { return o.Value == v }) {
		return ch, read.InputError(fmt.Sprintf("筛选条件“%s”没有“%s”这一项", f.Label, v))
	}
	ch.Value = strings.Clone(v)
	return ch, nil
}

// Filtered says whether any of the filters has a value.
func Filtered(choices []read.Choice) bool {
	return slices.ContainsFunc(choices, func(ch read.Choice) bool { return ch.Value != "" })
}

// YesNo are the options of a yes/no filter (values true and false, shown 是/否).
func YesNo() []read.Option {
	return []read.Option{{Value: "true", Label: campaign.BoolLabel(true)}, {Value: "false", Label: campaign.BoolLabel(false)}}
}

// PlainOptions offers each value as its own label.
func PlainOptions(values []string) []read.Option {
	out := make([]read.Option, 0, len(values))
	for _, v := range values {
		out = append(out, read.Option{Value: v, Label: v})
	}
	return out
}

// Days is a list's 起始日期/截止日期 (?since=, ?until=, 年-月-日), both days included.
type Days struct{ From, To time.Time }

// ReadDays reads ?since= and ?until=; a day not written 年-月-日, or a start after the end, is refused.
func ReadDays(c *fiber.Ctx) (Days, error) {
	var d Days
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
			return d, read.InputError(fmt.Sprintf("%s“%s”应写作 年-月-日", x.label, v))
		}
		*x.to = t
	}
	if !d.From.IsZero() && !d.To.IsZero() && d.To.Before(d.From) {
		return d, read.InputError(fmt.Sprintf("截止日期 %s 早于起始日期 %s", d.To.Format(time.DateOnly), d.From.Format(time.DateOnly)))
	}
	return d, nil
}

// Holds says whether day (a local date) is within the filter.
func (d Days) Holds(day time.Time) bool {
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	return (d.From.IsZero() || !day.Before(d.From)) && (d.To.IsZero() || !day.After(d.To))
}

// Form is what the filter form shows of the days.
func (d Days) Form() map[string]string {
	out := map[string]string{"From": "", "To": ""}
	if !d.From.IsZero() {
		out["From"] = d.From.Format(time.DateOnly)
	}
	if !d.To.IsZero() {
		out["To"] = d.To.Format(time.DateOnly)
	}
	return out
}

// ExportURL is the export of a list with the request's filters (its query without the page).
func ExportURL(c *fiber.Ctx, path string) (string, error) {
	q, err := url.ParseQuery(string(c.Request().URI().QueryString()))
	if err != nil {
		return "", read.InputError("查询条件无法读取")
	}
	q.Del("page")
	if len(q) == 0 {
		return path, nil
	}
	return path + "?" + q.Encode(), nil
}

// SendSheet sends rows under the Chinese header as NAME.xlsx (one sheet named name).
func SendSheet(c *fiber.Ctx, name string, header []string, rows [][]string) error {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for j, x := range r {
			out[i][j] = x
		}
	}
	f, err := Sheet(name, header, out)
	if err != nil {
		return err
	}
	return SendXLSX(c, name+".xlsx", f)
}
