package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/mattn/go-runewidth"
)

// demoLogName is the file in the demo folder that receives everything the demo's steps print and
// log: the terminal shows only the summary (demoSummary) and the closing box.
const demoLogName = "演示日志.txt"

// demoQuiet sends the app's output and log to the demo's log file and returns the terminal it
// wrote to before, and a function closing the file.
func (a *app) demoQuiet(dir string) (term io.Writer, closeLog func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, demoLogName), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, err
	}
	term = a.stdout
	a.stdout, a.stderr = f, f
	a.log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: chineseLog}))
	return term, func() { f.Close() }, nil
}

// isTerminal reports whether w is a character device (an interactive terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// demoProgress shows the running step as one line that updates in place (with the seconds it has
// taken so far) when the output is a terminal; otherwise it shows nothing, so that a transcript
// holds only the summary.
type demoProgress struct {
	w    io.Writer
	on   bool
	mu   sync.Mutex
	line string
	t0   time.Time
	stop chan struct{}
	done chan struct{}
}

func newDemoProgress(w io.Writer) *demoProgress {
	return &demoProgress{w: w, on: isTerminal(w)}
}

// step shows step i of n.
func (p *demoProgress) step(i, n int, title string) {
	if !p.on {
		return
	}
	p.finish()
	p.mu.Lock()
	p.line, p.t0 = fmt.Sprintf("第 %d/%d 步：%s", i, n, title), time.Now()
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	p.mu.Unlock()
	p.draw()
	go func(stop, done chan struct{}) {
		defer close(done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				p.draw()
			}
		}
	}(p.stop, p.done)
}

func (p *demoProgress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r\033[K%s（%d 秒）", p.line, int(time.Since(p.t0).Seconds()))
}

// finish stops the updating line and clears it.
func (p *demoProgress) finish() {
	if !p.on || p.stop == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.stop = nil
	fmt.Fprint(p.w, "\r\033[K")
}

// demoCodes are the receipt codes a visitor of the demo types into the tipster's progress page.
type demoCodes struct {
	phone, paid string
}

// demoMade lists what the demo wrote, relative to its folder.
type demoMade struct {
	data, briefings, notices int
	duties, lookback         string
}

// demoSummary prints what was made, the few figures worth seeing (the township scorecards as of
// each day in days, with what day means), and the demo's receipt codes.
func (a *app) demoSummary(ctx context.Context, w io.Writer, dir string, made demoMade, days [][2]string, codes demoCodes, took time.Duration) error {
	fmt.Fprintf(w, "演示完成，用时 %.0f 秒。文件在 %s：\n", took.Seconds(), dir)
	rows := [][2]string{
		{"合成县数据", fmt.Sprintf("data/（%d 个文件，标准答案 data/truth.json）", made.data)},
		{"数据仓库", "landwatch.duckdb"},
		{"领导周报", fmt.Sprintf("briefings/（%d 份，门户“工作周报”页可下载）", made.briefings)},
		{"责任分解表", made.duties},
		{"回头看报告", made.lookback},
		{"每日通知汇总", fmt.Sprintf("通知/（%d 份）", made.notices)},
		{"全过程记录", demoLogName},
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %s%s\n", runewidth.FillRight(r[0], 14), r[1])
	}
	db, err := a.open(ctx, true)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, d := range days {
		var towns, red, yellow, green, missed, overdue, fresh, lateTowns, maxLate int
		err := db.QueryRowContext(ctx, `SELECT count(*), count(*) FILTER (WHERE level = 'red'),
			count(*) FILTER (WHERE level = 'yellow'), count(*) FILTER (WHERE level = 'green'),
			coalesce(sum(missed), 0), coalesce(sum(overdue_open), 0), coalesce(sum(new_after_rectification), 0),
			count(*) FILTER (WHERE patrol_weeks > patrol_weeks_done),
			coalesce(max(patrol_weeks - patrol_weeks_done), 0)
			FROM mart_township_scorecard WHERE as_of = CAST(? AS DATE)`, d[0]).
			Scan(&towns, &red, &yellow, &green, &missed, &overdue, &fresh, &lateTowns, &maxLate)
		if err != nil {
			return fmt.Errorf("演示小结：%w", err)
		}
		if towns == 0 {
			continue
		}
		fmt.Fprintf(w, "截至 %s（%s）：\n", d[0], d[1])
		fmt.Fprintf(w, "  %d 个乡镇：红 %d、黄 %d、绿 %d；应排漏排 %d 处，整改不到位 %d 项，属地新增 %d 处\n",
			towns, red, yellow, green, missed, overdue, fresh)
		if lateTowns > 0 {
			fmt.Fprintf(w, "  巡查缺周的乡镇 %d 个，最多缺 %d 周\n", lateTowns, maxLate)
		} else {
			fmt.Fprintln(w, "  各乡镇巡查都按周上报")
		}
	}
	var acc, alerts, patches int
	if err := db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM mart_accountability),
		(SELECT count(*) FROM mart_power_alerts), (SELECT count(*) FROM mart_imagery_triage)`).Scan(&acc, &alerts, &patches); err != nil {
		return fmt.Errorf("演示小结：%w", err)
	}
	fmt.Fprintf(w, "  追责问责名单 %d 项，用电异常预警 %d 条，待研判卫片图斑 %d 个\n", acc, alerts, patches)
	fmt.Fprintln(w, "演示回执码（在“举报进度查询”页输入）：")
	fmt.Fprintf(w, "  电话举报（纸质回执）  %s\n", codes.phone)
	fmt.Fprintf(w, "  已领奖的举报          %s\n", codes.paid)
	return nil
}

// countFiles counts the regular files under dir.
func countFiles(dir string) int {
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}
