package portal

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/etl"
	"landwatch/portal/accounts"
	"landwatch/portal/intake"
	"landwatch/queries"
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

// Input kinds (README.md, "Input formats") and who may upload them. Of the departments only the power company
// (scope powerScope) uploads, and only its own data: meters, power readings and field checks.
var inputKinds = []struct {
	Kind, Name string
	Roles      []accounts.Role
}{
	{"inspection", "排查报表", []accounts.Role{accounts.RoleOffice, accounts.RoleTownship}},
	{"rectification", "整改台账", []accounts.Role{accounts.RoleOffice, accounts.RoleTownship}},
	{"patrol", "巡查记录", []accounts.Role{accounts.RoleOffice, accounts.RoleTownship}},
	{"cases", "案件", []accounts.Role{accounts.RoleOffice}},
	{"case-stages", "案件环节", []accounts.Role{accounts.RoleOffice}}, // a unit's own stage file, handed in to the office
	{"meters", "用电户档案", []accounts.Role{accounts.RoleOffice, accounts.RoleDepartment}},
	{"power", "用电数据", []accounts.Role{accounts.RoleOffice, accounts.RoleDepartment}},
	{"power-checks", "用电核查", []accounts.Role{accounts.RoleOffice, accounts.RoleDepartment}},
	{"imagery", "卫片图斑", []accounts.Role{accounts.RoleOffice}},
	{"clues", "其他线索", []accounts.Role{accounts.RoleOffice}},
	{"responsibilities", "责任人名册", []accounts.Role{accounts.RoleOffice}},
	{"duties", "责任分解表", []accounts.Role{accounts.RoleOffice}},
	{"rechecks", "回头看复查", []accounts.Role{accounts.RoleOffice, accounts.RoleTownship}},
}

// powerScope is the department that uploads the power data (the power company, 供电公司).
const powerScope = "供电公司"

type kindOption struct{ Kind, Name string }

func kindsFor(u *accounts.User) []kindOption {
	var out []kindOption
	if u.Role == accounts.RoleDepartment && u.Scope != powerScope {
		return nil
	}
	for _, k := range inputKinds {
		if slices.Contains(k.Roles, u.Role) {
			out = append(out, kindOption{k.Kind, k.Name})
		}
	}
	return out
}

func (s *Server) uploadPage(c *fiber.Ctx, u *accounts.User) error {
	return s.render(c, "upload", page{Title: "上传报表", Data: s.uploadData(u)})
}

// uploadData is what the upload page shows; only the office gives arrival stamps by hand.
func (s *Server) uploadData(u *accounts.User) map[string]any {
	return map[string]any{"Kinds": kindsFor(u), "Ready": s.hooks.Load != nil, "Stamp": u.Role == accounts.RoleOffice,
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

// uploadMaxMB bounds a staff upload (power readings are large; use `landwatch load` beyond this).
const uploadMaxMB = 512

func (s *Server) uploadPost(c *fiber.Ctx, u *accounts.User) error {
	kind := c.FormValue("kind")
	p := page{Title: "上传报表", Data: s.uploadData(u)}
	allowed := slices.ContainsFunc(kindsFor(u), func(k kindOption) bool { return k.Kind == kind })
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
	var r io.Reader = f
	if u.Role == accounts.RoleTownship { // its own township only: checked on a scratch copy first
		data, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		if rowErrs, err := intake.CheckTownshipFile(c.UserContext(), s.db, s.cfg, u.Scope, kind, name, data); err != nil {
			p.Error = err.Error()
			p.Data.(map[string]any)["RowErrors"] = rowErrs
			return s.renderStatus(c, fiber.StatusUnprocessableEntity, "upload", p)
		}
		r = bytes.NewReader(data)
	}
	summary, rowErrs, err := s.hooks.Load(c.UserContext(), Upload{Kind: kind, Name: name, R: r, LoadedBy: u.Name, ReceivedAt: received})
	if err != nil {
		p.Error = err.Error()
		p.Data.(map[string]any)["RowErrors"] = rowErrs
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, "upload", p)
	}
	p.Notice = summary
	return s.render(c, "upload", p)
}

func (s *Server) modelsData(ctx context.Context) map[string]any {
	data := map[string]any{"Ready": s.hooks.Models != nil, "Today": s.tips.Today().Format("2006-01-02")}
	if fs, err := queries.Freezes(ctx, s.db); err == nil {
		data["Freezes"] = fs
	}
	return data
}

func (s *Server) modelsPage(c *fiber.Ctx, u *accounts.User) error {
	return s.render(c, "models", page{Title: "运行模型", Data: s.modelsData(c.UserContext())})
}

func (s *Server) modelsPost(c *fiber.Ctx, u *accounts.User) error {
	p := page{Title: "运行模型", Data: s.modelsData(c.UserContext())}
	if s.hooks.Models == nil {
		p.Error = "模型模块尚未启用"
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
		p := page{Title: "运行模型", Data: s.modelsData(ctx), Error: "锁定日期格式应为 年-月-日"}
		return s.renderStatus(c, fiber.StatusBadRequest, "models", p)
	}
	f, err := queries.FreezeDate(ctx, s.db, day, queries.FreezeOptions{By: u.Name, Now: s.opt.now})
	if err == nil {
		err = s.Audit(ctx, u.Name, "models.freeze", f.AsOf.Format(time.DateOnly), map[string]any{
			"sha256": f.SHA256, "scorecards": f.Scorecards, "violations": f.Violations, "ledger": f.Ledger})
	}
	p := page{Title: "运行模型", Data: s.modelsData(ctx)}
	if err != nil {
		p.Error = err.Error()
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, "models", p)
	}
	p.Notice = fmt.Sprintf("%s 已锁定：记分卡 %d 行、违法点位 %d 处、台账 %d 项按锁定时的数据保存，此后送达时间不晚于该日的文件不能再导入。",
		f.AsOf.Format(time.DateOnly), f.Scorecards, f.Violations, f.Ledger)
	return s.render(c, "models", p)
}

// table is a query result for a generic page.
type table struct {
	Cols   []string
	Labels []string
	Rows   [][]string
	AsOf   string
	// FrozenAt is when the shown date was frozen (its rows are the stored snapshot); "" if not.
	FrozenAt string
}

// colLabels are the Chinese headers of the marts' columns (queries/README.md defines them).
var colLabels = map[string]string{"as_of": "截至日期", "township": "乡镇", "village": "村", "violations_due": "应发现",
	"detected": "已发现", "missed": "应排漏排", "missed_detection_rate": "漏排率", "ledger_due": "已到期事项",
	"rectified_on_time": "按期整改", "rectification_rate": "按期整改率", "overdue_open": "整改不到位",
	"new_after_rectification": "属地新增", "patrol_weeks": "应巡查周数", "patrol_weeks_done": "已巡查周数",
	"patrol_compliance": "巡查到位率", "level": "追责等级", "reasons": "原因", "violation_id": "点位编号",
	"category": "类别", "first_seen": "首次发现", "sources": "来源渠道", "source_refs": "来源编号", "lon": "经度",
	"lat": "纬度", "detected_by": "发现它的问题", "detection_status": "排查状态", "match_reason": "对应方式",
	"item_id": "编号", "kind": "类型", "deadline": "整改期限", "status_as_of": "整改状态", "rectified_on": "完成日期",
	"on_time": "按期", "overdue": "逾期", "late_problem": "迟报的问题", "recurrence_of": "复发自",
	"frozen_at": "锁定时间", "kind_name": "数据类别", "last_received_at": "最近送达", "last_file": "最近送达的文件",
	"files": "文件数", "meter_id": "户号", "account": "户名", "customer_type": "用电类别",
	"last_reading_on": "最后读数日", "days_silent": "中断天数", "closed_mine": "关闭矿井",
	"reason": "问题", "item_date": "事项日期", "names_on": "名册日期", "first_responsible": "第一责任人",
	"leader_in_charge": "分管领导", "direct_responsible": "直接责任人", "village_cadre": "包村干部", "unit": "责任单位",
	"status": "状态", "transferred_on": "移交日期", "outcome": "处理结果", "outcome_on": "处理日期", "document_no": "文号",
	"channel": "渠道", "record_id": "记录编号", "seen_on": "日期", "detail": "内容", "origin": "来源文件",
	"reported_on": "上报日期", "reopened_on": "重新打开日期"}

// martView says how a page shows a mart: where narrows the rows (accountability: what was missed
// or came back), and a mart with an as_of series shows its latest date.
type martView struct {
	mart, title, where string
}

// martTable reads a mart as of day (zero: the last models run; an earlier day is built on the fly,
// queries.At); nil when it has not been computed yet. Township users see their own township only
// (the mart must have a township column, else they see nothing).
func (s *Server) martTable(ctx context.Context, u *accounts.User, mv martView, limit int, day time.Time) (*table, error) {
	if day.IsZero() {
		return readMart(ctx, s.db, u, mv, limit, day)
	}
	var t *table
	err := queries.At(ctx, s.db, day, func(q queries.Querier) error {
		var err error
		t, err = readMart(ctx, q, u, mv, limit, day)
		return err
	})
	return t, err
}

func readMart(ctx context.Context, q queries.Querier, u *accounts.User, mv martView, limit int, day time.Time) (*table, error) {
	t, err := martColumns(ctx, q, mv.mart)
	if t == nil || err != nil {
		return nil, err
	}
	sel, args, ok, err := t.selectRows(ctx, q, u, mv, day)
	if !ok || err != nil {
		return t, err
	}
	rs, err := q.QueryContext(ctx, sel+fmt.Sprintf(" LIMIT %d", limit), args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	frozen := slices.Index(t.Cols, "frozen_at")
	for rs.Next() {
		v := make([]any, len(t.Cols))
		ptr := make([]any, len(t.Cols))
		for i := range v {
			ptr[i] = &v[i]
		}
		if err := rs.Scan(ptr...); err != nil {
			return nil, err
		}
		row := make([]string, len(t.Cols))
		for i, x := range v {
			row[i] = cellText(x)
		}
		if frozen >= 0 && row[frozen] != "" {
			t.FrozenAt = row[frozen]
		}
		t.Rows = append(t.Rows, row)
	}
	return t, rs.Err()
}

// martColumns is an empty table with the mart's columns and their Chinese labels; nil when the
// mart has not been built yet.
func martColumns(ctx context.Context, q queries.Querier, mart string) (*table, error) {
	probe, err := q.QueryContext(ctx, `SELECT * FROM "`+mart+`" LIMIT 0`)
	if err != nil {
		return nil, nil // not built yet
	}
	cols, err := probe.Columns()
	probe.Close()
	if err != nil {
		return nil, err
	}
	t := &table{Cols: cols}
	for _, c := range cols {
		t.Labels = append(t.Labels, cmp.Or(colLabels[c], c))
	}
	return t, nil
}

// selectRows is the query of the rows u may see of the mart as of day (its latest date when zero),
// and sets the table's date; ok is false when u may see no row (a township user, a mart without a
// township column).
func (t *table) selectRows(ctx context.Context, q queries.Querier, u *accounts.User, mv martView, day time.Time) (string, []any, bool, error) {
	sel := `SELECT * FROM "` + mv.mart + `" WHERE true`
	var args []any
	if u.Role == accounts.RoleTownship {
		if !slices.Contains(t.Cols, "township") {
			return "", nil, false, nil
		}
		sel += ` AND township = ?`
		args = append(args, u.Scope)
	}
	if slices.Contains(t.Cols, "as_of") {
		asOf := sql.NullTime{Time: day, Valid: !day.IsZero()}
		if !asOf.Valid {
			if err := q.QueryRowContext(ctx, `SELECT max(as_of) FROM "`+mv.mart+`"`).Scan(&asOf); err != nil {
				return "", nil, false, err
			}
		}
		if asOf.Valid {
			sel += ` AND as_of = ?`
			args = append(args, asOf.Time)
			t.AsOf = asOf.Time.Format("2006-01-02")
		}
	} else if !day.IsZero() {
		t.AsOf = day.Format("2006-01-02")
	}
	if mv.where != "" {
		sel += ` AND ` + mv.where
	}
	return sel, args, true, nil
}

// pageDay reads the ?as_of= day of a mart page; zero when absent.
func pageDay(c *fiber.Ctx) (time.Time, error) {
	v := strings.TrimSpace(c.Query("as_of"))
	if v == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("日期“%s”应写作 年-月-日", v)
	}
	return d, nil
}

func cellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04")
	case []byte:
		return string(x)
	case float64:
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", x), "0"), ".")
	default:
		return fmt.Sprint(x)
	}
}

func (s *Server) martPage(mv martView) Handler {
	return func(c *fiber.Ctx, u *accounts.User) error {
		scope := ""
		if u.Role == accounts.RoleTownship {
			scope = u.Scope
		}
		data := map[string]any{"Mart": mv.mart, "Scope": scope, "Export": mv.mart == "mart_ledger", "Path": c.Path()}
		day, err := pageDay(c)
		if err == nil {
			var t *table
			t, err = s.martTable(c.UserContext(), u, mv, 5000, day)
			data["T"] = t
		}
		if err != nil {
			return s.renderStatus(c, fiber.StatusBadRequest, "mart", page{Title: mv.title, Error: err.Error(), Data: data})
		}
		return s.render(c, "mart", page{Title: mv.title, Data: data})
	}
}

func (s *Server) exportMart(mv martView) Handler {
	return func(c *fiber.Ctx, u *accounts.User) error {
		day, err := pageDay(c)
		if err != nil {
			return s.renderStatus(c, fiber.StatusBadRequest, "error", page{Title: mv.title, Error: err.Error()})
		}
		t, err := s.martTable(c.UserContext(), u, mv, 1_000_000, day)
		if err != nil {
			return err
		}
		if t == nil {
			return s.renderStatus(c, fiber.StatusNotFound, "error", page{Title: mv.title, Error: "尚未计算：请先运行模型"})
		}
		rows := make([][]any, len(t.Rows))
		for i, r := range t.Rows {
			rows[i] = make([]any, len(r))
			for j, x := range r {
				rows[i][j] = x
			}
		}
		f, err := sheet(mv.title, t.Labels, rows)
		if err != nil {
			return err
		}
		return sendXLSX(c, mv.mart+".xlsx", f)
	}
}
