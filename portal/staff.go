package portal

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/gate"
	"landwatch/portal/notices"
	"landwatch/portal/qr"
	"landwatch/portal/view"
	"landwatch/store/accounts"
	"landwatch/store/notify"
	"landwatch/store/tipstore"
)

const sessionCookie = "lw_session"

// guard runs a staff route's handler only for a signed-in user whose role the route lists, and for
// POST only with the session's CSRF token (form field _csrf or header X-CSRF-Token).
func (s *Server) guard(r Route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, sess := s.current(c)
		if u == nil {
			if r.Method == fiber.MethodGet {
				return c.Redirect("/staff/login", fiber.StatusSeeOther)
			}
			return s.renderStatus(c, fiber.StatusUnauthorized, "error", page{Title: "请先登录", Error: "请先登录"})
		}
		if !slices.Contains(r.Roles, u.Role) || (r.deny != nil && r.deny(u)) {
			return s.renderStatus(c, fiber.StatusForbidden, "error", page{Title: "无权访问", Error: fmt.Sprintf("%s账号无权访问此页面", accounts.RoleNames[u.Role])})
		}
		if r.Method != fiber.MethodGet && !s.csrfOK(c, sess) {
			return s.renderStatus(c, fiber.StatusForbidden, "error", page{Title: "表单已失效", Error: "表单已失效或来自别处，请返回刷新后重试"})
		}
		return r.staff(c, u)
	}
}

func (s *Server) csrfOK(c *fiber.Ctx, sess *session) bool {
	tok := c.FormValue("_csrf")
	if tok == "" {
		tok = c.Get("X-CSRF-Token")
	}
	return sess != nil && tok != "" && tok == sess.csrf
}

// current returns the signed-in user of the request, if any.
func (s *Server) current(c *fiber.Ctx) (*accounts.User, *session) {
	id := c.Cookies(sessionCookie)
	if id == "" {
		return nil, nil
	}
	sess := s.sessions.get(id, s.opt.now())
	if sess == nil {
		return nil, nil
	}
	u := sess.user
	return &u, sess
}

// navFor is u's menu; the notifications entry carries the unread count.
func (s *Server) navFor(ctx context.Context, u *accounts.User) []navItem {
	var out []navItem
	for _, r := range s.routes {
		if r.Label != "" && slices.Contains(r.Roles, u.Role) && (r.deny == nil || !r.deny(u)) {
			label := r.Label
			if r.Path == notices.Path {
				if n, err := notify.Unread(ctx, s.db, u); err == nil && n > 0 {
					label = fmt.Sprintf("%s（%d）", label, n)
				}
			}
			out = append(out, navItem{Path: r.Path, Label: label})
		}
	}
	return out
}

func (s *Server) loginForm(c *fiber.Ctx) error {
	return s.render(c, "login", page{Title: "工作人员登录"})
}

func (s *Server) loginPost(c *fiber.Ctx) error {
	name := strings.TrimSpace(c.FormValue("username"))
	now := s.opt.now()
	ip := gate.Key(c.IP()) // memory only
	pairKey := gate.Key(name, c.IP())
	userKey := gate.Key(name)
	tooMany := func(w time.Duration) error {
		c.Set("Retry-After", fmt.Sprint(int(w.Seconds())+1))
		return s.renderStatus(c, fiber.StatusTooManyRequests, "login", page{Title: "工作人员登录",
			Error: fmt.Sprintf("登录失败次数过多，请 %d 秒后再试", int(w.Seconds())+1)})
	}
	if w := s.loginIP.Take(ip, now); w > 0 {
		return tooMany(w)
	}
	if len(name) > maxNameLen { // no account has such a name: a wrong login, counted, not hashed
		return s.renderStatus(c, fiber.StatusUnauthorized, "login", page{Title: "工作人员登录", Error: accounts.ErrLogin.Error()})
	}
	if w := s.loginPair.Take(pairKey, now); w > 0 {
		s.loginIP.GiveBack(ip)
		return tooMany(w)
	}
	if d := userDelay(s.loginUser.Failures(userKey, now)); d > 0 {
		select {
		case <-time.After(d):
		case <-c.UserContext().Done():
		}
	}
	u, err := s.accounts.Authenticate(c.UserContext(), name, c.FormValue("password"), c.FormValue("totp"))
	if err != nil {
		if !errors.Is(err, accounts.ErrLogin) {
			s.loginIP.GiveBack(ip)
			s.loginPair.GiveBack(pairKey)
			return err
		}
		s.loginUser.Fail(userKey, now)
		return s.renderStatus(c, fiber.StatusUnauthorized, "login", page{Title: "工作人员登录", Error: err.Error()})
	}
	s.loginIP.GiveBack(ip)
	s.loginPair.Reset(pairKey)
	s.loginUser.Reset(userKey)
	if old := c.Cookies(sessionCookie); old != "" {
		s.sessions.drop(old)
	}
	id, _ := s.sessions.create(*u, now)
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: id, Path: "/staff", HTTPOnly: true, SameSite: "Strict",
		Secure: c.Protocol() == "https", MaxAge: int(sessionTTL.Seconds())})
	return c.Redirect("/staff/", fiber.StatusSeeOther)
}

func (s *Server) logout(c *fiber.Ctx, u *accounts.User) error {
	s.sessions.drop(c.Cookies(sessionCookie))
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/staff", MaxAge: -1, HTTPOnly: true, SameSite: "Strict"})
	return c.Redirect("/staff/login", fiber.StatusSeeOther)
}

// tipsPageSize is how many tips a page of the list shows.
const tipsPageSize = 50

var tipStatuses = []string{tipstore.StatusReceived, tipstore.StatusChecking, tipstore.StatusTrue, tipstore.StatusFalse,
	tipstore.StatusFiled, tipstore.StatusRewarded, tipstore.StatusPaid}

var tipChannels = []string{tipstore.ChannelWeb, tipstore.ChannelPhone, tipstore.ChannelLetter}

// tipFilter reads the list's filters from the query; a value outside the known ones is dropped
// and named in the returned message.
func (s *Server) tipFilter(c *fiber.Ctx) (tipstore.TipFilter, string) {
	var f tipstore.TipFilter
	var bad []string
	if v := c.Query("status"); v != "" {
		if slices.Contains(tipStatuses, v) {
			f.Statuses = []string{v}
		} else {
			bad = append(bad, "状态“"+v+"”")
		}
	}
	if v := c.Query("township"); v != "" {
		if t, ok := s.cfg.Township(v); ok {
			f.Township = t.Name
		} else {
			bad = append(bad, "乡镇“"+v+"”")
		}
	}
	if v := c.Query("channel"); v != "" {
		if slices.Contains(tipChannels, v) {
			f.Channel = v
		} else {
			bad = append(bad, "来源“"+v+"”")
		}
	}
	msg := ""
	if len(bad) > 0 {
		msg = "没有" + strings.Join(bad, "、") + "，已忽略该筛选条件"
	}
	return f, msg
}

func (s *Server) tipsPage(c *fiber.Ctx, u *accounts.User) error {
	f, msg := s.tipFilter(c)
	pageNo := max(c.QueryInt("page", 1), 1)
	f.Offset, f.Limit = (pageNo-1)*tipsPageSize, tipsPageSize
	tips, total, err := s.tips.ListTips(c.UserContext(), u, f)
	if err != nil {
		return err
	}
	pages := max((total+tipsPageSize-1)/tipsPageSize, 1)
	q := url.Values{}
	for k, v := range map[string]string{"status": strings.Join(f.Statuses, ""), "township": f.Township, "channel": f.Channel} {
		if v != "" {
			q.Set(k, v)
		}
	}
	var links []view.PageLink
	for n := 1; pages > 1 && n <= pages; n++ {
		v := url.Values{"page": {strconv.Itoa(n)}}
		for k := range q {
			v.Set(k, q.Get(k))
		}
		links = append(links, view.PageLink{N: n, URL: "/staff/tips?" + v.Encode(), Current: n == pageNo})
	}
	d := map[string]any{"Tips": tips, "Status": strings.Join(f.Statuses, ""), "Township": f.Township, "Channel": f.Channel,
		"Statuses": tipStatuses, "Channels": tipChannels, "Townships": s.cfg.Townships, "Total": total, "Page": pageNo, "Pages": pages,
		"Links": links, "Export": "/staff/export/tips.xlsx?" + q.Encode(), "Handles": tipstore.Handles(u), "Office": u.Role == accounts.RoleOffice}
	return s.render(c, "tips", page{Title: "举报线索", Error: msg, Data: d})
}

func (s *Server) tipPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showTip(c, u, "", nil)
}

func (s *Server) showTip(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	d, err := s.tips.TipDetail(c.UserContext(), u, param(c, "id"))
	if err != nil {
		return err
	}
	if d == nil {
		return fiber.ErrNotFound
	}
	p := page{Title: "举报 " + d.ID, Notice: notice, Data: map[string]any{"T": d, "Categories": s.cfg.Categories,
		"Townships": s.cfg.Townships, "Departments": s.cfg.UnitScopes(), "Office": tipstore.Handles(u),
		"CanAssign": u.Role == accounts.RoleOffice && !d.Confidential, "MaxFiles": s.cfg.Portal.MaxFiles}}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "tip_staff", p)
}

func (s *Server) tipStatus(c *fiber.Ctx, u *accounts.User) error {
	if err := s.tips.ChangeStatus(c.UserContext(), u, param(c, "id"), c.FormValue("status"), c.FormValue("note")); err != nil {
		return s.showTip(c, u, "", err)
	}
	return s.showTip(c, u, "状态已更新。", nil)
}

func (s *Server) tipMessage(c *fiber.Ctx, u *accounts.User) error {
	d, err := s.tips.TipDetail(c.UserContext(), u, param(c, "id"))
	if err != nil {
		return err
	}
	if d == nil {
		return fiber.ErrNotFound
	}
	if err := s.tips.AddMessage(c.UserContext(), d.ID, "office", u.Name, c.FormValue("body")); err != nil {
		return s.showTip(c, u, "", err)
	}
	return s.showTip(c, u, "留言已发送，举报人凭回执码可见。", nil)
}

func (s *Server) tipTriage(c *fiber.Ctx, u *accounts.User) error {
	if err := s.tips.Triage(c.UserContext(), u, param(c, "id"), c.FormValue("field"), c.FormValue("value"), c.FormValue("note")); err != nil {
		return s.showTip(c, u, "", err)
	}
	return s.showTip(c, u, "已保存。", nil)
}

func (s *Server) tipReward(c *fiber.Ctx, u *accounts.User) error {
	if d, err := s.tips.TipDetail(c.UserContext(), u, param(c, "id")); err != nil || d == nil {
		if err == nil {
			err = fiber.ErrNotFound
		}
		return err
	}
	if _, err := s.tips.ApproveReward(c.UserContext(), u.Name, param(c, "id"), c.FormValue("severity"), c.FormValue("amount"), c.FormValue("note")); err != nil {
		return s.showTip(c, u, "", err)
	}
	return s.showTip(c, u, "奖励已批准；举报人凭回执码可见金额并获得领奖码。", nil)
}

var fileIDRe = regexp.MustCompile(`^[0-9a-f]{32}$`)

func (s *Server) tipFile(c *fiber.Ctx, u *accounts.User) error {
	d, err := s.tips.TipDetail(c.UserContext(), u, param(c, "id"))
	if err != nil {
		return err
	}
	fid := param(c, "fid")
	if d == nil || !fileIDRe.MatchString(fid) {
		return fiber.ErrNotFound
	}
	for _, f := range d.FileList {
		if f.ID == fid {
			data, err := os.ReadFile(filepath.Join(s.tips.FilesDirPath(), fid))
			if err != nil {
				return err
			}
			c.Set(fiber.HeaderContentType, f.MIME)
			c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s%s"`, d.ID, fid[:8], view.ExtFor(f.MIME)))
			return c.Send(data)
		}
	}
	return fiber.ErrNotFound
}

func (s *Server) rewardsPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showRewards(c, u, "", nil)
}

func (s *Server) showRewards(c *fiber.Ctx, u *accounts.User, notice string, fail error) error {
	lines, err := s.tips.RewardLines(c.UserContext())
	if err != nil {
		return err
	}
	d := map[string]any{"Finance": u.Role == accounts.RoleFinance, "Today": s.tips.Today().Format("2006-01-02")}
	if want := c.Query("reward"); want != "" && u.Role == accounts.RoleFinance { // a row's 付款 button (portal/view/table.go)
		for i := range lines {
			if lines[i].RewardID == want && lines[i].PayoutID == "" {
				d["Paying"] = lines[i]
			}
		}
	}
	shown, links, err := view.PageSlice(c, lines) // 50 a page, like every list
	if err != nil {
		return err
	}
	d["Lines"], d["Pages"] = shown, links
	p := page{Title: "奖励兑付", Notice: notice, Data: d}
	code := fiber.StatusOK
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
		if errors.Is(fail, tipstore.ErrPaidTwice) {
			code = fiber.StatusConflict
		}
	}
	return s.renderStatus(c, code, "rewards", p)
}

func (s *Server) payoutPost(c *fiber.Ctx, u *accounts.User) error {
	id, err := s.tips.RecordPayout(c.UserContext(), u.Name, tipstore.PayoutInput{Receipt: c.FormValue("receipt"), ClaimCode: c.FormValue("claim_code"),
		Amount: c.FormValue("amount"), Voucher: c.FormValue("voucher"), PaidOn: c.FormValue("paid_on")})
	if err != nil {
		return s.showRewards(c, u, "", err)
	}
	return s.showRewards(c, u, "已登记支付 "+id+"。", nil)
}

func (s *Server) exportPayouts(c *fiber.Ctx, u *accounts.User) error {
	lines, err := s.tips.RewardLines(c.UserContext())
	if err != nil {
		return err
	}
	var rows [][]any
	for _, l := range lines {
		rows = append(rows, []any{l.RewardID, l.TipID, l.Township, l.Category, l.Severity, l.Amount, l.ApprovedOn, l.ApprovedBy,
			l.PayoutID, l.PaidYuan, l.Voucher, l.PaidOn, l.RecordedBy})
	}
	f, err := view.Sheet("奖励兑付台账", []string{"奖励编号", "举报编号", "乡镇", "类别", "档次", "批准金额(元)", "批准日期", "批准人",
		"支付编号", "支付金额(元)", "凭证号", "支付日期", "登记人"}, rows)
	if err != nil {
		return err
	}
	return view.SendXLSX(c, "奖励兑付.xlsx", f)
}

func (s *Server) exportTips(c *fiber.Ctx, u *accounts.User) error {
	filter, _ := s.tipFilter(c)
	out, err := s.tips.ExportRows(c.UserContext(), u, filter)
	if err != nil {
		return err
	}
	f, err := view.Sheet("举报线索", tipstore.ExportHeader, out)
	if err != nil {
		return err
	}
	return view.SendXLSX(c, "举报线索.xlsx", f)
}

// TOTP setup: a secret is proposed, then stored once the user types a valid code from it.

func (s *Server) totpPage(c *fiber.Ctx, u *accounts.User) error {
	_, sess := s.current(c)
	if sess.pending == "" {
		sess.pending = accounts.NewTOTPSecret()
	}
	return s.render(c, "totp", page{Title: "动态码", Data: s.totpData(u, sess.pending)})
}

// totpData is what the TOTP page shows: the proposed secret as a QR code drawn here (portal/qr) for
// an authenticator app to scan, and the secret itself to type when scanning is not possible. The
// address holds the county's name as the issuer, so the app lists the account under it.
func (s *Server) totpData(u *accounts.User, secret string) map[string]any {
	issuer := url.PathEscape(s.cfg.County.Name + "打非治违")
	uri := fmt.Sprintf("otpauth://totp/%s:%s?secret=%s&issuer=%s&digits=6&period=30", issuer, url.PathEscape(u.Name), secret, issuer)
	d := map[string]any{"Secret": groups(secret), "Enabled": u.TOTP}
	if svg, err := qr.SVG(uri, "动态码二维码：用手机验证器扫描"); err == nil {
		d["QR"] = svg
	}
	return d
}

// groups writes a secret in groups of four for typing.
func groups(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (s *Server) totpPost(c *fiber.Ctx, u *accounts.User) error {
	_, sess := s.current(c)
	if sess.pending == "" || !accounts.TOTPValid(sess.pending, c.FormValue("code"), s.opt.now()) {
		return s.renderStatus(c, fiber.StatusBadRequest, "totp", page{Title: "动态码", Error: "动态码不正确，请核对手机验证器上当前显示的 6 位数字",
			Data: s.totpData(u, sess.pending)})
	}
	if err := s.accounts.SetTOTP(c.UserContext(), u.Name, sess.pending); err != nil {
		return err
	}
	sess.user.TOTP, sess.pending = true, ""
	return s.render(c, "totp", page{Title: "动态码", Notice: "已启用动态码：以后登录需要输入 6 位动态码。", Data: map[string]any{"Enabled": true}})
}
