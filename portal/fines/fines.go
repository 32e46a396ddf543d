// Package fines: the finance bureau's console (财政台账): 罚没款 decided, collected and outstanding (mart_fines, by
// month and unit: mart_finance_monthly), the reward fund against its budget (mart_finance_fund), the
// restoration the county budget bears (mart_finance_restoration), all as of the last models run or
// ?as_of=; a collection entered here is refused like a line of the collections file
// (store/financestore). The spreadsheet is reports/finance.XLSX.
// portal/routes.go mounts its pages.
package fines

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/etl"
	"landwatch/portal/view"
	"landwatch/portal/web"
	"landwatch/queries"
	"landwatch/queries/read"
	"landwatch/reports/finance"
	"landwatch/store/accounts"
	"landwatch/store/financestore"
)

// Pages are the handlers of these pages (portal/routes.go mounts them).
type Pages struct{ *web.Kit }

func (h *Pages) Page(c *fiber.Ctx, u *accounts.User) error {
	return h.showFinance(c, u, "", nil)
}

// financeDay is ?as_of= or the last models run; zero (and no error) when the models never ran.
func (h *Pages) financeDay(c *fiber.Ctx) (time.Time, error) {
	day, err := view.PageDay(c)
	if err != nil || !day.IsZero() {
		return day, err
	}
	day, err = queries.LatestAsOf(c.UserContext(), h.DB)
	if errors.Is(err, queries.ErrNotBuilt) {
		return time.Time{}, nil
	}
	return day, err
}

func (h *Pages) showFinance(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	ctx := c.UserContext()
	form := map[string]string{"case_id": strings.TrimSpace(c.Query("case")), "fine_kind": strings.TrimSpace(c.Query("kind")),
		"paid_on": time.Now().In(h.Cfg.Location()).Format(time.DateOnly)}
	if fail != nil {
		for _, k := range []string{"case_id", "doc_no", "paid_on", "amount_yuan", "receipt_no", "fine_kind", "note"} {
			form[k] = c.FormValue(k)
		}
	}
	d := map[string]any{"Form": form, "Kinds": etl.FineKinds}
	p := web.Page{Title: "财政台账", Notice: notice, Data: d}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	day, err := h.financeDay(c)
	var ie read.InputError
	switch {
	case errors.As(err, &ie):
		return h.RenderStatus(c, fiber.StatusBadRequest, "error", web.Page{Title: "财政台账", Error: ie.Error()})
	case err != nil:
		return err
	}
	if day.IsZero() {
		d["NotBuilt"] = true
		return h.RenderStatus(c, code, "finance", p)
	}
	l, err := finance.Read(ctx, h.DB, day)
	if errors.Is(err, queries.ErrNotBuilt) {
		return h.RenderStatus(c, fiber.StatusBadRequest, "error", web.Page{Title: "财政台账", Error: view.NotBuiltDay})
	}
	if err != nil {
		return err
	}
	owing := make([]finance.Fine, 0, len(l.Fines))
	for _, f := range l.Fines {
		if f.Outstanding > 0 {
			owing = append(owing, f)
		}
	}
	list, links, err := view.PageSlice(c, owing)
	if errors.As(err, &ie) {
		return h.RenderStatus(c, fiber.StatusBadRequest, "error", web.Page{Title: "财政台账", Error: ie.Error()})
	}
	if err != nil {
		return err
	}
	decided, collected, outstanding := l.Totals()
	var fund finance.Fund
	if len(l.Fund) > 0 {
		fund = l.Fund[len(l.Fund)-1]
	}
	var rCost, rPaid, rOut float64
	for _, r := range l.Restoration {
		rCost, rPaid, rOut = rCost+r.Cost, rPaid+r.Paid, rOut+r.Outstanding
	}
	d["AsOf"], d["Decided"], d["Collected"], d["Outstanding"] = day.Format(time.DateOnly), yuan(decided), yuan(collected), yuan(outstanding)
	d["Owing"], d["OwingTotal"], d["Links"] = list, len(owing), links
	d["Months"], d["Fund"], d["Last"] = l.Months, l.Fund, fund
	d["Restoration"], d["RestorationCount"] = firstN(l.Restoration, view.PageSize), len(l.Restoration)
	d["RCost"], d["RPaid"], d["ROut"] = yuan(rCost), yuan(rPaid), yuan(rOut)
	return h.RenderStatus(c, code, "finance", p)
}

func firstN[T any](l []T, n int) []T { return l[:min(n, len(l))] }

// yuan writes an amount with thousands separators and two decimals: 1,234,567.50.
func yuan(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac := s[:len(s)-3], s[len(s)-3:]
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String() + frac
	}
	return b.String() + frac
}

func (h *Pages) Collection(c *fiber.Ctx, u *accounts.User) error {
	st := financestore.New(h.DB, h.Cfg, h.Audit, h.Now)
	receipt, err := st.Record(c.UserContext(), u.Name, financestore.Input{CaseID: c.FormValue("case_id"), DocNo: c.FormValue("doc_no"),
		PaidOn: c.FormValue("paid_on"), Amount: c.FormValue("amount_yuan"), Receipt: c.FormValue("receipt_no"), Kind: c.FormValue("fine_kind"),
		Note: c.FormValue("note")})
	if errors.Is(err, financestore.ErrInput) {
		return h.showFinance(c, u, "", err)
	}
	if err != nil {
		return err
	}
	return h.showFinance(c, u, "已登记收缴，票据号 "+receipt+"；重新运行模型后计入台账。", nil)
}

func (h *Pages) Export(c *fiber.Ctx, u *accounts.User) error {
	day, err := h.financeDay(c)
	var ie read.InputError
	if errors.As(err, &ie) {
		return h.RenderStatus(c, fiber.StatusBadRequest, "error", web.Page{Title: "财政台账", Error: ie.Error()})
	}
	if err != nil {
		return err
	}
	if day.IsZero() {
		return h.RenderStatus(c, fiber.StatusServiceUnavailable, "error", web.Page{Title: "财政台账", Error: "请先运行数据模型（运行模型）后再导出财政台账。"})
	}
	l, err := finance.Read(c.UserContext(), h.DB, day)
	if errors.Is(err, queries.ErrNotBuilt) {
		return h.RenderStatus(c, fiber.StatusBadRequest, "error", web.Page{Title: "财政台账", Error: view.NotBuiltDay})
	}
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := finance.XLSX(l, h.Cfg.County.Name, &b); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="finance-%s.xlsx"`, day.Format("20060102")))
	return c.Send(b.Bytes())
}
