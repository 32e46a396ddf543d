package portal

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Loader loads one input file through the ETL (etl.Load); Models runs the SQL models
// (queries.Run). New installs both (hooks.go); SetHooks replaces them (tests, other builds); a nil
// hook shows "not available" in the page.
type (
	Loader func(ctx context.Context, kind, name string, r io.Reader, loadedBy string) (summary string, rowErrors []string, err error)
	Models func(ctx context.Context, asOf time.Time) (summary string, err error)
)

// Hooks connect the portal to the ETL and the models.
type Hooks struct {
	Load   Loader
	Models Models
}

// SetHooks installs the ETL and model hooks.
func (s *Server) SetHooks(h Hooks) { s.hooks = h }

// Input kinds (DESIGN §5) and who may upload them. Of the departments only the power company
// (scope powerScope) uploads, and only its own data: meters, power readings and field checks.
var inputKinds = []struct {
	Kind, Name string
	Roles      []Role
}{
	{"inspection", "排查报表", []Role{RoleOffice, RoleTownship}},
	{"rectification", "整改台账", []Role{RoleOffice, RoleTownship}},
	{"patrol", "巡查记录", []Role{RoleOffice, RoleTownship}},
	{"cases", "案件", []Role{RoleOffice}},
	{"meters", "用电户档案", []Role{RoleOffice, RoleDepartment}},
	{"power", "用电数据", []Role{RoleOffice, RoleDepartment}},
	{"power-checks", "用电核查", []Role{RoleOffice, RoleDepartment}},
	{"imagery", "卫片图斑", []Role{RoleOffice}},
	{"clues", "其他线索", []Role{RoleOffice}},
}

// powerScope is the department that uploads the power data (DESIGN §2: 供电公司).
const powerScope = "供电公司"

type kindOption struct{ Kind, Name string }

func kindsFor(u *User) []kindOption {
	var out []kindOption
	if u.Role == RoleDepartment && u.Scope != powerScope {
		return nil
	}
	for _, k := range inputKinds {
		if slices.Contains(k.Roles, u.Role) {
			out = append(out, kindOption{k.Kind, k.Name})
		}
	}
	return out
}

func (s *Server) uploadPage(c *fiber.Ctx, u *User) error {
	return s.render(c, "upload", page{Title: "上传报表", Data: map[string]any{"Kinds": kindsFor(u), "Ready": s.hooks.Load != nil}})
}

// uploadMaxMB bounds a staff upload (power readings are large; use `landwatch load` beyond this).
const uploadMaxMB = 512

func (s *Server) uploadPost(c *fiber.Ctx, u *User) error {
	kind := c.FormValue("kind")
	p := page{Title: "上传报表", Data: map[string]any{"Kinds": kindsFor(u), "Ready": s.hooks.Load != nil}}
	allowed := slices.ContainsFunc(kindsFor(u), func(k kindOption) bool { return k.Kind == kind })
	if !allowed {
		p.Error = fmt.Sprintf("%s账号不能上传“%s”类文件", RoleNames[u.Role], kind)
		return s.renderStatus(c, fiber.StatusForbidden, "upload", p)
	}
	if s.hooks.Load == nil {
		p.Error = "数据导入模块尚未启用"
		return s.renderStatus(c, fiber.StatusServiceUnavailable, "upload", p)
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
	if u.Role == RoleTownship { // its own township only: checked on a scratch copy first
		data, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		if rowErrs, err := s.checkTownshipFile(c.UserContext(), u.Scope, kind, name, data); err != nil {
			p.Error = err.Error()
			p.Data.(map[string]any)["RowErrors"] = rowErrs
			return s.renderStatus(c, fiber.StatusUnprocessableEntity, "upload", p)
		}
		r = bytes.NewReader(data)
	}
	summary, rowErrs, err := s.hooks.Load(c.UserContext(), kind, name, r, u.Name)
	if err != nil {
		p.Error = err.Error()
		p.Data.(map[string]any)["RowErrors"] = rowErrs
		return s.renderStatus(c, fiber.StatusUnprocessableEntity, "upload", p)
	}
	p.Notice = summary
	return s.render(c, "upload", p)
}

func (s *Server) modelsPage(c *fiber.Ctx, u *User) error {
	return s.render(c, "models", page{Title: "运行模型", Data: map[string]any{"Ready": s.hooks.Models != nil, "Today": s.today().Format("2006-01-02")}})
}

func (s *Server) modelsPost(c *fiber.Ctx, u *User) error {
	p := page{Title: "运行模型", Data: map[string]any{"Ready": s.hooks.Models != nil, "Today": s.today().Format("2006-01-02")}}
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

// table is a query result for a generic page.
type table struct {
	Cols   []string
	Labels []string
	Rows   [][]string
	AsOf   string
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
	"on_time": "按期", "overdue": "逾期"}

// martView says how a page shows a mart: where narrows the rows (accountability: what was missed
// or came back), and a mart with an as_of series shows its latest date.
type martView struct {
	mart, title, where string
}

// martTable reads a mart; nil when it has not been computed yet. Township users see their own
// township only (the mart must have a township column, else they see nothing).
func (s *Server) martTable(ctx context.Context, u *User, mv martView, limit int) (*table, error) {
	mart := mv.mart
	var cols []string
	rows, err := s.db.QueryContext(ctx, `SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position`, mart)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) == 0 {
		return nil, nil
	}
	q := `SELECT * FROM "` + mart + `" WHERE true`
	var args []any
	t := &table{Cols: cols}
	for _, c := range cols {
		l := colLabels[c]
		if l == "" {
			l = c
		}
		t.Labels = append(t.Labels, l)
	}
	if u.Role == RoleTownship {
		if !slices.Contains(cols, "township") {
			return t, nil
		}
		q += ` AND township = ?`
		args = append(args, u.Scope)
	}
	if slices.Contains(cols, "as_of") {
		var asOf sql.NullTime
		if err := s.db.QueryRowContext(ctx, `SELECT max(as_of) FROM "`+mart+`"`).Scan(&asOf); err != nil {
			return nil, err
		}
		if asOf.Valid {
			q += ` AND as_of = ?`
			args = append(args, asOf.Time)
			t.AsOf = asOf.Time.Format("2006-01-02")
		}
	}
	if mv.where != "" {
		q += ` AND ` + mv.where
	}
	q += fmt.Sprintf(" LIMIT %d", limit)
	rs, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	for rs.Next() {
		v := make([]any, len(cols))
		ptr := make([]any, len(cols))
		for i := range v {
			ptr[i] = &v[i]
		}
		if err := rs.Scan(ptr...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, x := range v {
			row[i] = cellText(x)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, rs.Err()
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
	return func(c *fiber.Ctx, u *User) error {
		t, err := s.martTable(c.UserContext(), u, mv, 5000)
		if err != nil {
			return err
		}
		scope := ""
		if u.Role == RoleTownship {
			scope = u.Scope
		}
		return s.render(c, "mart", page{Title: mv.title, Data: map[string]any{"T": t, "Mart": mv.mart, "Scope": scope,
			"Export": mv.mart == "mart_ledger"}})
	}
}

func (s *Server) exportMart(mv martView) Handler {
	return func(c *fiber.Ctx, u *User) error {
		t, err := s.martTable(c.UserContext(), u, mv, 1_000_000)
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
