package reports

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"landwatch/campaign"
	"landwatch/internal/testtool"
	"landwatch/warehouse"
)

// cspFor is the portal's Content-Security-Policy with the response's nonce for the page's own
// <style> and <script> elements.
func cspFor(nonce string) string {
	return fmt.Sprintf("default-src 'self'; img-src 'self' data:; style-src 'self' 'nonce-%s'; script-src 'self' 'nonce-%s'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'", nonce, nonce)
}

func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// chartServer serves the dashboard, the public page and the assets as the portal does.
func chartServer(t testing.TB, db *warehouse.DB) *httptest.Server {
	mux := http.NewServeMux()
	mux.Handle(AssetsPath, http.StripPrefix(AssetsPath, http.FileServer(http.FS(Assets()))))
	page := func(render func(w http.ResponseWriter, o PageOptions) error) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			nonce := newNonce()
			w.Header().Set("Content-Security-Policy", cspFor(nonce))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			if err := render(w, PageOptions{Nonce: nonce, CSVBase: "/stats/"}); err != nil {
				http.Error(w, err.Error(), 500)
			}
		}
	}
	mux.Handle("/dashboard", page(func(w http.ResponseWriter, o PageOptions) error {
		return Dashboard(context.Background(), db, w, o)
	}))
	mux.Handle("/stats", page(func(w http.ResponseWriter, o PageOptions) error {
		return PublicPage(context.Background(), db, w, o)
	}))
	mux.HandleFunc("/favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// browser starts headless chromium with every request to a host other than the loopback
// address failed, and collects console errors, exceptions and blocked requests.
type browser struct {
	ctx     context.Context
	mu      sync.Mutex
	errs    []string
	blocked []string
}

func newBrowser(t testing.TB) *browser {
	t.Helper()
	path := testtool.Installed(t, "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	b := &browser{ctx: ctx}
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	paused := chromedp.Events(ctx, fetch.RequestPaused)
	go func() {
		for e, err := range paused {
			if err != nil {
				return
			}
			u, _ := url.Parse(e.Request.URL)
			if u != nil && u.Hostname() == "127.0.0.1" {
				chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
				continue
			}
			b.mu.Lock()
			b.blocked = append(b.blocked, e.Request.URL)
			b.mu.Unlock()
			chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonBlockedByClient})
		}
	}()
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				b.mu.Lock()
				b.errs = append(b.errs, m.String()+" "+m.URL)
				b.mu.Unlock()
			}
		}
	}()
	return b
}

// chartsDrawn loads the page and waits until every chart element holds a canvas or an svg
// drawn by an ECharts instance; it returns the number of charts.
func (b *browser) chartsDrawn(t testing.TB, pageURL string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 40*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("%s: %v", pageURL, err)
	}
	n, err := chromedp.Run(ctx, chromedp.Poll[int](`(() => {
			const els = Array.from(document.querySelectorAll('.chart'));
			if (els.length === 0 || typeof echarts === 'undefined') return 0;
			for (const el of els) {
				const inst = echarts.getInstanceByDom(el);
				if (!inst || !el.querySelector('canvas, svg') || el.clientHeight < 100) return 0;
			}
			return els.length;
		})()`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		t.Fatalf("%s: charts not drawn: %v; errors: %v", pageURL, err, b.errs)
	}
	return n
}

// mapRegions returns the names of the regions the map chart's geo component drew.
func (b *browser) mapRegions(t testing.TB) []string {
	t.Helper()
	names, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`(() => {
			const inst = echarts.getInstanceByDom(document.getElementById('map'));
			return inst.getModel().getComponent('geo', 0).coordinateSystem.regions.map(r => r.name);
		})()`))
	if err != nil {
		t.Fatalf("map regions: %v", err)
	}
	return names
}

// evalInt evaluates a JavaScript expression giving a number.
func (b *browser) evalInt(t testing.TB, expr string) int {
	t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return n
}

// screenshot saves the page as PNG into $LANDWATCH_KEEP_PNG, when set (to look at the pages).
func (b *browser) screenshot(t *testing.T, name string) {
	dir := os.Getenv("LANDWATCH_KEEP_PNG")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	os.WriteFile(filepath.Join(dir, name), png, 0o644)
}

func (b *browser) check(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errs {
		t.Errorf("browser: %s", e)
	}
	for _, u := range b.blocked {
		t.Errorf("page requested a non-loopback URL: %s", u)
	}
}

func TestChartPagesInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts chromium")
	}
	db := fixtureDB(t)
	if _, err := Publish(context.Background(), db, "media1"); err != nil {
		t.Fatal(err)
	}
	srv := chartServer(t, db)
	b := newBrowser(t)
	if n := b.chartsDrawn(t, srv.URL+"/dashboard"); n != 6 {
		t.Errorf("dashboard: %d charts drawn, want 6", n)
	}
	b.screenshot(t, "dashboard.png")
	if got := b.mapRegions(t); len(got) != 1 || got[0] != "沁源县" {
		t.Errorf("map without boundaries: regions %v, want the county box", got)
	}
	// With the township boundaries stored, the map draws every township's polygon.
	cfg, err := db.Config(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bounds, err := campaign.LoadBoundaries(filepath.Join("..", "testdata", "tiny", "boundaries", "乡镇边界.geojson"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetBoundaries(context.Background(), bounds); err != nil {
		t.Fatal(err)
	}
	if n := b.chartsDrawn(t, srv.URL+"/dashboard"); n != 6 {
		t.Errorf("dashboard with boundaries: %d charts drawn, want 6", n)
	}
	b.screenshot(t, "dashboard-boundaries.png")
	got := b.mapRegions(t)
	if len(got) != len(cfg.Townships) {
		t.Errorf("map with boundaries: regions %v", got)
	}
	for i, tw := range cfg.Townships {
		if i < len(got) && got[i] != tw.Name {
			t.Errorf("map region %d is %q, want %s", i+1, got[i], tw.Name)
		}
	}
	if n := b.evalInt(t, `echarts.getInstanceByDom(document.getElementById('map')).getZr().storage.getDisplayList().length`); n <= len(cfg.Townships) {
		t.Errorf("map draws %d elements, fewer than the township polygons", n)
	}
	// every public chart is drawn, but one whose weeks and months are all suppressed, which is a
	// sentence instead (public_months.go)
	snap, err := LatestSnapshot(context.Background(), db)
	if err != nil || snap == nil {
		t.Fatalf("published snapshot: %v", err)
	}
	want := snap.Stats.ChartsDrawn()
	if want == 0 {
		t.Fatal("the fixture's public page draws no chart at all")
	}
	if n := b.chartsDrawn(t, srv.URL+"/stats"); n != want {
		t.Errorf("public page: %d charts drawn, want %d of %d", n, want, len(publicCharts))
	}
	b.screenshot(t, "public.png")
	b.check(t)
}
