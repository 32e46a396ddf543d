package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"

	"landwatch/campaign"
	"landwatch/etl/synth"
	"landwatch/portal"
	"landwatch/reports"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
	"landwatch/store/cluecheck"
	"landwatch/store/powerstore"
	"landwatch/store/tipstore"
	"landwatch/warehouse"
)

// demoTown is the township whose account the demo creates (demoRoles): the office hands it tips.
const demoTown = "郭道镇"

// demoPortal gives the portal the life of a campaign: tips from citizens in every status (one
// about officials, one taken by phone), the office's triage and 交办 to the township with its
// replies, approved rewards with one paid, and the notices all of that sends. Everything goes
// through the portal's own tip store, each step at the campaign day it would have happened on.
func (a *app) demoPortal(ctx context.Context, data string, codes *demoCodes) error {
	d, err := a.openDemoPortal(ctx)
	if err != nil {
		return err
	}
	defer d.close()
	cfg, srv, loc := d.cfg, d.srv, d.cfg.Location()
	at := func(day string, hour int) {
		t, _ := time.ParseInLocation(time.DateOnly, day, loc)
		d.clock = t.Add(time.Duration(hour) * time.Hour)
	}
	st := srv.Tips()
	town, ok := cfg.Township(demoTown)
	if !ok || len(town.Villages) < 3 {
		return fmt.Errorf("演示乡镇%s不在配置中", demoTown)
	}
	office := &accounts.User{Name: demoOffice, Role: accounts.RoleOffice}
	township := &accounts.User{Name: "guodao", Role: accounts.RoleTownship, Scope: demoTown}
	discipline := &accounts.User{Name: "jijian", Role: accounts.RoleDiscipline}
	category := cfg.Categories[0].Code

	tip := func(day string, village, text string, officials bool) (tipstore.Receipt, error) {
		at(day, 10)
		lon, lat := town.Center[0]+0.01, town.Center[1]+0.01
		return st.Submit(ctx, tipstore.TipInput{Township: demoTown, Village: village, Description: text, SeenOn: day,
			Lon: &lon, Lat: &lat, Officials: officials}, nil)
	}
	var fail error
	must := func(err error) {
		if fail == nil && err != nil {
			fail = err
		}
	}
	status := func(u *accounts.User, day string, id, to, note string) {
		at(day, 15)
		must(st.ChangeStatus(ctx, u, id, to, note))
	}
	triage := func(day, id, field, value, note string) {
		at(day, 11)
		must(st.Triage(ctx, office, id, field, value, note))
	}
	v := town.Villages
	var tips []tipstore.Receipt
	for _, t := range []struct {
		day, village, text string
		officials          bool
	}{
		{"2023-03-03", v[0], "村后山沟里夜里有挖掘机作业，拉走的是煤", false},          // 0 奖励已批准（未立案）
		{"2023-03-04", v[1], "废弃煤矿井口被重新打开，每天晚上有三轮车进出", false},       // 1 已领取
		{"2023-03-06", v[2], "河滩上有人挖沙，车辆往县城方向运", false},             // 2 已立案
		{"2023-03-10", v[0], "耕地上新建了一排厂房，不知道有没有手续", false},          // 3 不属实
		{"2023-03-12", v[1], "山坡上堆了很多废渣，像是从井下运出来的", false},          // 4 属实
		{"2023-04-02", v[2], "有人说村里的盗采点每次检查前都会提前停工，怀疑有人通风报信", true}, // 5 涉及公职人员
		{"2023-04-20", v[0], "晚上听到放炮的声音，在村西的山里", false},             // 6 核查中（交办乡镇）
		{"2023-04-27", v[1], "路边有人拉矿石，车上没有篷布", false},               // 7 收到（未分拣）
	} {
		r, err := tip(t.day, t.village, t.text, t.officials)
		if err != nil {
			return fmt.Errorf("演示举报：%w", err)
		}
		tips = append(tips, r)
	}
	id := func(i int) string { return tips[i].TipID }
	msg := func(day string, i int, sender, author, body string) {
		at(day, 17)
		must(st.AddMessage(ctx, id(i), sender, author, body))
	}
	reward := func(day string, i int) {
		at(day, 10)
		d, err := st.TipDetail(ctx, office, id(i))
		if err != nil || d == nil || len(d.Bands) == 0 {
			must(fmt.Errorf("举报 %s 没有奖励档次（%v）", id(i), err))
			return
		}
		_, err = st.ApproveReward(ctx, office.Name, id(i), d.Bands[0].Severity, fmt.Sprintf("%.0f", d.Bands[0].Min), "核查属实，按标准奖励")
		must(err)
	}
	// in the order it happened (the history and the audit chain run forward)
	triage("2023-03-05", id(0), "category", category, "")
	status(office, "2023-03-05", id(0), tipstore.StatusTrue, "卫片与现场核查一致，确有夜间盗采")
	triage("2023-03-05", id(1), "category", category, "")
	triage("2023-03-05", id(1), "assign", demoTown, "请核查并于三日内答复")
	status(township, "2023-03-07", id(1), tipstore.StatusTrue, "现场核实：废弃井口已被打开，有新鲜煤渣，已制止并封堵")
	triage("2023-03-07", id(2), "category", category, "")
	status(office, "2023-03-08", id(2), tipstore.StatusTrue, "执法大队现场查获挖沙船一条")
	status(office, "2023-03-09", id(1), tipstore.StatusFiled, "移送公安")
	triage("2023-03-11", id(3), "category", category, "")
	status(office, "2023-03-12", id(3), tipstore.StatusFalse, "核查：厂房为批准的农业设施用地，手续齐全")
	msg("2023-03-12", 3, "office", office.Name, "经核查，该厂房手续齐全，感谢您的监督")
	triage("2023-03-13", id(4), "category", category, "")
	triage("2023-03-13", id(4), "assign", demoTown, "请核查并于三日内答复")
	status(township, "2023-03-15", id(4), tipstore.StatusTrue, "现场核实：废渣来自附近无证小井，已报自然资源所")
	msg("2023-03-15", 4, "office", township.Name, "已到现场，废渣已拍照留存，小井已责令停止")
	status(office, "2023-03-15", id(2), tipstore.StatusFiled, "自然资源局立案查处")
	reward("2023-03-20", 0) // rewarded without a case: the tipster's progress skips 已立案
	reward("2023-03-20", 1)
	if fail != nil {
		return fmt.Errorf("演示举报办理：%w", fail)
	}
	// the tipster of tip 1 sees the reward, gets a claim code, and is paid
	at("2023-03-22", 9)
	r, err := st.RewardOf(ctx, id(1))
	if err != nil || r == nil {
		return fmt.Errorf("演示奖励：举报 %s 没有奖励（%v）", id(1), err)
	}
	claim, err := st.IssueClaimCode(ctx, id(1), r.ID, false)
	if err != nil {
		return fmt.Errorf("演示领奖码：%w", err)
	}
	at("2023-04-10", 14)
	if _, err := st.RecordPayout(ctx, "caizheng", tipstore.PayoutInput{Receipt: tips[1].Code, ClaimCode: claim, Amount: r.Amount,
		Voucher: "沁财奖〔2023〕001号", PaidOn: "2023-04-10"}); err != nil {
		return fmt.Errorf("演示兑付：%w", err)
	}
	// discipline inspection takes the tip about officials
	status(discipline, "2023-04-03", id(5), tipstore.StatusChecking, "县纪委监委已受理，初步核实")
	// the tip heard at night goes to the township, which starts checking; the tipster adds a message
	triage("2023-04-21", id(6), "assign", demoTown, "请核查是否有非法使用炸药")
	status(township, "2023-04-22", id(6), tipstore.StatusChecking, "已安排村干部和派出所夜间蹲守")
	msg("2023-04-24", 6, "citizen", "", "今晚十点左右又听到了")
	// a phone call the office takes down
	at("2023-04-26", 9)
	phone, err := st.Enter(ctx, office, tipstore.ChannelPhone, tipstore.TipInput{Township: demoTown, Village: v[2],
		Description: "（电话）群众反映村南采石场晚上还在开工，白天停工", Contact: "不愿留名"}, nil)
	if err != nil {
		return fmt.Errorf("演示电话举报：%w", err)
	}
	triage("2023-04-26", phone.TipID, "assign", demoTown, "电话举报，请核查")
	if fail != nil {
		return fmt.Errorf("演示举报办理：%w", fail)
	}
	// member units raise the clues the generator planned (console.json) on the day they did
	con, err := readConsole(data)
	if err != nil {
		return err
	}
	for _, c := range con.DeptClues {
		t, err := time.ParseInLocation("2006-01-02 15:04", c.RaisedAt, loc)
		if err != nil {
			return fmt.Errorf("%s：上报时间“%s”：%w", synth.ConsolePath, c.RaisedAt, err)
		}
		d.clock = t
		unit := &accounts.User{Name: c.Unit, Role: accounts.RoleDepartment, Scope: c.Unit}
		id, err := srv.Cases().RaiseClue(ctx, unit, casestore.DeptClueInput{Township: c.Township, Village: c.Village,
			Lon: fmt.Sprint(c.Lon), Lat: fmt.Sprint(c.Lat), Category: c.Category, FoundOn: c.FoundOn, Description: c.Description}, nil)
		if err != nil {
			return fmt.Errorf("演示部门移送线索：%w", err)
		}
		fmt.Fprintf(a.stdout, "    %s 上报线索 %s（部门移送，%s%s）\n", c.Unit, id, c.Township, c.Village)
	}
	fmt.Fprintf(a.stdout, "    举报 %d 条（网络 %d、电话 1，其中涉及公职人员 1 条只交纪检监察）；交办%s %d 条；奖励 2 笔，已兑付 1 笔\n",
		len(tips)+1, len(tips), demoTown, 4)
	codes.phone, codes.paid = tipstore.GroupCode(phone.Code), tipstore.GroupCode(tips[1].Code)
	fmt.Fprintf(a.stdout, "    电话举报的回执码（纸质回执交举报人）：%s；已领奖举报的回执码：%s\n", codes.phone, codes.paid)
	return nil
}

// demoPublish publishes the public statistics of the last models run, as the media center would
// after review, with its audit entry.
func (a *app) demoPublish(ctx context.Context) error {
	db, err := a.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	snap, err := reports.Publish(ctx, db, demoMedia)
	if err != nil {
		return err
	}
	if err := a.auditor(ctx, db).Audit(ctx, demoMedia, "stats.published", fmt.Sprint(snap.ID), map[string]any{"as_of": snap.Stats.AsOf}); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "    公众页面 /stats 现显示截至 %s 的统计\n", snap.Stats.AsOf)
	return nil
}

// demoBriefing writes the weekly briefing as of day into the briefings folder the portal lists.
func (a *app) demoBriefing(ctx context.Context, day string) error {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return err
	}
	db, err := a.open(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	path, err := reports.WriteBriefing(ctx, db, reports.BriefingsDir(db.Path), d, "demo")
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "    已写出 %s（门户“工作周报”页可下载）\n", path)
	return nil
}

// demoAccount is a demo account with its password.
type demoAccount struct{ name, role, scope, password string }

// demoAccounts creates one staff account per role (demoRoles) and returns the passwords.
func (a *app) demoAccounts(ctx context.Context) ([]demoAccount, error) {
	db, err := a.open(ctx, false)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	var out []demoAccount
	for _, u := range demoRoles {
		pw, err := accounts.AddUser(ctx, db, a.auditor(ctx, db), "demo", u.name, accounts.Role(u.role), u.scope)
		if err != nil {
			return nil, fmt.Errorf("账号 %s：%w", u.name, err)
		}
		if err := accounts.SetFullName(ctx, db, u.name, u.person); err != nil { // pages show the person, not the login
			return nil, err
		}
		out = append(out, demoAccount{u.name, u.role, u.scope, pw})
	}
	return out, nil
}

// printDemoBox prints what a visitor needs last, in one box: one account per role with its
// password (shown this once), then the portal's addresses; without a portal, the line that starts
// it follows the box.
func printDemoBox(w io.Writer, addr, db string, users []demoAccount, noServe bool) {
	lines := []string{"各角色账号（密码只显示这一次，请记下）："}
	for _, u := range users {
		who := accounts.RoleNames[accounts.Role(u.role)]
		if u.scope != "" {
			who += "·" + u.scope
		}
		lines = append(lines, "  "+runewidth.FillRight(who, 20)+"账号 "+runewidth.FillRight(u.name, 10)+"密码 "+u.password)
	}
	lines = append(lines, "", "门户地址：")
	for _, u := range demoURLs {
		lines = append(lines, "  "+runewidth.FillRight(u.what, 24)+"http://"+addr+u.path)
	}
	width := 0
	for _, l := range lines {
		width = max(width, runewidth.StringWidth(l))
	}
	fmt.Fprintln(w, "┌"+strings.Repeat("─", width+2)+"┐")
	for _, l := range lines {
		fmt.Fprintln(w, "│ "+runewidth.FillRight(l, width)+" │")
	}
	fmt.Fprintln(w, "└"+strings.Repeat("─", width+2)+"┘")
	if noServe {
		fmt.Fprintf(w, "启动门户：landwatch --db %s serve --addr %s，再打开 http://%s/staff/login\n", db, addr, addr)
	}
}

// readConsole reads what the generator planned the units to enter on the console (console.json).
func readConsole(data string) (*synth.Console, error) {
	var con synth.Console
	raw, err := os.ReadFile(filepath.Join(data, synth.ConsolePath))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &con); err != nil {
		return nil, fmt.Errorf("%s：%w", synth.ConsolePath, err)
	}
	return &con, nil
}

// demoUnits has the member units do, after the models have run, what needs the models: the office
// hands each raised clue to its unit, which records its verdict; the office orders 终止供电 for a
// meter whose alert was verified as illegal mining and the power company confirms the day supply
// ended — each at the time console.json says.
func (a *app) demoUnits(ctx context.Context, data string) error {
	con, err := readConsole(data)
	if err != nil {
		return err
	}
	d, err := a.openDemoPortal(ctx)
	if err != nil {
		return err
	}
	defer d.close()
	db, srv, loc := d.db, d.srv, d.cfg.Location()
	at := func(s string) error {
		t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		d.clock = t
		if err != nil {
			return fmt.Errorf("%s：时间“%s”：%w", synth.ConsolePath, s, err)
		}
		return nil
	}
	office := &accounts.User{Name: demoOffice, Role: accounts.RoleOffice}
	for _, v := range con.ClueVerdicts {
		if err := at(v.UpdatedAt); err != nil {
			return err
		}
		if err := srv.Cases().Assign(ctx, office, "clue", v.ClueID, v.By, "请核查本单位上报的线索"); err != nil {
			return fmt.Errorf("演示交办线索 %s：%w", v.ClueID, err)
		}
		unit := &accounts.User{Name: v.By, Role: accounts.RoleDepartment, Scope: v.By}
		if err := srv.Cases().RecordClueVerdict(ctx, unit, v.ClueID, v.Verdict, v.Note); err != nil {
			return fmt.Errorf("演示线索核查 %s：%w", v.ClueID, err)
		}
		fmt.Fprintf(a.stdout, "    线索 %s：%s 核查%s（%s）\n", v.ClueID, v.By, v.Verdict, v.Note)
	}
	for _, c := range con.Cutoffs {
		if err := at(c.RecordedAt); err != nil {
			return err
		}
		on, err := time.Parse(time.DateOnly, c.On)
		if err != nil {
			return fmt.Errorf("%s：日期“%s”：%w", synth.ConsolePath, c.On, err)
		}
		if _, err := powerstore.RecordCutoff(ctx, db, srv, c.By, powerstore.CutoffInput{Meter: c.Meter, Kind: c.Kind, On: on, Now: d.clock}); err != nil {
			return fmt.Errorf("演示终止供电（户号 %s）：%w", c.Meter, err)
		}
		what := map[string]string{"ordered": "领导小组办公室下令终止供电", "done": "供电公司确认已终止供电"}[c.Kind]
		fmt.Fprintf(a.stdout, "    户号 %s：%s（%s）\n", c.Meter, what, c.On)
	}
	// 公安 checks the off-licence explosives flow, the township the night camera event (store/cluecheck)
	for _, k := range con.ClueChecks {
		if err := at(k.EnteredAt); err != nil {
			return err
		}
		on, err := time.Parse(time.DateOnly, k.CheckedOn)
		if err != nil {
			return fmt.Errorf("%s：日期“%s”：%w", synth.ConsolePath, k.CheckedOn, err)
		}
		in := cluecheck.Input{Channel: k.Channel, ID: k.ItemID, Result: k.Result, Note: k.Note, Unit: k.Unit, On: on, Now: d.clock}
		if err := cluecheck.Record(ctx, db, srv, k.By, in); err != nil {
			return fmt.Errorf("演示%s核查 %s：%w", k.Channel, k.ItemID, err)
		}
		fmt.Fprintf(a.stdout, "    %s线索 %s：%s 核查%s（%s）\n", k.Channel, k.ItemID, k.By, k.Result, k.Note)
	}
	return nil
}

// demoPortal is the portal's stores on the demo's warehouse with a clock the demo sets, so that every
// entry is made at the campaign day it would have happened on.
type demoPortal struct {
	db    *warehouse.DB
	cfg   *campaign.Config
	srv   *portal.Server
	clock time.Time
}

func (a *app) openDemoPortal(ctx context.Context) (*demoPortal, error) {
	db, err := a.open(ctx, false)
	if err != nil {
		return nil, err
	}
	cfg, err := db.Config(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	d := &demoPortal{db: db, cfg: cfg, clock: cfg.Start()} // until the first entry sets it
	if d.srv, err = portal.New(ctx, db, portal.Options{Now: func() time.Time { return d.clock }, Logger: a.log}); err != nil {
		db.Close()
		return nil, err
	}
	return d, nil
}

func (d *demoPortal) close() {
	d.srv.Close()
	d.db.Close()
}
