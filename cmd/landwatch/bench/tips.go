package bench

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"

	"landwatch/campaign"
	"landwatch/internal/cliflag"
	"landwatch/internal/rss"
	"landwatch/portal"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// tips is `landwatch bench tips`: it starts the real portal on a loopback port over a scratch
// warehouse in --dir (proof of work and the hourly limits off, everything else as served), and N
// clients each send tips through the public form as a browser does — fetch the form (its token),
// post the tip, read the receipt page — until --tips are stored. Beside the tips a second it
// prints the Argon2id bound measured in the same process: cores ÷ the time of one receipt hash
// (each tip costs one), and the ratio of the two; and the same with as many hashes at once as
// there are cores (each then takes longer), which is what the hashes alone reach. Rounds of both
// alternate --repeat times and the medians are compared, since the machine may be shared.
func tips(ctx context.Context, e Env, args []string) error {
	fs := flag.NewFlagSet("bench tips", flag.ContinueOnError)
	cliflag.Chinese(fs, e.Stderr)
	clients := fs.Int("clients", 16, "同时提交的客户端数")
	tips := fs.Int("tips", 400, "每轮提交的举报数")
	repeat := fs.Int("repeat", 3, "轮数（与哈希测量交替进行，比较中位数）")
	dir := fs.String("dir", "bench-data", "临时数据仓库所在目录（不纳入版本库）")
	profile := fs.String("cpuprofile", "", "把整个进程提交举报期间的 CPU 剖析写入这个文件（go tool pprof 可读）")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return ErrHelp
	} else if err != nil || fs.NArg() > 0 || *clients < 1 || *tips < 1 || *repeat < 1 {
		return UsageError("用法：landwatch bench tips [--clients 16] [--tips 400] [--repeat 3] [--dir 目录]")
	}
	if err := os.MkdirAll(*dir, 0o700); err != nil {
		return err
	}
	dbFile := filepath.Join(*dir, "bench-tips.duckdb")
	clean := func() {
		for _, f := range []string{dbFile, dbFile + ".wal", dbFile + ".secret", dbFile + ".audit"} {
			os.RemoveAll(f)
		}
		os.RemoveAll(filepath.Join(*dir, "bench-tips.files"))
	}
	clean()
	defer clean()
	cfg := campaign.Default()
	db, err := warehouse.Open(ctx, dbFile, warehouse.Options{Config: cfg})
	if err != nil {
		return err
	}
	defer db.Close()
	srv, err := portal.New(ctx, db, portal.Options{DisablePow: true, DisableTipsPerIPLimit: true, DisableTipsPerHourLimit: true})
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan struct{})
	go func() { srv.Serve(sctx, ln); close(served) }()
	defer func() { stop(); <-served }()
	base := "http://" + ln.Addr().String()
	cores := runtime.NumCPU()
	fmt.Fprintf(e.Stdout, "门户 %s；%d 个客户端；每轮 %d 条举报；%d 个核\n", base, *clients, *tips, cores)

	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: *clients}}
	// a warm-up round, counted by neither figure: the server's first tips (DuckDB's first writes to
	// the tables, the kept pages, the clients' connections) and the first hashes (hashTime's first)
	// cost more than later ones, and only the tips paid for it before
	if _, err := sendTips(ctx, client, base, *clients, min(*tips, 2**clients)); err != nil {
		return err
	}
	if _, _, err := hashTime(2, 1); err != nil {
		return err
	}
	var rates, bounds, ratios, cpuRatios, parBounds, parRatios, parCPURatios []float64
	for rep := 1; rep <= *repeat; rep++ {
		// the bound is measured right before and right after the round, and both count: a machine
		// whose load changes during the round moves the bound as it moves the tips
		walls, hashCPU, err := hashTime(4, 1)
		if err != nil {
			return err
		}
		pwalls, phashCPU, err := hashTime(3, cores)
		if err != nil {
			return err
		}
		if *profile != "" && rep == 1 {
			f, err := os.Create(*profile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return err
			}
		}
		t0, c0 := time.Now(), rss.CPU()
		n, err := sendTips(ctx, client, base, *clients, *tips)
		cpu, wall := rss.CPU()-c0, time.Since(t0)
		if *profile != "" && rep == 1 {
			pprof.StopCPUProfile()
		}
		if err != nil {
			return err
		}
		walls2, hashCPU2, err := hashTime(4, 1)
		if err != nil {
			return err
		}
		pwalls2, phashCPU2, err := hashTime(3, cores)
		if err != nil {
			return err
		}
		per, perCPU := time.Duration(median(append(walls, walls2...))), (hashCPU+hashCPU2)/2
		bound := float64(cores) / per.Seconds()
		// the same with as many hashes at once as there are cores: two Argon2id hashes side by
		// side share the caches and the memory bus and each takes longer than one alone, so this
		// is what the hashes alone reach on these cores, and the ratio to it is the server's own
		// share of the gap
		pper, pperCPU := time.Duration(median(append(pwalls, pwalls2...))), (phashCPU+phashCPU2)/2
		parBound := float64(cores) / pper.Seconds()
		rate := float64(n) / wall.Seconds()
		// by CPU time: the share of the process's CPU (server and clients) that went into the
		// hashes — the ratio the run reaches when it has the cores to itself, whatever else the
		// machine runs meanwhile
		cpuRatio := float64(n) * perCPU.Seconds() / cpu.Seconds()
		parCPURatio := float64(n) * pperCPU.Seconds() / cpu.Seconds()
		rates, bounds, ratios, cpuRatios = append(rates, rate), append(bounds, bound), append(ratios, rate/bound), append(cpuRatios, cpuRatio)
		parBounds, parRatios, parCPURatios = append(parBounds, parBound), append(parRatios, rate/parBound), append(parCPURatios, parCPURatio)
		fmt.Fprintf(e.Stdout, "第 %d 轮  %d 条举报，%.1f 条/秒；Argon2id 每次 %.1f 毫秒（CPU %.1f 毫秒），上限 %.1f 条/秒；比值 %.0f%%；按 CPU 时间 %.0f%%\n",
			rep, n, rate, float64(per.Microseconds())/1000, float64(perCPU.Microseconds())/1000, bound, 100*rate/bound, 100*cpuRatio)
		// the cores' time the process used: the rest stood idle or went to other programs (which
		// also slow the hashes, so the wall ratio is only meaningful when this is near 100 %)
		fmt.Fprintf(e.Stdout, "        同时 %d 个哈希：每次 %.1f 毫秒（CPU %.1f 毫秒），上限 %.1f 条/秒；比值 %.0f%%；按 CPU 时间 %.0f%%；本进程占用核时间 %.0f%%\n",
			cores, float64(pper.Microseconds())/1000, float64(pperCPU.Microseconds())/1000, parBound, 100*rate/parBound, 100*parCPURatio,
			100*cpu.Seconds()/(wall.Seconds()*float64(cores)))
	}
	fmt.Fprintf(e.Stdout, "中位数：%.1f 条/秒，Argon2id 上限 %.1f 条/秒，比值 %.0f%%（目标 ≥ 80%%）；按 CPU 时间 %.0f%%\n",
		median(rates), median(bounds), 100*median(ratios), 100*median(cpuRatios))
	fmt.Fprintf(e.Stdout, "同时 %d 个哈希的上限 %.1f 条/秒，比值 %.0f%%；按 CPU 时间 %.0f%%\n",
		cores, median(parBounds), 100*median(parRatios), 100*median(parCPURatios))
	return nil
}

// hashTime is the times of n receipt hashes (accounts.Hasher.HashCode) in each of k goroutines
// side by side (k = 1: one at a time), run while the server is idle, and the process's CPU time
// per hash.
func hashTime(n, k int) (walls []float64, cpu time.Duration, err error) {
	h := accounts.NewHasher(k)
	var mu sync.Mutex
	var wg sync.WaitGroup
	c0 := rss.CPU()
	for g := range k {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				t0 := time.Now()
				_, herr := h.HashCode(fmt.Sprintf("%08d%08d", g, i))
				d := time.Since(t0)
				mu.Lock()
				walls = append(walls, float64(d))
				if herr != nil && err == nil {
					err = herr
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err != nil {
		return nil, 0, err
	}
	return walls, (rss.CPU() - c0) / time.Duration(n*k), nil
}

var tokenRe = regexp.MustCompile(`name="pow_token" value="([^"]+)"`)

// sendTips sends total tips through the public form with the given number of clients at once and
// returns how many were stored (answered 201 with a receipt page).
func sendTips(ctx context.Context, client *http.Client, base string, clients, total int) (int, error) {
	var next, stored atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	fields := map[string]string{"township": "沁河镇", "village": "沁河镇/沁河村", "category": "M4", "place": "村东废弃井口",
		"description": "夜里有车拉煤，井口新挖", "seen_on": "2023-03-02", "lon": "112.33", "lat": "36.50"}
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(total) && ctx.Err() == nil {
				page, _, err := fetch(ctx, client, "GET", base+"/tip", "", nil)
				if err != nil {
					fail(err)
					return
				}
				m := tokenRe.FindSubmatch(page)
				if m == nil {
					fail(errors.New("表单页没有 pow_token"))
					return
				}
				tok := string(m[1])
				var b bytes.Buffer
				w := multipart.NewWriter(&b)
				w.WriteField("pow_token", tok)
				for k, v := range fields {
					w.WriteField(k, v)
				}
				w.Close()
				body, code, err := fetch(ctx, client, "POST", base+"/tip?pow_token="+tok, w.FormDataContentType(), b.Bytes())
				if err != nil {
					fail(err)
					return
				}
				if code != http.StatusCreated {
					fail(fmt.Errorf("提交举报：HTTP %d：%.200s", code, body))
					return
				}
				stored.Add(1)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return int(stored.Load()), firstErr
	}
	return int(stored.Load()), ctx.Err()
}

func fetch(ctx context.Context, client *http.Client, method, url, ctype string, body []byte) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return b, resp.StatusCode, err
}
