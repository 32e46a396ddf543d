package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"landwatch/campaign"
	"landwatch/internal/rss"
	"landwatch/store/chain"
)

// demoMarker marks a directory as written by `landwatch demo`, so a re-run may clear it.
const demoMarker = ".landwatch-demo"

// demoOffice and demoMedia are the demo's accounts of the campaign office and the media center;
// account names are pinyin, as a county office would give them.
const demoOffice, demoMedia = "bangong", "meiti"

// demoRoles are the staff accounts the demo creates, one per role (README "Commands", `user add`).
var demoRoles = []struct{ name, role, scope, person string }{
	{demoOffice, "office", "", "王建国"},
	{"guodao", "township", "郭道镇", "李秀英"},
	{"gongan", "department", "公安", "张伟"},
	{"gongdian", "department", "供电公司", "刘洋"}, // the power company's console (portal/power)
	{"ziyuan", "department", "自然资源", "吴志明"},  // 整改验收 and 恢复治理 (portal/casework/acceptance.go)
	{"caizheng", "finance", "", "陈静"},
	{"lingdao", "leader", "", "赵志强"},
	{demoMedia, "media", "", "孙丽"},
	{"jijian", "discipline", "", "周海涛"},
}

// demoURLs are the portal's entry points, printed before it serves.
var demoURLs = []struct{ what, path string }{
	{"群众举报", "/tip"},
	{"举报进度查询（回执码）", "/status"},
	{"公开统计", "/stats"},
	{"工作人员登录", "/staff/login"},
	{"工作看板和地图", "/staff/charts"},
	{"工作周报", "/staff/briefings"},
	{"健康检查", "/healthz"},
}

func demoCommand() *command {
	return &command{
		name: "demo",
		summary: "在合成县数据上演示全过程：生成数据、导入、运行模型、生成周报、\n" +
			"为每个角色创建账号，然后启动门户。",
		setup: func(fs *flag.FlagSet) runFunc {
			var dir, addr, asOf, scale string
			var noServe bool
			var seed int64
			fs.StringVar(&dir, "dir", "demo", "演示文件和数据仓库所在的新目录")
			fs.StringVar(&addr, "addr", "127.0.0.1:8080", "门户监听地址")
			fs.BoolVar(&noServe, "no-serve", false, "文件生成后即结束，不启动门户")
			fs.StringVar(&asOf, "as-of", "", "模型和周报的截至日期（默认：追责问责阶段的最后一天）")
			fs.StringVar(&scale, "scale", "county", "合成县规模：tiny、county 或 large")
			fs.Int64Var(&seed, "seed", 1, "合成县的随机种子")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usageError{"demo 不带参数"}
				}
				if err := prepareDemoDir(dir); err != nil {
					return err
				}
				cfg := campaign.Default()
				if asOf == "" {
					p, _ := cfg.PhaseByCode(campaign.PhaseAccountability)
					asOf = p.End.String()
				}
				data := filepath.Join(dir, "data")
				a.dbFlag = filepath.Join(dir, "landwatch.duckdb")
				// the models again a week later, in the look-back, after the re-inspections
				lookback := asOf
				if d, err := time.Parse(time.DateOnly, asOf); err == nil {
					lookback = d.AddDate(0, 0, 7).Format(time.DateOnly)
				}
				var codes demoCodes
				loaded := demoLoad{cache: demoWarehouseCache(scale, seed)}
				p, _ := cfg.PhaseByCode(campaign.PhaseAccountability)
				days := [][2]string{{asOf, "追责问责阶段结束"}}
				if asOf != p.End.String() {
					days[0][1] = "演示所选日期"
				}
				// step is a step as listed here; demoStep (demo_steps.go) adds whether it runs beside others
				type step struct {
					title string
					argv  []string
					needs int
					fn    func(ctx context.Context, a *app) error
				}
				steps := []step{
					{"生成合成县数据（同一程序、规模和种子的取自缓存）", []string{"gen", "--out", data, "--scale", scale, "--seed", fmt.Sprint(seed)}, -1,
						func(ctx context.Context, a *app) error { return a.demoData(ctx, data, scale, seed) }},
					{"建立数据仓库（同一程序、规模和种子的取自缓存）", []string{"init", "--boundaries", filepath.Join(data, "boundaries", "乡镇边界.geojson")}, 0,
						func(ctx context.Context, a *app) error { return loaded.init(ctx, a, data) }},
					{"导入全部数据", []string{"load", "manifest", data}, 0, func(ctx context.Context, a *app) error { return loaded.load(ctx, a, data) }},
					{"门户：群众举报、交办乡镇、核查答复、奖励兑付、部门移送线索", []string{"serve", "…"}, 1,
						func(ctx context.Context, a *app) error { return a.demoPortal(ctx, data, &codes) }},
					{"运行模型", []string{"models", "run", "--as-of", asOf}, 2, nil},
					{"门户：线索核查结论、终止供电、民爆流向和视频监控核查（需要模型结果）", []string{"serve", "…", "/staff/power"}, 4,
						func(ctx context.Context, a *app) error { return a.demoUnits(ctx, data) }},
					{"迟报、复发的违法点位", []string{"sql", demoLateQuery}, 4, nil},
					{"锁定追责问责数据", []string{"models", "freeze", "--as-of", asOf, "--by", "demo"}, 4, nil},
					{"发布公开统计（融媒体中心审核后）", []string{"serve", "…", "/staff/publish"}, 4,
						func(ctx context.Context, a *app) error { return a.demoPublish(ctx) }},
					{"生成周报（存入门户“工作周报”）", []string{"report", "weekly", "--as-of", asOf}, 4,
						func(ctx context.Context, a *app) error { return a.demoBriefing(ctx, asOf) }},
					{"上周周报（不重新运行模型，数字与当时一致）", []string{"report", "weekly", "--as-of", weekBefore(asOf)}, 4,
						func(ctx context.Context, a *app) error { return a.demoBriefing(ctx, weekBefore(asOf)) }},
					{"导出责任分解表", []string{"report", "duties", "--as-of", asOf, "--out", filepath.Join(dir, "责任分解表-"+asOf+".xlsx")}, 4, nil},
					{"移交纪检监察并记录处理结果", []string{"accountability", "transfer", "…", "/", "outcome", "…"}, 4,
						func(ctx context.Context, a *app) error { return a.demoTransfers(ctx, asOf) }},
					{"回头看：运行模型", []string{"models", "run", "--as-of", lookback}, 2, nil},
					{"追责问责名单（责任人）", []string{"accountability", "list"}, 13, nil},
					{"成员单位的工作：办案环节、部门移送、终止供电、民爆流向、视频监控、卫片比对矿业权", []string{"sql", demoUnitsQuery}, 13, nil},
					{"回头看报告", []string{"report", "lookback", "--out", filepath.Join(dir, "回头看-"+lookback+".pdf")}, 13, nil},
					{"逾期检查与每日通知汇总", []string{"notify", "--day", lookback, "--out", filepath.Join(dir, "通知")}, 13, nil},
				}
				// 常态化: the campaign goes on in the configured periods of the next year; the models run
				// as of the end of the last one, and the weekly series runs across the turn of the year
				if n := len(cfg.Periods); n > 0 {
					last := cfg.Periods[n-1]
					end := last.End.String()
					steps = append(steps, step{"常态化：运行模型（" + last.Name + "结束）", []string{"models", "run", "--as-of", end}, 2, nil})
					run := len(steps) - 1
					steps = append(steps, step{"常态化：每周数据跨年延续", []string{"sql", demoYearsQuery}, run, nil})
					steps = append(steps, step{"常态化：" + last.Name + "结束时的周报", []string{"report", "weekly", "--as-of", end}, run,
						func(ctx context.Context, a *app) error { return a.demoBriefing(ctx, end) }})
					days = append(days, [2]string{end, last.Name + "结束"})
				}
				// the accounts last, then the summary reads the warehouse
				var passwords []demoAccount
				steps = append(steps, step{"创建各角色账号", nil, -1, func(ctx context.Context, a *app) (err error) {
					passwords, err = a.demoAccounts(ctx)
					return err
				}})
				plan := make([]demoStep, len(steps))
				for i, s := range steps {
					plan[i] = demoStep{title: s.title, argv: s.argv, needs: s.needs, fn: s.fn}
				}
				demoBeside(plan, weekBefore(asOf))
				start, cpu0 := time.Now(), rss.CPU()
				// the steps print and log into the demo's log file; the terminal gets one updating
				// progress line (when it is one), then the summary, the box and the address
				term, closeLog, err := a.demoQuiet(dir)
				if err != nil {
					return err
				}
				defer closeLog()
				progress := newDemoProgress(term)
				defer progress.finish()
				// from the portal's first step on, every step runs on one open warehouse (as commands
				// forwarded to a running server do, serve.go): one open, one buffer pool, one checkpoint
				// at the end, instead of each command opening and closing the file
				shared := &demoShared{a: a}
				defer shared.close()
				r := &demoRun{a: a, dir: dir, steps: plan, shared: shared, progress: progress}
				if err := r.run(ctx); err != nil {
					return err
				}
				if err := shared.close(); err != nil { // the warehouse file complete, as each command left it
					return err
				}
				fmt.Fprintf(a.stdout, "\n演示共用时 %.1f 秒（处理器 %.1f 秒）\n", time.Since(start).Seconds(), (rss.CPU() - cpu0).Seconds())
				progress.finish()
				briefings, _ := filepath.Glob(filepath.Join(dir, "briefings", "*.pdf"))
				made := demoMade{data: countFiles(data), briefings: len(briefings), notices: countFiles(filepath.Join(dir, "通知")),
					duties: "责任分解表-" + asOf + ".xlsx", lookback: "回头看-" + lookback + ".pdf"}
				if err := a.demoSummary(ctx, term, dir, made, days, codes, time.Since(start)); err != nil {
					return err
				}
				printDemoBox(term, addr, a.dbFlag, passwords, noServe)
				if noServe {
					return nil
				}
				fmt.Fprintf(term, "门户已启动（按 Ctrl-C 停止）：http://%s/staff/login\n", addr)
				err = a.runCommand(ctx, "serve", "--addr", addr)
				if errors.Is(err, context.Canceled) {
					return nil
				}
				return err
			}
		},
	}
}

// demoLateQuery shows the violations whose township listed them too late (迟报, 补报) and the sites
// that came back after their rectification (复发).
const demoLateQuery = `SELECT violation_id AS 点位, township AS 乡镇, match_reason AS 对应方式, recurrence_of AS 复发自
FROM mart_violations WHERE match_reason LIKE '迟报%' OR recurrence_of IS NOT NULL ORDER BY township, violation_id`

// demoUnitsQuery sums up the member units' work as the look-back run sees it: stages past their
// deadline, the violations a department's clue found, consumption after a confirmed cut-off,
// imagery patches against the licence register.
const demoUnitsQuery = `SELECT
  (SELECT count(*) FROM mart_case_stages WHERE overdue) AS 逾期的办案环节,
  (SELECT count(DISTINCT case_id) FROM mart_case_stages WHERE overdue) AS 有环节逾期的案件,
  (SELECT count(*) FROM mart_violations WHERE source_refs LIKE '%BM-%') AS 部门移送线索查实的违法点位,
  (SELECT count(*) FROM mart_power_alerts WHERE rule = 'supply_after_cutoff') AS 终止供电后仍用电,
  (SELECT count(*) FROM mart_explosives_flows WHERE is_clue) AS 民爆流向线索,
  (SELECT count(*) FROM mart_video_events WHERE is_clue) AS 视频监控线索,
  (SELECT count(*) FROM mart_violations WHERE sources LIKE '%民爆流向%' OR sources LIKE '%视频监控%') AS 民爆视频查实的违法点位,
  (SELECT count(*) FROM mart_imagery_triage WHERE licence_status = 'no_licence') AS 无证开采嫌疑图斑,
  (SELECT count(*) FROM mart_imagery_triage WHERE licence_status = 'expired_licence') AS 许可证过期图斑,
  (SELECT count(*) FROM mart_imagery_triage WHERE licence_status = 'in_licence') AS 许可范围内图斑,
  (SELECT count(*) FROM mart_imagery_triage WHERE licence_status = 'verified_lawful') AS 核查合法图斑,
  (SELECT count(*) FROM mart_imagery_triage WHERE licence_status = 'not_mining') AS 非采矿变化图斑`

// demoYearsQuery shows the weekly series of the campaign and of its 常态化 periods, by year.
const demoYearsQuery = `SELECT iso_year AS 年度, count(*) AS 周数, min(week_start) AS 起, max(week_end) AS 止,
  sum(problems_listed) AS 排查上报问题, sum(items_rectified) AS 整改完成, sum(new_patches) AS 新增图斑
FROM mart_campaign_weekly GROUP BY iso_year ORDER BY iso_year`

// demoTransfers hands the first three entries of the accountability list as of asOf to discipline
// inspection the day after, as the office would on paper and enter afterwards (--recorded-on), and
// records the outcome of the first five days later — through the accountability command.
func (a *app) demoTransfers(ctx context.Context, asOf string) error {
	day, err := time.Parse(time.DateOnly, asOf)
	if err != nil {
		return err
	}
	db, err := a.open(ctx, true)
	if err != nil {
		return err
	}
	list, err := chain.ListAt(ctx, db, day)
	db.Close()
	if err != nil {
		return err
	}
	var items []string
	for _, e := range list {
		if len(items) < 3 && !slices.Contains(items, e.ItemID) {
			items = append(items, e.ItemID)
		}
	}
	on := day.AddDate(0, 0, 1).Format(time.DateOnly)
	for _, id := range items {
		fmt.Fprintf(a.stdout, "    landwatch accountability transfer --item %s --as-of %s --on %s --recorded-on %s\n", id, asOf, on, on)
		if err := a.runCommand(ctx, "accountability", "transfer", "--by", "demo", "--item", id, "--as-of", asOf, "--on", on,
			"--recorded-on", on, "--note", "追责问责名单所列，移交纪检监察"); err != nil {
			return err
		}
	}
	if len(items) > 0 {
		done := day.AddDate(0, 0, 5).Format(time.DateOnly)
		fmt.Fprintf(a.stdout, "    landwatch accountability outcome --item %s --outcome 诫勉 --on %s --doc 沁纪〔2023〕1号\n", items[0], done)
		if err := a.runCommand(ctx, "accountability", "outcome", "--by", "demo", "--item", items[0], "--outcome", "诫勉", "--on", done,
			"--doc", "沁纪〔2023〕1号", "--recorded-on", done); err != nil {
			return err
		}
	}
	return nil
}

// weekBefore is the day seven days before day (YYYY-MM-DD).
func weekBefore(day string) string {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return d.AddDate(0, 0, -7).Format(time.DateOnly)
}

// runCommand runs another subcommand in this process with the same app (warehouse, output).
func (a *app) runCommand(ctx context.Context, argv ...string) error {
	c, ok := lookup(argv[0])
	if !ok {
		return fmt.Errorf("没有命令“%s”", argv[0])
	}
	fs, runCmd := flagSet(c, a, a.stderr)
	if err := fs.Parse(argv[1:]); err != nil {
		return err
	}
	return runCmd(ctx, a, fs.Args())
}

// prepareDemoDir makes dir an empty directory: it may not exist, be empty, or hold an earlier demo.
func prepareDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	case len(entries) == 0:
	default:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return fmt.Errorf("目录 %s 非空，且不是 landwatch demo 生成的；请用 --dir 另选目录", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("清理 %s 中以前的演示：%w", dir, err)
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("written by landwatch demo; a re-run clears this folder\n"), 0o600)
}
