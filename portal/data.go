package portal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/portal/intake"
	"landwatch/portal/view"
	"landwatch/queries"
	"landwatch/queries/read"
	"landwatch/store/accounts"
)

// Loader loads one input file through the ETL (etl.Load); Models runs the SQL models
// (queries.Run). New installs both (intake.Load, intake.RunModels); SetHooks replaces them (tests, other builds); a nil
// hook shows "not available" in the page.
type (
	Loader func(ctx context.Context, up Upload) (summary string, rowErrors []string, err error)
	Models func(ctx context.Context, asOf time.Time) (summary string, err error)
)

// Upload is one file a staff user sends to be loaded.
type Upload = intake.File

// Hooks connect the portal to the ETL and the models.
type Hooks struct {
	Load   Loader
	Models Models
}

// SetHooks installs the ETL and model hooks.
func (s *Server) SetHooks(h Hooks) { s.hooks = h }

// Input kinds and who may upload them come from the one registry, campaign.InputKinds. Of the
// departments the power company (power.company_unit, isPowerCompany) uploads its own data — meters,
// power readings and field checks — and every other unit only its own stages (case-stages).
type kindOption struct{ Kind, Name string }

func (s *Server) kindsFor(u *accounts.User) []kindOption {
	var out []kindOption
	for _, k := range campaign.InputKinds {
		// the power company hands in power data; every other unit only its own stages
		if u.Role == accounts.RoleDepartment && s.isPowerCompany(u) == (k.Name == "case-stages") {
			continue
		}
		if slices.Contains(k.Upload, string(u.Role)) {
			out = append(out, kindOption{k.Name, k.Label})
		}
	}
	return out
}

func (s *Server) uploadPage(c *fiber.Ctx, u *accounts.User) error {
	return s.render(c, "upload", page{Title: "上传报表", Data: s.uploadData(u)})
}

// uploadData is what the upload page shows; only the office gives arrival stamps by hand.
func (s *Server) uploadData(u *accounts.User) map[string]any {
	return map[string]any{"Kinds": s.kindsFor(u), "Ready": s.hooks.Load != nil, "Stamp": u.Role == accounts.RoleOffice,
		"Today": s.tips.Today().Format("2006-01-02")}
}

// receivedStamp reads the office's arrival stamp from the form: 送达日期 and an optional 时刻, in the
// campaign's time zone; zero when not given.
func (s *Server) receivedStamp(c *fiber.Ctx, u *accounts.User) (time.Time, error) {
	day, clock := strings.TrimSpace(c.FormValue("received_on")), strings.TrimSpace(c.FormValue("received_time"))
	if day == "" && clock == "" {
		return time.Time{}, nil
	}
	if u.Role != accounts.RoleOffice {
		return time.Time{}, fmt.Errorf("只有领导小组办公室可以补录送达时间")
	}
	if day == "" {
		return time.Time{}, fmt.Errorf("填写送达时刻时请同时填写送达日期")
	}
	text := day
	if clock != "" {
		text += "T" + clock
	}
	return etl.ParseReceived(text, s.cfg.Location())
}

// chineseRows are a file's row errors as the page shows them (view.ChineseOnly).
func chineseRows(rows []string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = view.ChineseOnly(r)
	}
	return out
}

// unitOf is the member unit a department account hands files in for (its own stages only).
func unitOf(u *accounts.User) string {
	if u.Role == accounts.RoleDepartment {
		return u.Scope
	}
	return ""
}

// uploadMaxMB bounds a staff upload (power readings are large; use `landwatch load` beyond this).
const uploadMaxMB = 512

func (s *Server) uploadPost(c *fiber.Ctx, u *accounts.User) error {
	kind := c.FormValue("kind")
	p := page{Title: "上传报表", Data: s.uploadData(u)}
	allowed := slices.ContainsFunc(s.kindsFor(u), func(k kindOption) bool { return k.Kind == kind })
	if !allowed {
		p.Error = fmt.Sprintf("%s账号不能上传“%s”类文件", accounts.RoleNames[u.Role], kind)
		return s.renderStatus(c, fiber.StatusForbidden, "upload", p)
	}
	if s.hooks.Load == nil {
		p.Error = "数据导入模块尚未启用"
		return s.renderStatus(c, fiber.StatusServiceUnavailable, "upload", p)
	}
	received, err := s.receivedStamp(c, u)
	if err != nil {
		p.Error = err.Error()
		status := fiber.StatusBadRequest
		if u.Role != accounts.RoleOffice {
			status = fiber.StatusForbidden
		}
		return s.renderStatus(c, status, "upload", p)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		p.Error = "请选择文件"
		return s.renderStatus(c, fiber.StatusBadRequest, "upload", p)
	}
	if fh.Size > uploadMaxMB<<20 {
		p.Error = fmt.Sprintf("文件超过 %d MB：请用命令行 landwatch load 导入", uploadMaxMB)
		return s.renderStatus(c, fiber.StatusRequestEntityTooLarge, "upload", p)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	name := fh.Filename
	// the loader reads it into one buffer of its size
	var r io.Reader = sizedReader{f, int(fh.Size)}
	if u.Role == accounts.RoleTownship { // its own township only: checked on a scratch copy first
		data := make([]byte, fh.Size) // read once, at its size
		if _, err := io.ReadFull(f, data); err != nil {
			return err
		}
		if rowErrs, err := intake.CheckTownshipFile(c.UserContext(), s.db, s.cfg, u.Scope, kind, name, data); err != nil {
			p.Error = err.Error()
			p.Data.(map[string]any)["RowErrors"] = chineseRows(rowErrs)
			return s.renderStatus(c, fiber.StatusUnprocessableEntity, "upload", p)
		}
		r = bytes.NewBuffer(data) // handed to the loader as it is, not copied again
	}
	summary, rowErrs, err := s.hooks.Load(c.UserContext(), Upload{Kind: kind, Name: name, R: r, LoadedBy: u.Name, ReceivedAt: received, Unit: unitOf(u)})
	if err != nil {
		p.Error = err.Error()
		p.Data.(map[string]any)["RowErrors"] = chineseRows(rowErrs)
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, "upload", p)
	}
	p.Notice = summary
	p.Data.(map[string]any)["Warnings"] = chineseRows(rowErrs) // loaded; what the office should check
	return s.render(c, "upload", p)
}

// sizedReader is an upload's file with its size, for a reader that asks (Len).
type sizedReader struct {
	io.Reader
	n int
}

func (r sizedReader) Len() int { return r.n }

func (s *Server) modelsData(ctx context.Context) map[string]any {
	data := map[string]any{"Ready": s.hooks.Models != nil, "Today": s.tips.Today().Format("2006-01-02")}
	if fs, err := queries.Freezes(ctx, s.db); err == nil {
		data["Freezes"] = fs
	}
	return data
}

func (s *Server) modelsPage(c *fiber.Ctx, u *accounts.User) error {
	return s.render(c, "models", page{Title: "更新统计", Data: s.modelsData(c.UserContext())})
}

func (s *Server) modelsPost(c *fiber.Ctx, u *accounts.User) error {
	p := page{Title: "更新统计", Data: s.modelsData(c.UserContext())}
	if s.hooks.Models == nil {
		p.Error = "统计模块尚未启用"
		return s.renderStatus(c, fiber.StatusServiceUnavailable, "models", p)
	}
	asOf, err := time.Parse("2006-01-02", strings.TrimSpace(c.FormValue("as_of")))
	if err != nil {
		p.Error = "日期格式应为 年-月-日"
		return s.renderStatus(c, fiber.StatusBadRequest, "models", p)
	}
	sum, err := s.hooks.Models(c.UserContext(), asOf)
	if err != nil {
		p.Error = err.Error()
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, "models", p)
	}
	p.Notice = sum
	return s.render(c, "models", p)
}

// freezePost locks a day's figures (queries.FreezeDate) and records the snapshot's hash in the
// audit chain.
func (s *Server) freezePost(c *fiber.Ctx, u *accounts.User) error {
	ctx := c.UserContext()
	day, err := time.Parse("2006-01-02", strings.TrimSpace(c.FormValue("as_of")))
	if err != nil {
		p := page{Title: "更新统计", Data: s.modelsData(ctx), Error: "锁定日期格式应为 年-月-日"}
		return s.renderStatus(c, fiber.StatusBadRequest, "models", p)
	}
	f, err := queries.FreezeDate(ctx, s.db, day, queries.FreezeOptions{By: u.Name, Now: s.opt.now})
	if err == nil {
		err = s.Audit(ctx, u.Name, "models.freeze", f.AsOf.Format(time.DateOnly), map[string]any{
			"sha256": f.SHA256, "scorecards": f.Scorecards, "violations": f.Violations, "ledger": f.Ledger,
			"bound": audit.Bind("freezes", f.AsOf.Format(time.DateOnly))})
	}
	p := page{Title: "更新统计", Data: s.modelsData(ctx)}
	if err != nil {
		p.Error = err.Error()
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, "models", p)
	}
	p.Notice = fmt.Sprintf("%s 已锁定：记分卡 %d 行、违法点位 %d 处、台账 %d 项按锁定时的数据保存，此后送达时间不晚于该日的文件不能再导入。",
		f.AsOf.Format(time.DateOnly), f.Scorecards, f.Violations, f.Ledger)
	return s.render(c, "models", p)
}

// martView says how a page shows a mart: where narrows the rows (accountability: what was missed
// or came back), filters are the query parameters the page filters on, and a mart with an as_of
// series shows its latest date.
type martView struct {
	mart, title, where string
	filters            []filterSpec
}

// The filters, their options and choices of a list page are the read side's (queries/read); a
// value a page refuses is a read.InputError.
type (
	filterSpec   = read.Filter
	filterChoice = read.Choice
	inputError   = read.InputError
)

// The filters of the mart pages.
var (
	fTownship  = filterSpec{Param: "township", Col: "township", Label: "乡镇"}
	fKind      = filterSpec{Param: "kind", Col: "kind", Label: "类型"}
	fStatus    = filterSpec{Param: "status", Col: "status_as_of", Label: "整改状态"}
	fOverdue   = filterSpec{Param: "overdue", Col: "overdue", Label: "逾期", Bool: true}
	fLevel     = filterSpec{Param: "level", Col: "level", Label: "追责等级"}
	fCategory  = filterSpec{Param: "category", Col: "category", Label: "类别"}
	fDetection = filterSpec{Param: "detection", Col: "detection_status", Label: "排查状态"}
	fClosed    = filterSpec{Param: "closed_mine", Col: "closed_mine", Label: "关闭矿井", Bool: true}
	fReason    = filterSpec{Param: "reason", Col: "reason", Label: "问题"}
	fAccStatus = filterSpec{Param: "status", Col: "status", Label: "状态"}
	fLicence   = filterSpec{Param: "licence", Col: "licence_status", Label: "比对矿业权"}
)

// martFilters are the filters of each mart page (by mart).
var martFilters = map[string][]filterSpec{
	"mart_data_freshness":     {fTownship, fKind},
	"mart_power_gaps":         {fTownship, fClosed},
	"mart_township_scorecard": {fTownship, fLevel},
	"mart_ledger":             {fTownship, fKind, fStatus, fOverdue},
	"mart_violations":         {fTownship, fCategory, fDetection},
	"mart_accountability":     {fTownship, fReason, fAccStatus},
	"mart_imagery_triage":     {fTownship, fLicence},
}

// martTable reads a mart as asked (read.Mart), its headings and values in Chinese; nil when it
// has not been computed yet.
func (s *Server) martTable(ctx context.Context, u *accounts.User, mv martView, mq view.Query) (*view.Table, []filterChoice, error) {
	towns := make([]string, 0, len(s.cfg.Townships))
	for _, tw := range s.cfg.Townships {
		towns = append(towns, tw.Name)
	}
	rt, choices, err := read.Mart(ctx, s.db, scopeTown(u), read.View{Mart: mv.mart, Where: mv.where, Filters: mv.filters},
		read.Opts{Day: mq.Day, Filters: mq.Filters, Page: mq.Page, Townships: towns, Word: s.cellWord})
	t := view.Labelled(rt)
	view.Words(s.cfg, t)
	return t, choices, err
}

// martColumns is an empty table with the mart's columns and their Chinese labels; nil when the
// mart has not been built yet.
func martColumns(ctx context.Context, q queries.Querier, mart string) (*view.Table, error) {
	rt, err := read.Columns(ctx, q, mart)
	return view.Labelled(rt), err
}

// martData reads the mart of a list page as the request asks (as_of, filters, page) into data: T
// (the table, in Chinese), Filters, Pages, Query (the filters as a query string, for the export
// link) and Path (unless data has it already).
func (s *Server) martData(c *fiber.Ctx, u *accounts.User, mv martView, data map[string]any) error {
	if mv.filters == nil {
		mv.filters = martFilters[mv.mart]
	}
	path, _ := data["Path"].(string) // a form posted elsewhere shows the list of its page
	if path == "" {
		path = strings.Clone(c.Path())
		data["Path"] = path
	}
	mq, err := view.ReadQuery(c, mv.filters, true)
	if err != nil {
		return err
	}
	data["DefaultNote"] = s.defaultDay(c.UserContext(), mv, &mq) // figuredays.go
	t, choices, err := s.martTable(c.UserContext(), u, mv, mq)
	data["T"], data["Filters"] = t, choices
	if errors.Is(err, queries.ErrNotBuilt) {
		return inputError(view.NotBuiltDay)
	}
	if err != nil {
		return err
	}
	t.Lead(view.LeadCols[mv.mart]) // the decision and the id first (portal/view/table.go)
	data["IDCol"] = t.ColIndex("item_id")
	if t != nil {
		data["Pages"] = view.PageLinks(path, mq, t.Total)
		data["From"], data["To"] = min((mq.Page-1)*view.PageSize+1, t.Total), (mq.Page-1)*view.PageSize+len(t.Rows)
	}
	data["Query"] = mq.Encode(0)
	return nil
}

func (s *Server) martPage(mv martView) Handler {
	return func(c *fiber.Ctx, u *accounts.User) error {
		scope := ""
		if u.Role == accounts.RoleTownship {
			scope = u.Scope
		}
		data := map[string]any{"Mart": mv.mart, "Scope": scope, "Export": mv.mart == "mart_ledger"}
		if err := s.martData(c, u, mv, data); err != nil {
			if !errors.As(err, new(inputError)) {
				return err
			}
			return s.renderStatus(c, fiber.StatusBadRequest, "mart", page{Title: mv.title, Error: err.Error(), Data: data})
		}
		return s.render(c, "mart", page{Title: mv.title, Data: data})
	}
}

// exportMart sends the rows the page shows with the same as_of and filters, every page of them.
func (s *Server) exportMart(mv martView) Handler {
	return func(c *fiber.Ctx, u *accounts.User) error {
		if mv.filters == nil {
			mv.filters = martFilters[mv.mart]
		}
		mq, err := view.ReadQuery(c, mv.filters, false)
		var t *view.Table
		if err == nil {
			s.defaultDay(c.UserContext(), mv, &mq) // the day the page shows (figuredays.go)
			t, _, err = s.martTable(c.UserContext(), u, mv, mq)
		}
		if errors.Is(err, queries.ErrNotBuilt) {
			err = inputError(view.NotBuiltDay)
		}
		if errors.As(err, new(inputError)) {
			return s.renderStatus(c, fiber.StatusBadRequest, "error", page{Title: mv.title, Error: err.Error()})
		}
		if err != nil {
			return err
		}
		if t == nil {
			return s.renderStatus(c, fiber.StatusNotFound, "error", page{Title: mv.title, Error: "尚未计算：请先更新统计"})
		}
		rows := make([][]any, len(t.Rows))
		for i, r := range t.Rows {
			rows[i] = make([]any, len(r))
			for j, x := range r {
				rows[i][j] = x
			}
		}
		f, err := view.Sheet(mv.title, t.Labels, rows)
		if err != nil {
			return err
		}
		return view.SendXLSX(c, mv.title+".xlsx", f)
	}
}
