package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sort"
	"time"

	"landwatch/internal/cliflag"
	"landwatch/internal/rss"
	"landwatch/queries"
	"landwatch/warehouse"
)

// models is `landwatch bench models`: in one process, alternately, `models run` on the
// warehouse given by --db and the bare meter-day aggregate of the same warehouse's readings (one
// GROUP BY of every reading by meter and day into a temporary table, warehouse.BareMeterDays),
// each --repeat times; it prints both medians, their ratio and the peak memory of each, and the
// ratio of the first round alone and of the later ones (on a warehouse just loaded the first
// round is the first run after the load; later rounds keep the tables nothing changed under,
// queries/reuse.go). It rewrites the warehouse's models as `models run` does and nothing else.
func models(ctx context.Context, e Env, args []string) error {
	fs := flag.NewFlagSet("bench models", flag.ContinueOnError)
	cliflag.Chinese(fs, e.Stderr)
	asOf := fs.String("as-of", "2023-04-30", "模型的截至日期 YYYY-MM-DD")
	repeat := fs.Int("repeat", 3, "每种各运行几次，交替进行（比较中位数）")
	top := fs.Int("top", 12, "列出处理器时间最多的几个模型（建表和数据测试分列，各轮中位数）；0 不列")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return ErrHelp
	} else if err != nil || fs.NArg() > 0 || *repeat < 1 || *top < 0 {
		return UsageError("用法：landwatch bench models [--as-of 2023-04-30] [--repeat 3] [--top 12]")
	}
	day, err := time.Parse("2006-01-02", *asOf)
	if err != nil {
		return UsageError(fmt.Sprintf("--as-of “%s”：日期格式应为 2023-04-30", *asOf))
	}
	db, err := e.Open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	readings, err := warehouse.ReadingsCount(ctx, db)
	if err != nil {
		return err
	}
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "数据仓库 %s：%d 条读数；截至 %s；DuckDB %d 个线程（电表日汇总），模型计算 %d 个线程（models.threads），内存上限 %.2f GiB（models.memory_limit）\n",
		db.Path, readings, *asOf, threads(ctx, db), cfg.Models.ThreadCount(), float64(cfg.Models.MemoryLimitBytes())/(1<<30))
	var bareT, runT, bareCPU, runCPU []float64
	var barePeak, runPeak int64
	var testsCPU []float64
	perModel := map[string]*modelCPU{}
	var order []string
	for rep := 1; rep <= *repeat; rep++ {
		if err := rss.ResetPeak(); err != nil {
			return err
		}
		var d, c float64
		days, err := warehouse.BareMeterDays(ctx, db, func(run func() error) error {
			t0, c0 := time.Now(), rss.CPU()
			err := run()
			d, c = time.Since(t0).Seconds(), (rss.CPU() - c0).Seconds()
			return err
		})
		if err != nil {
			return err
		}
		peak, err := rss.Peak()
		if err != nil {
			return err
		}
		barePeak = max(barePeak, peak)
		bareT, bareCPU = append(bareT, d), append(bareCPU, c)
		fmt.Fprintf(e.Stdout, "第 %d 轮  电表日汇总：%d 行，%6.2f 秒（CPU %6.2f 秒）\n", rep, days, d, c)

		if err := rss.ResetPeak(); err != nil {
			return err
		}
		t0, c0 := time.Now(), rss.CPU()
		res, err := queries.Run(ctx, db, queries.RunOptions{AsOf: day})
		if err != nil {
			return err
		}
		d, c = time.Since(t0).Seconds(), (rss.CPU() - c0).Seconds()
		if peak, err = rss.Peak(); err != nil {
			return err
		}
		runPeak = max(runPeak, peak)
		runT, runCPU = append(runT, d), append(runCPU, c)
		testsCPU = append(testsCPU, res.TestsCPU.Seconds())
		for _, m := range res.Models {
			p := perModel[m.Name]
			if p == nil {
				p = &modelCPU{name: m.Name}
				perModel[m.Name] = p
				order = append(order, m.Name)
			}
			p.build = append(p.build, m.CPU.Seconds())
			p.tests = append(p.tests, m.TestsCPU.Seconds())
		}
		fmt.Fprintf(e.Stdout, "第 %d 轮  模型计算：%d 个模型，%d 项数据测试，%6.2f 秒（CPU %6.2f 秒）\n", rep, len(res.Models), res.Tests, d, c)
	}
	mb, mr := median(bareT), median(runT)
	fmt.Fprintf(e.Stdout, "中位数：电表日汇总 %.2f 秒，模型计算 %.2f 秒；比值 %.2f 倍（墙钟），%.2f 倍（CPU）\n",
		mb, mr, mr/mb, median(runCPU)/median(bareCPU))
	if len(runCPU) > 1 {
		fmt.Fprintf(e.Stdout, "第 1 轮比值 %.2f 倍（CPU；刚载入的数据仓库上即载入后的首次计算），其后各轮中位数 %.2f 倍（CPU）；电表日汇总均取各轮中位数\n",
			runCPU[0]/median(bareCPU), median(runCPU[1:])/median(bareCPU))
	}
	fmt.Fprintf(e.Stdout, "内存峰值：电表日汇总 %.2f GiB，模型计算 %.2f GiB\n", float64(barePeak)/(1<<30), float64(runPeak)/(1<<30))
	if *top > 0 {
		printTopModels(e, perModel, order, median(testsCPU), median(runCPU), *top)
	}
	return nil
}

// modelCPU is one model's processor time in each round: building it, and its data tests.
type modelCPU struct {
	name         string
	build, tests []float64
}

// printTopModels lists the n models whose building and data tests took the most processor time
// (medians over the rounds), then what the others and all data tests took together.
func printTopModels(e Env, per map[string]*modelCPU, order []string, tests, run float64, n int) {
	ms := make([]*modelCPU, 0, len(order))
	var builds float64
	for _, name := range order {
		ms = append(ms, per[name])
		builds += median(per[name].build)
	}
	total := func(m *modelCPU) float64 { return median(m.build) + median(m.tests) }
	sort.SliceStable(ms, func(i, j int) bool { return total(ms[i]) > total(ms[j]) })
	fmt.Fprintf(e.Stdout, "处理器时间（中位数）：建模型 %.2f 秒，数据测试 %.2f 秒，其余 %.2f 秒；最多的 %d 个模型：\n",
		builds, tests, run-builds-tests, min(n, len(ms)))
	for _, m := range ms[:min(n, len(ms))] {
		fmt.Fprintf(e.Stdout, "  %-36s 建 %5.2f 秒  测试 %5.2f 秒\n", m.name, median(m.build), median(m.tests))
	}
}
