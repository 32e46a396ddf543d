package portal

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"landwatch/internal/warehousetest"
	"landwatch/warehouse"
)

const childEnv = "LANDWATCH_PORTAL_TEST_SERVER"

// TestMain doubles as a server process for the kill -9 test: with childEnv set to a warehouse path
// it serves that warehouse on 127.0.0.1, prints its address and runs until killed.
func TestMain(m *testing.M) {
	if db := os.Getenv(childEnv); db != "" {
		if err := childServer(db); err != nil {
			fmt.Fprintln(os.Stderr, "child server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	warehousetest.RemoveAll()
	os.Exit(code)
}

func childServer(path string) error {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, path, warehouse.Options{})
	if err != nil {
		return err
	}
	srv, err := New(ctx, db, noLimits(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	return srv.Serve(ctx, ln)
}

func startChild(t *testing.T, db string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+db)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("child server did not start: %v", err)
	}
	return cmd, "http://" + strings.TrimSpace(line)
}

// submitter posts tips until stop closes or the server stops answering; every 201 receipt is kept.
func submitLoad(base string, workers int, stop <-chan struct{}, onOK func(receipt string, d time.Duration)) *sync.WaitGroup {
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	body, _ := json.Marshal(goodTip())
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				resp, err := client.Post(base+"/api/v1/tips", "application/json", strings.NewReader(string(body)))
				if err != nil {
					return // the server is gone
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode == 201 {
					var r struct{ Receipt string }
					if json.Unmarshal(b, &r) == nil && r.Receipt != "" {
						onOK(r.Receipt, time.Since(start))
					}
				}
			}
		}()
	}
	return &wg
}

// TestKill9KeepsAcknowledgedTips: 50 submitters, kill -9 in the middle of the load, restart: every
// receipt that was answered 201 still resolves, and the audit chain is intact.
func TestKill9KeepsAcknowledgedTips(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kill.duckdb")
	child, base := startChild(t, db)
	var mu sync.Mutex
	var receipts []string
	var n atomic.Int64
	killAt := int64(120)
	stop := make(chan struct{})
	killed := make(chan struct{})
	wg := submitLoad(base, 50, stop, func(r string, _ time.Duration) {
		mu.Lock()
		receipts = append(receipts, r)
		mu.Unlock()
		if n.Add(1) == killAt {
			child.Process.Signal(os.Kill) // SIGKILL while 50 requests are in flight
			close(killed)
		}
	})
	select {
	case <-killed:
	case <-time.After(45 * time.Second):
		close(stop)
		t.Fatalf("only %d tips accepted before the deadline", n.Load())
	}
	close(stop)
	wg.Wait()
	child.Wait()
	mu.Lock()
	acked := slices.Clone(receipts)
	mu.Unlock()
	if len(acked) < int(killAt) {
		t.Fatalf("%d receipts", len(acked))
	}

	_, base = startChild(t, db)
	client := &http.Client{Timeout: 30 * time.Second}
	missing := 0
	for _, r := range acked {
		req, _ := http.NewRequest("GET", base+"/api/v1/tips/status", nil)
		req.Header.Set("X-Receipt", r)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			missing++
			t.Errorf("receipt answered 201 before kill -9 does not resolve after restart: %d", resp.StatusCode)
			if missing > 3 {
				break
			}
		}
	}
	t.Logf("%d receipts acknowledged before kill -9; all resolve after restart", len(acked))
}

// BenchmarkTipSubmit50: 50 concurrent submitters over 127.0.0.1, JSON tips, limits and proof of
// work off; reports accepted tips per second and p99 latency. Run with a bounded count, e.g.
// go test ./portal -run '^$' -bench TipSubmit50 -benchtime 400x
func BenchmarkTipSubmit50(b *testing.B) {
	dir := b.TempDir()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(dir, "bench.duckdb"), warehouse.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	srv, err := New(ctx, db, noLimits(Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go srv.Serve(sctx, ln)
	base := "http://" + ln.Addr().String()
	var mu sync.Mutex
	var lat []time.Duration
	var done atomic.Int64
	stop := make(chan struct{})
	var once sync.Once
	b.ResetTimer()
	start := time.Now()
	wg := submitLoad(base, 50, stop, func(_ string, d time.Duration) {
		mu.Lock()
		lat = append(lat, d)
		mu.Unlock()
		if done.Add(1) >= int64(b.N) {
			once.Do(func() { close(stop) })
		}
	})
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if len(lat) < b.N {
		b.Fatalf("%d of %d tips accepted", len(lat), b.N)
	}
	slices.Sort(lat)
	p99 := lat[(len(lat)*99+99)/100-1]
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "tips/s")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99_ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50_ms")
}
