package portal

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"

	"landwatch/portal/notices"
	"landwatch/portal/web"
	"landwatch/reports"
	"landwatch/store/accounts"
)

// Every URL of the portal is in this file: the static folders, then one table with each route's
// method, path and the roles that may use it (none: public, no sign-in). New mounts the table
// and nothing else; the role × route test (staff_test.go) reads the same table, so a route added
// here without an entry there fails it.

// Route is one route of the portal.
type Route struct {
	Method string
	Path   string
	// accounts.Roles may use a staff route (the session, the role and, for POST, the CSRF token are checked
	// before the handler runs); empty: a public route.
	Roles []accounts.Role
	// Label is the menu entry of a staff page; "" when the route is not in the menu.
	Label string
	// deny, when set, refuses (403) and hides from the menu a user of a listed role all the same:
	// the power company among the departments (portal/power.go).
	deny   func(*accounts.User) bool
	public fiber.Handler
	staff  Handler
}

// Public reports whether the route needs no sign-in.
func (r Route) Public() bool { return len(r.Roles) == 0 }

// Handler is what a staff route runs, with the signed-in user.
type Handler = web.Handler

// Who may use what (the role table of portal/README.md, "Staff").
var (
	allRoles       = []accounts.Role{accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleFinance, accounts.RoleLeader, accounts.RoleMedia, accounts.RoleDiscipline}
	officeOnly     = []accounts.Role{accounts.RoleOffice}
	disciplineOnly = []accounts.Role{accounts.RoleDiscipline}
	financeOnly    = []accounts.Role{accounts.RoleFinance}
	mediaOnly      = []accounts.Role{accounts.RoleMedia}
	departmentOnly = []accounts.Role{accounts.RoleDepartment}
	// tips: the office, the township or member unit a tip is assigned to, discipline inspection for
	// tips about officials (tipstore decides which tip each may see)
	tipRoles     = []accounts.Role{accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleDiscipline}
	handleRoles  = []accounts.Role{accounts.RoleOffice, accounts.RoleDiscipline} // triage, rewards and export of the tips each handles
	caseRoles    = []accounts.Role{accounts.RoleOffice, accounts.RoleDepartment} // cases and clues: the office and the assigned department
	rewardRoles  = []accounts.Role{accounts.RoleOffice, accounts.RoleFinance}
	uploadRoles  = []accounts.Role{accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleFinance}
	watchRoles   = []accounts.Role{accounts.RoleOffice, accounts.RoleLeader}
	ledgerRoles  = []accounts.Role{accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleDiscipline}
	blameRoles   = []accounts.Role{accounts.RoleOffice, accounts.RoleLeader, accounts.RoleDiscipline}
	auditRoles   = []accounts.Role{accounts.RoleOffice, accounts.RoleDiscipline}
	chartRoles   = []accounts.Role{accounts.RoleOffice, accounts.RoleLeader, accounts.RoleTownship, accounts.RoleDiscipline, accounts.RoleMedia}
	publishRoles = []accounts.Role{accounts.RoleOffice, accounts.RoleMedia}
	imageryRoles = []accounts.Role{accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleMedia}
	powerRoles   = []accounts.Role{accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment} // the power company and the township work the alerts
	checkRoles   = []accounts.Role{accounts.RoleTownship, accounts.RoleDepartment}
	videoRoles   = []accounts.Role{accounts.RoleOffice, accounts.RoleTownship} // camera events: the office and the township checking them
	townshipOnly = []accounts.Role{accounts.RoleTownship}
)

// Denies reports whether the route refuses u although its role is listed (deny).
func (r Route) Denies(u *accounts.User) bool { return r.deny != nil && r.deny(u) }

// denying is the route r, refused to the users deny picks.
func denying(r Route, deny func(*accounts.User) bool) Route {
	r.deny = deny
	return r
}

func public(method, path string, h fiber.Handler) Route {
	return Route{Method: method, Path: path, public: h}
}

func staff(method, path string, roles []accounts.Role, h Handler) Route {
	return Route{Method: method, Path: path, Roles: roles, staff: h}
}

// menu is a staff GET page with an entry in the menu of the roles listed.
func menu(path, label string, roles []accounts.Role, h Handler) Route {
	return Route{Method: fiber.MethodGet, Path: path, Roles: roles, Label: label, staff: h}
}

// staticFolder is a folder served as it is.
type staticFolder struct {
	prefix string
	files  fs.FS
	maxAge int // seconds
}

// staticFolders: the portal's own (CSS, the proof-of-work script) and the reports' chart scripts.
func staticFolders() []staticFolder {
	return []staticFolder{{"/static", staticFiles(), 3600}, {strings.TrimSuffix(reports.AssetsPath, "/"), reports.Assets(), 86400}}
}

// routeTable is every route of the portal; staff pages appear in the menu in this order.
func (s *Server) routeTable() []Route {
	ledger := martView{mart: "mart_ledger", title: "问题台账"}
	return []Route{
		// citizens: tips, receipts, messages, evidence, claim codes (no account)
		public("GET", "/healthz", s.healthz),
		public("GET", "/", s.home),
		public("GET", "/tip", s.tipForm),
		public("POST", "/tip", s.tipPost),
		public("POST", "/tip/receipt.txt", s.receiptFile),
		public("POST", "/tip/done", s.tipDone),
		public("GET", "/status", s.statusForm),
		public("POST", "/status", s.webReceipt(s.statusPost)),
		public("POST", "/status/message", s.webReceipt(s.statusMessage)),
		public("POST", "/status/evidence", s.webReceipt(s.statusEvidence)),
		public("POST", "/status/claim-code", s.webReceipt(s.statusClaimCode)),
		public("POST", "/status/claim.txt", s.claimFile),
		public("GET", "/api/v1/pow", s.apiPow),
		public("POST", "/api/v1/tips", s.apiSubmit),
		public("GET", "/api/v1/tips/status", s.apiReceipt(s.apiStatus)),
		public("POST", "/api/v1/tips/messages", s.apiReceipt(s.apiMessage)),
		public("POST", "/api/v1/tips/evidence", s.apiReceipt(s.apiEvidence)),
		// the public statistics page: what the media center published
		public("GET", "/stats", s.statsPublic),
		public("GET", "/stats/:chart.csv", s.statsCSV),

		// staff: sign-in, then the consoles by role
		public("GET", "/staff/login", s.loginForm),
		public("POST", "/staff/login", s.loginPost),
		menu("/staff/", "首页", allRoles, s.dashboard),
		menu(notices.Path, "通知", allRoles, s.notices.Page),
		staff("POST", notices.Path+"/read", allRoles, s.notices.Read),
		staff("GET", "/staff/export/notifications.xlsx", allRoles, s.notices.Export),
		staff("POST", "/staff/logout", allRoles, s.logout),
		// tips, rewards and payouts
		denying(menu("/staff/tips", "举报线索", tipRoles, s.tipsPage), s.denyPowerCompany),
		menu("/staff/tips/new", "登记电话信件举报", officeOnly, s.tipEntryForm),
		staff("POST", "/staff/tips/new", officeOnly, s.tipEntryPost),
		denying(staff("GET", "/staff/tips/:id", tipRoles, s.tipPage), s.denyPowerCompany),
		denying(staff("POST", "/staff/tips/:id/status", tipRoles, s.tipStatus), s.denyPowerCompany),
		denying(staff("POST", "/staff/tips/:id/message", tipRoles, s.tipMessage), s.denyPowerCompany),
		denying(staff("POST", "/staff/tips/:id/evidence", tipRoles, s.tipEvidence), s.denyPowerCompany),
		staff("POST", "/staff/tips/:id/triage", handleRoles, s.tipTriage),
		staff("POST", "/staff/tips/:id/reward", handleRoles, s.tipReward),
		denying(staff("GET", "/staff/tips/:id/files/:fid", tipRoles, s.tipFile), s.denyPowerCompany),
		staff("GET", "/staff/export/tips.xlsx", handleRoles, s.exportTips),
		menu("/staff/rewards", "奖励兑付", rewardRoles, s.rewardsPage),
		staff("POST", "/staff/payouts", financeOnly, s.payoutPost),
		staff("GET", "/staff/export/payouts.xlsx", financeOnly, s.exportPayouts),
		// the finance bureau's ledger: 罚没款, the reward fund, restoration it bears (portal/fines)
		menu("/staff/finance", "财政台账", financeOnly, s.fines.Page),
		staff("POST", "/staff/finance/collections", financeOnly, s.fines.Collection),
		staff("GET", "/staff/export/finance.xlsx", financeOnly, s.fines.Export),
		// loads and models
		menu("/staff/upload", "上传报表", uploadRoles, s.uploadPage),
		staff("POST", "/staff/upload", uploadRoles, s.uploadPost),
		staff("GET", "/staff/upload/template/:kind", uploadRoles, s.uploadTemplate),
		menu("/staff/models", "更新统计", officeOnly, s.modelsPage),
		staff("POST", "/staff/models", officeOnly, s.modelsPost),
		staff("POST", "/staff/models/freeze", officeOnly, s.freezePost),
		// the marts
		menu("/staff/freshness", "数据报送", watchRoles, s.martPage(martView{
			mart: "mart_data_freshness", title: "数据报送情况：各类数据最近一次送达的时间"})),
		menu("/staff/power-gaps", "数据中断", watchRoles, s.martPage(martView{
			mart: "mart_power_gaps", title: "用电数据中断的电表（关闭矿井在前）"})),
		menu("/staff/scorecard", "乡镇评分", ledgerRoles, s.martPage(martView{mart: "mart_township_scorecard", title: "乡镇评分卡"})),
		menu("/staff/ledger", "问题台账", ledgerRoles, s.martPage(ledger)),
		menu("/staff/violations", "违法点位", ledgerRoles, s.martPage(martView{
			mart: "mart_violations", title: "违法点位：各渠道合并后的每一处，及与排查问题的对应（编号对应、距离对应、迟报、补报）"})),
		staff("GET", "/staff/export/ledger.xlsx", ledgerRoles, s.exportMart(ledger)),
		menu("/staff/imagery", "卫片图斑", imageryRoles, s.martPage(martView{
			mart: "mart_imagery_triage", title: "卫片图斑比对矿业权：无证开采嫌疑的先核查"})),
		menu("/staff/accountability", "追责问责名单", ledgerRoles, s.accountabilityList),
		staff("GET", "/staff/accountability/:item", ledgerRoles, s.accountabilityEntry),
		staff("POST", "/staff/accountability/transfer", officeOnly, s.accountabilityTransfer),
		staff("POST", "/staff/accountability/outcome", disciplineOnly, s.accountabilityOutcome),
		menu("/staff/audit", "审计日志", auditRoles, s.auditlog.Page),
		staff("GET", "/staff/export/audit.xlsx", auditRoles, s.auditlog.Export),
		menu("/staff/totp", "动态码", allRoles, s.totpPage),
		staff("POST", "/staff/totp", allRoles, s.totpPost),
		// cases and clues for the member units
		menu("/staff/cases", "案件交办", officeOnly, s.casework.CasesPage),
		staff("GET", "/staff/cases/:id", caseRoles, s.casework.CasePage),
		staff("POST", "/staff/cases/:id/assign", officeOnly, s.casework.CaseAssign),
		staff("POST", "/staff/cases/:id/progress", departmentOnly, s.casework.CaseProgress),
		staff("POST", "/staff/cases/:id/stages", departmentOnly, s.casework.CaseStage),
		menu("/staff/clues", "线索交办", officeOnly, s.casework.CluesPage),
		staff("GET", "/staff/clues/:id", caseRoles, s.casework.CluePage),
		staff("POST", "/staff/clues/:id/assign", officeOnly, s.casework.ClueAssign),
		staff("POST", "/staff/clues/:id/progress", departmentOnly, s.casework.ClueProgress),
		menu("/staff/mine", "我的案件/线索", departmentOnly, s.casework.MinePage),
		// clues a member unit raises (部门移送; portal/casework/deptclue.go)
		menu("/staff/deptclues", "部门上报线索", caseRoles, s.casework.DeptCluesPage),
		staff("POST", "/staff/deptclues", departmentOnly, s.casework.DeptCluePost),
		staff("POST", "/staff/deptclues/:id/files", departmentOnly, s.casework.DeptClueFilesPost),
		staff("GET", "/staff/deptclues/:id/files/:n", caseRoles, s.casework.DeptClueFile),
		// independent acceptance and the restoration ledger of the accepting units (portal/casework/acceptance.go)
		denying(menu("/staff/acceptance", "整改验收", caseRoles, s.casework.AcceptancePage), s.casework.DenyNonAccepting),
		denying(staff("POST", "/staff/acceptance", departmentOnly, s.casework.AcceptanceAnyPost), s.casework.DenyNonAccepting),
		denying(staff("POST", "/staff/acceptance/:item", departmentOnly, s.casework.AcceptancePost), s.casework.DenyNonAccepting),
		denying(staff("GET", "/staff/acceptance/:id/files/:n", caseRoles, s.casework.AcceptanceFile), s.casework.DenyNonAccepting),
		denying(staff("GET", "/staff/restoration", caseRoles, s.casework.RestorationPage), s.casework.DenyNonAccepting), // linked from 整改验收
		denying(staff("POST", "/staff/restoration/:item", departmentOnly, s.casework.RestorationPost), s.casework.DenyNonAccepting),
		// the power company's work queue, meters and cut-offs (portal/power)
		denying(menu("/staff/power", "用电预警", powerRoles, s.power.Page), s.denyOtherDepartments),
		denying(staff("POST", "/staff/power/alerts/:id/check", checkRoles, s.power.Check), s.denyOtherDepartments),
		denying(menu("/staff/power/meters", "用电户", powerRoles, s.power.Meters), s.denyOtherDepartments),
		denying(staff("GET", "/staff/export/alerts.xlsx", powerRoles, s.power.ExportAlerts), s.denyOtherDepartments),
		denying(staff("GET", "/staff/export/meters.xlsx", powerRoles, s.power.ExportMeters), s.denyOtherDepartments),
		denying(staff("GET", "/staff/power/meters/:meter", powerRoles, s.power.Meter), s.denyOtherDepartments),
		staff("POST", "/staff/power/meters/:meter/cutoff", officeOnly, s.power.Cutoff("ordered")),
		denying(staff("POST", "/staff/power/meters/:meter/cutoff-done", departmentOnly, s.power.Cutoff("done")), s.denyOtherDepartments),
		// clue channels 民爆流向 (公安) and 视频监控 (the townships) with their checks (portal/channels.go)
		denying(menu("/staff/explosives", "民爆流向", caseRoles, s.explosivesPage), s.denyNonPolice),
		denying(staff("POST", "/staff/explosives/:id/check", departmentOnly, s.channelCheck(s.explosivesView)), s.denyNonPolice),
		menu("/staff/video", "视频监控", videoRoles, s.videoPage),
		staff("POST", "/staff/video/:id/check", townshipOnly, s.channelCheck(s.videoView)),
		staff("GET", "/staff/video/:id/shot", videoRoles, s.videoShot),
		// reports: charts, weekly briefings, dossiers, the review of the public statistics
		menu("/staff/charts", "数据看板", chartRoles, s.chartsPage),
		menu("/staff/briefings", "工作周报", blameRoles, s.briefingsPage),
		staff("POST", "/staff/briefings", officeOnly, s.briefingsPost),
		staff("GET", "/staff/briefings/:file", blameRoles, s.briefingFile),
		staff("GET", "/staff/dossier/:township", auditRoles, s.dossierPDF),
		menu("/staff/publish", "发布统计", publishRoles, s.publishPage),
		staff("GET", "/staff/publish/preview", publishRoles, s.publishPreview),
		staff("POST", "/staff/publish", mediaOnly, s.publishPost),
	}
}

// mountRoutes installs the static folders and every route of the table.
func (s *Server) mountRoutes() {
	for _, f := range staticFolders() {
		s.app.Use(f.prefix, filesystem.New(filesystem.Config{Root: httpFS(f.files), MaxAge: f.maxAge}))
	}
	s.routes = s.routeTable()
	for _, r := range s.routes {
		if r.Public() {
			s.app.Add(r.Method, r.Path, r.public)
		} else {
			s.app.Add(r.Method, r.Path, s.guard(r))
		}
	}
}

// Routes lists every route with its roles (the role × route test reads it).
func (s *Server) Routes() []Route { return slices.Clone(s.routes) }
