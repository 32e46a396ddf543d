package portal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/internal/sanitize"
	"landwatch/portal/gate"
	"landwatch/store/tipstore"
)

func (s *Server) healthz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := s.db.PingContext(ctx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("warehouse unavailable")
	}
	return c.SendString("ok")
}

func (s *Server) home(c *fiber.Ctx) error {
	return s.render(c, "home", page{Title: "举报非法采矿和乱占土地"})
}

// The answers to a tip the anti-abuse checks refuse (gate.Tokens refuses its own).
var (
	errPowMissing = errors.New("需要完成浏览器验证：请稍候再提交，或使用页面上的无脚本提交方式")
	errPowWrong   = errors.New("浏览器验证未通过，请刷新页面重试")
	errTooFast    = errors.New("提交过快，请在页面打开几秒后再提交")
	errHoneypot   = errors.New("提交未被接受")
)

// tipFormData is what the tip form shows.
type tipFormData struct {
	Token      string
	PowBits    int
	NoJSDelay  int
	Categories any
	Townships  any
	In         tipstore.TipInput
	Lon, Lat   string
	MaxFiles   int
	MaxFileMB  int
}

func (s *Server) tipForm(c *fiber.Ctx) error {
	if ok, err := s.sendCachedTipForm(c); ok { // citizenpages.go
		return err
	}
	return s.showTipForm(c, fiber.StatusOK, tipstore.TipInput{}, "", "", nil, "")
}

func (s *Server) showTipForm(c *fiber.Ctx, code int, in tipstore.TipInput, lon, lat string, fields map[string]string, msg string) error {
	return s.renderStatus(c, code, "tip", s.tipFormPage(in, lon, lat, fields, msg, s.forms.Issue(s.opt.now())))
}

func (s *Server) tipFormPage(in tipstore.TipInput, lon, lat string, fields map[string]string, msg, token string) page {
	return page{Title: "我要举报", Error: msg, Errors: fields, Data: tipFormData{
		Token: token, PowBits: s.opt.powBits, NoJSDelay: int(s.opt.noJSDelay / time.Second),
		Categories: s.cfg.Categories, Townships: s.cfg.Townships, In: in, Lon: lon, Lat: lat,
		MaxFiles: s.cfg.Portal.MaxFiles, MaxFileMB: s.cfg.Portal.MaxFileMB}}
}

// readTip reads a tip from a form (urlencoded or multipart) or JSON, and its files.
func (s *Server) readTip(c *fiber.Ctx) (in tipstore.TipInput, lon, lat string, files []tipstore.Evidence, err error) {
	ct := string(c.Request().Header.ContentType())
	if strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		if err := c.BodyParser(&in); err != nil {
			return in, "", "", nil, &tipstore.InputError{Fields: map[string]string{"body": "请求内容不是有效的 JSON，无法读取"}}
		}
		return in, "", "", nil, nil
	}
	in = tipstore.TipInput{Category: c.FormValue("category"), Township: c.FormValue("township"), Village: c.FormValue("village"),
		Place: c.FormValue("place"), Description: c.FormValue("description"), SeenOn: c.FormValue("seen_on"),
		Contact: c.FormValue("contact"), PowToken: c.FormValue("pow_token"), PowNonce: c.FormValue("pow_nonce"),
		Officials: c.FormValue("about_officials") != ""}
	if v := c.FormValue("village"); strings.Contains(v, "/") { // the form's select sends 乡镇/村
		t, vil, _ := strings.Cut(v, "/")
		if in.Township == "" {
			in.Township = t
		}
		in.Village = vil
	}
	lon, lat = c.FormValue("lon"), c.FormValue("lat")
	var ok1, ok2 bool
	in.Lon, ok1 = parseCoord(lon)
	in.Lat, ok2 = parseCoord(lat)
	if !ok1 || !ok2 {
		return in, lon, lat, nil, &tipstore.InputError{Fields: map[string]string{"coordinates": "经纬度应为数字，例如 112.33 和 36.50"}}
	}
	files, err = s.kit.FormFiles(c)
	return in, lon, lat, files, err
}

// antiAbuse checks the honeypot, and the form token, proof of work and rate limits unless bodyGate
// admitted the tip already; it spends the token. On success the caller must call undo if the tip
// is then not stored.
func (s *Server) antiAbuse(c *fiber.Ctx, in tipstore.TipInput, web bool) (undo func(), status int, err error) {
	if web && c.FormValue("website") != "" { // the honeypot: a field people never see
		return nil, fiber.StatusBadRequest, errHoneypot
	}
	if a := admitted(c); a != nil {
		return a.release, 0, nil
	}
	return s.admit(c, in.PowToken, in.PowNonce, web)
}

// admit checks a form token and its proof of work (or, on the web form without JavaScript, the
// form's age and a wait), spends the token and takes a slot of the hourly limits.
func (s *Server) admit(c *fiber.Ctx, token, nonce string, web bool) (undo func(), status int, err error) {
	now := s.opt.now()
	needToken := web || s.opt.powBits > 0
	if needToken {
		issued, err := s.forms.Check(token, now)
		if err != nil {
			return nil, fiber.StatusBadRequest, err
		}
		if !gate.PowOK(token, nonce, s.opt.powBits) {
			if !web || nonce != "" {
				if nonce == "" {
					return nil, fiber.StatusBadRequest, errPowMissing
				}
				return nil, fiber.StatusBadRequest, errPowWrong
			}
			// No JavaScript: the slower path. The form must have been open a while, and we wait.
			if now.Sub(issued) < s.opt.noJSDelay {
				return nil, fiber.StatusTooManyRequests, errTooFast
			}
			select {
			case <-time.After(s.opt.noJSDelay):
			case <-c.UserContext().Done():
				return nil, fiber.StatusServiceUnavailable, c.UserContext().Err()
			}
		}
		if !s.forms.Spend(token, now) {
			return nil, fiber.StatusBadRequest, gate.ErrTokenReplay
		}
	}
	ip := clientIP(c) // memory only
	ok, perIP := s.tipLimit.Take(ip, now)
	if !ok {
		if needToken {
			s.forms.Unspend(token)
		}
		return nil, fiber.StatusTooManyRequests, s.limitError(perIP)
	}
	return func() {
		s.tipLimit.GiveBack(ip, now)
		if needToken {
			s.forms.Unspend(token)
		}
	}, 0, nil
}

func (s *Server) limitError(perIP bool) error {
	if perIP {
		return fmt.Errorf("本网络一小时内提交已达 %d 条上限，请稍后再试", s.opt.tipsPerIPHour)
	}
	return errors.New("系统繁忙，请稍后再试")
}

func (s *Server) tipPost(c *fiber.Ctx) error {
	defer admitted(c).release() // a tip refused after bodyGate admitted it gives its slot back
	in, lon, lat, files, err := s.readTip(c)
	if err != nil {
		return s.tipFormError(c, in, lon, lat, err)
	}
	if _, err := s.tips.Validate(&in); err != nil {
		return s.tipFormError(c, in, lon, lat, err)
	}
	ups, err := s.tips.CheckEvidence(files)
	if err != nil {
		return s.tipFormError(c, in, lon, lat, err)
	}
	undo, code, err := s.antiAbuse(c, in, true)
	if err != nil {
		return s.showTipForm(c, code, in, lon, lat, nil, err.Error())
	}
	r, err := s.tips.Submit(c.UserContext(), in, ups)
	if err != nil {
		undo()
		return s.tipFormError(c, in, lon, lat, err)
	}
	if a := admitted(c); a != nil {
		a.kept = true
	}
	day := s.tips.Today().Format("2006-01-02")
	if ok, err := s.sendCachedReceipt(c, fiber.StatusCreated, r.Code, day); ok { // citizenpages.go
		return err
	}
	return s.renderStatus(c, fiber.StatusCreated, "receipt", s.receiptPage(r.Code, day, tipstore.GroupCode(r.Code)))
}

// receiptData is what the receipt page shows of a code and its day.
func (s *Server) receiptData(raw, day string) map[string]any {
	return s.receiptPage(raw, day, tipstore.GroupCode(raw)).Data.(map[string]any)
}

// receiptPage is the receipt page of a code (raw, and grouped as shown) and its day.
func (s *Server) receiptPage(raw, day, grouped string) page {
	return page{Title: "举报已收到", Data: map[string]any{"Code": grouped, "Raw": raw, "Day": day, "County": s.cfg.County.Name}}
}

// receiptCode reads the receipt code and day a receipt page sends back (the server keeps neither);
// ok is false when the code is not 16 digits. A day that is not a date is dropped.
func receiptCode(c *fiber.Ctx) (raw, day string, ok bool) {
	raw = strings.ReplaceAll(strings.TrimSpace(c.FormValue("code")), " ", "")
	day = strings.Clone(strings.TrimSpace(c.FormValue("day")))
	if _, err := time.Parse("2006-01-02", day); err != nil {
		day = ""
	}
	return strings.Clone(raw), day, len(raw) == 16 && strings.Trim(raw, "0123456789") == ""
}

// tipDone is the receipt page's 完成: only with 我已保存回执码 ticked does the tipster leave the
// receipt; without the tick the receipt page comes back with the code the page sent (this works
// without JavaScript: the checkbox is a plain form field).
func (s *Server) tipDone(c *fiber.Ctx) error {
	raw, day, ok := receiptCode(c)
	if !ok {
		return s.renderStatus(c, fiber.StatusBadRequest, "error", page{Title: "回执码有误", Error: "回执码应为16位数字"})
	}
	if c.FormValue("saved") != "1" {
		return s.renderStatus(c, fiber.StatusBadRequest, "receipt", page{Title: "举报已收到",
			Error: "请先保存回执码，并勾选“我已保存回执码”，再点“完成”。", Data: s.receiptData(raw, day)})
	}
	return s.render(c, "receipt_done", page{Title: "举报已完成"})
}

// receiptFile answers the receipt page's save button with the receipt as a text file to download:
// the page sends the code back (the server keeps none), so the file holds exactly what was shown.
func (s *Server) receiptFile(c *fiber.Ctx) error {
	raw, day, ok := receiptCode(c)
	if !ok {
		return c.Status(fiber.StatusBadRequest).SendString("回执码应为16位数字")
	}
	code := tipstore.GroupCode(raw)
	text := fmt.Sprintf("%s举报回执\r\n回执码：%s\r\n提交日期：%s\r\n请妥善保存。凭回执码查询进度、补充材料、领取奖励；回执码遗失无法找回。\r\n",
		s.cfg.County.Name, code, day)
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="receipt.txt"; filename*=UTF-8''`+url.PathEscape("举报回执.txt"))
	return c.SendString(text)
}

func (s *Server) tipFormError(c *fiber.Ctx, in tipstore.TipInput, lon, lat string, err error) error {
	var ie *tipstore.InputError
	if errors.As(err, &ie) {
		return s.showTipForm(c, fiber.StatusBadRequest, in, lon, lat, ie.Fields, "提交未成功，请按提示修改后重新提交。没有保存任何内容。")
	}
	return err
}

func (s *Server) apiSubmit(c *fiber.Ctx) error {
	defer admitted(c).release() // a tip refused after bodyGate admitted it gives its slot back
	in, _, _, files, err := s.readTip(c)
	if err != nil {
		return apiError(c, err)
	}
	if _, err := s.tips.Validate(&in); err != nil {
		return apiError(c, err)
	}
	ups, err := s.tips.CheckEvidence(files)
	if err != nil {
		return apiError(c, err)
	}
	undo, code, err := s.antiAbuse(c, in, false)
	if err != nil {
		return c.Status(code).JSON(fiber.Map{"error": err.Error()})
	}
	r, err := s.tips.Submit(c.UserContext(), in, ups)
	if err != nil {
		undo()
		return apiError(c, err)
	}
	if a := admitted(c); a != nil {
		a.kept = true
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"receipt": r.Code})
}

// inputFields are the Chinese names of a tip's fields, in the order the form shows them.
var inputFields = []struct{ key, name string }{{"township", "乡镇"}, {"village", "村"}, {"category", "问题类别"},
	{"place", "具体地点"}, {"description", "看到了什么"}, {"seen_on", "发现日期"}, {"coordinates", "坐标"},
	{"contact", "联系方式"}, {"files", "照片、视频或 PDF"}, {"body", "留言"}}

// inputWords is a refused tip or message in Chinese, each field by its name on the form (never
// the field's key).
func inputWords(ie *tipstore.InputError) string {
	var parts []string
	for _, f := range inputFields {
		if m, ok := ie.Fields[f.key]; ok {
			parts = append(parts, f.name+"："+m)
		}
	}
	return "提交内容有误：" + strings.Join(parts, "；")
}

func apiError(c *fiber.Ctx, err error) error {
	var ie *tipstore.InputError
	if errors.As(err, &ie) {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": inputWords(ie), "fields": ie.Fields})
	}
	if errors.Is(err, tipstore.ErrNoReceipt) {
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{"error": err.Error()})
	}
	return err
}

func (s *Server) apiPow(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"token": s.forms.Issue(s.opt.now()), "bits": s.opt.powBits,
		"rule": "find pow_nonce (decimal) such that SHA-256(token + \":\" + pow_nonce) starts with `bits` zero bits"})
}

// receiptTip resolves a receipt with the wrong-try backoff; status is the HTTP status to answer.
func (s *Server) receiptTip(c *fiber.Ctx, code string) (string, int, error) {
	ip := clientIP(c) // memory only
	now := s.opt.now()
	if w := s.receiptBk.Wait(ip, now); w > 0 {
		c.Set("Retry-After", strconv.Itoa(int(w.Seconds())+1))
		return "", fiber.StatusTooManyRequests, fmt.Errorf("错误次数过多，请 %d 秒后再试", int(w.Seconds())+1)
	}
	id, err := s.tips.FindTip(c.UserContext(), code)
	if errors.Is(err, tipstore.ErrNoReceipt) {
		s.receiptBk.Fail(ip, now)
		return "", fiber.StatusNotFound, err
	}
	if err != nil {
		return "", fiber.StatusInternalServerError, err
	}
	return id, 0, nil
}

func (s *Server) statusForm(c *fiber.Ctx) error {
	return s.render(c, "status", page{Title: "查询举报进度"})
}

// webReceipt resolves the receipt of a citizen's status form once, then calls next with the tip; a
// wrong (or throttled) receipt shows the status form again with the reason.
func (s *Server) webReceipt(next func(c *fiber.Ctx, id, receipt string) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if g, ok := c.Locals(receiptKey).(gateReceipt); ok { // checked by bodyGate already
			return next(c, g.id, g.code)
		}
		receipt := c.FormValue("receipt")
		id, code, err := s.receiptTip(c, receipt)
		if err != nil {
			if code == fiber.StatusInternalServerError {
				return err
			}
			return s.renderStatus(c, code, "status", page{Title: "查询举报进度", Error: err.Error()})
		}
		return next(c, id, receipt)
	}
}

// apiReceipt is webReceipt for the API: the receipt comes in the X-tipstore.Receipt header, errors as JSON.
func (s *Server) apiReceipt(next func(c *fiber.Ctx, id string) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if g, ok := c.Locals(receiptKey).(gateReceipt); ok { // checked by bodyGate already
			return next(c, g.id)
		}
		id, code, err := s.receiptTip(c, c.Get("X-Receipt"))
		if err != nil {
			if code == fiber.StatusInternalServerError {
				return err
			}
			return c.Status(code).JSON(fiber.Map{"error": err.Error()})
		}
		return next(c, id)
	}
}

func (s *Server) statusPost(c *fiber.Ctx, id, receipt string) error {
	return s.showStatus(c, id, receipt, "", nil)
}

// showStatus renders the status page of a tip whose receipt was already checked.
func (s *Server) showStatus(c *fiber.Ctx, id, receipt, notice string, fail error) error {
	v, err := s.tips.CitizenView(c.UserContext(), id)
	if err != nil {
		return err
	}
	p := page{Title: "举报进度", Notice: notice, Data: map[string]any{"V": v, "Receipt": tipstore.NormCode(receipt),
		"MaxFiles": s.cfg.Portal.MaxFiles, "MaxFileMB": s.cfg.Portal.MaxFileMB, "ClaimCode": tipstore.GroupCode(cmp.Or(v.ClaimCode, claimShown(c))),
		"County": s.cfg.County.Name}}
	status := fiber.StatusOK
	if fail != nil {
		var ie *tipstore.InputError
		if !errors.As(fail, &ie) {
			return fail
		}
		p.Error, p.Errors, status = "未保存："+inputWords(ie), ie.Fields, fiber.StatusBadRequest
	}
	return s.renderStatus(c, status, "status_view", p)
}

func (s *Server) statusMessage(c *fiber.Ctx, id, receipt string) error {
	if err := s.tips.AddMessage(c.UserContext(), id, "citizen", "", c.FormValue("body")); err != nil {
		return s.showStatus(c, id, receipt, "", err)
	}
	return s.showStatus(c, id, receipt, "留言已发送。", nil)
}

func (s *Server) statusEvidence(c *fiber.Ctx, id, receipt string) error {
	files, err := s.kit.FormFiles(c)
	if err == nil {
		var ups []sanitize.File
		if ups, err = s.tips.CheckEvidence(files); err == nil {
			err = s.tips.AddEvidence(c.UserContext(), id, "citizen", ups)
		}
	}
	if err != nil {
		return s.showStatus(c, id, receipt, "", err)
	}
	return s.showStatus(c, id, receipt, fmt.Sprintf("已补充 %d 个文件。", len(files)), nil)
}

func (s *Server) statusClaimCode(c *fiber.Ctx, id, receipt string) error {
	r, err := s.tips.RewardOf(c.UserContext(), id)
	if err != nil {
		return err
	}
	if r == nil || r.PaidOn != "" {
		return s.showStatus(c, id, receipt, "没有待领取的奖励。", nil)
	}
	cc, err := s.tips.IssueClaimCode(c.UserContext(), id, r.ID, true)
	if err != nil {
		return err
	}
	c.Locals(claimKey{}, cc) // shown in the claim code's box, with its copy, save and print
	return s.showStatus(c, id, receipt, "已重新生成领奖码，原领奖码作废："+tipstore.GroupCode(cc)+"（只显示这一次，请记下）", nil)
}

func (s *Server) apiStatus(c *fiber.Ctx, id string) error {
	v, err := s.tips.CitizenView(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *Server) apiMessage(c *fiber.Ctx, id string) error {
	var body struct {
		Body string `json:"body"`
	}
	if strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEApplicationJSON) {
		if err := c.BodyParser(&body); err != nil {
			return apiError(c, &tipstore.InputError{Fields: map[string]string{"body": "JSON 无法解析"}})
		}
	} else {
		body.Body = c.FormValue("body")
	}
	if err := s.tips.AddMessage(c.UserContext(), id, "citizen", "", body.Body); err != nil {
		return apiError(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"ok": true})
}

func (s *Server) apiEvidence(c *fiber.Ctx, id string) error {
	files, err := s.kit.FormFiles(c)
	if err != nil {
		return apiError(c, err)
	}
	ups, err := s.tips.CheckEvidence(files)
	if err != nil {
		return apiError(c, err)
	}
	if err := s.tips.AddEvidence(c.UserContext(), id, "citizen", ups); err != nil {
		return apiError(c, err)
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"files": len(ups)})
}

// parseCoord reads an optional coordinate typed in a form.
func parseCoord(s string) (*float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, false
	}
	return &v, true
}
