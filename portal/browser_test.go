package portal

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"landwatch/audit"
	"landwatch/internal/sanitize"
	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/internal/testtool"
	"landwatch/store/accounts"
)

// chromium finds Debian's chromium, installing it with the project's own setup if it is missing.
func chromium(t *testing.T) string {
	t.Helper()
	return testtool.Installed(t, "chromium")
}

// startBrowser starts a headless chromium (no sandbox, no background networking, every host but the
// loopback address unresolvable) with a window of w × h and the extra options, for at most limit;
// it stops when the test ends.
func startBrowser(t *testing.T, w, h int, limit time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(w, h)}, extra...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelT := context.WithTimeout(ctx, limit)
	t.Cleanup(func() { cancelT(); cancel(); cancelAlloc() })
	return ctx
}

// TestBrowserWalk: a citizen submits a tip with a photo, keeps the receipt; the office verifies it
// and approves a reward; the citizen sees the amount; finance records the payout; the citizen sees
// 已领取. The stored photo has no EXIF. The proof of work runs in the browser's JavaScript.
func TestBrowserWalk(t *testing.T) {
	e := newEnv(t, Options{TipsPerIPHour: 10, TipsPerHour: 1000, PowBits: 10, NoJSDelay: time.Hour}) // no-JS path closed: the JS proof of work must work
	base := e.listen()
	officePW := e.addUser("office1", accounts.RoleOffice, "")
	financePW := e.addUser("finance1", accounts.RoleFinance, "")
	photo := filepath.Join(t.TempDir(), "井口.jpg")
	if err := os.WriteFile(photo, sanitizetest.ExifJPEG(t), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx := startBrowser(t, 412, 915, 50*time.Second) // a phone's width
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}

	// 1. the citizen's tip, with a photo
	do("tip form",
		chromedp.Navigate(base+"/tip"),
		chromedp.WaitVisible(chromedp.CSS("#description")),
		chromedp.SetValue(chromedp.CSS("#category"), "M4"),
		chromedp.SetValue(chromedp.CSS("#township"), "沁河镇"),
		chromedp.SetValue(chromedp.CSS("#village"), "沁河镇/沁河村"),
		chromedp.SendKeys(chromedp.CSS("#place"), "村东废弃井口"),
		chromedp.SendKeys(chromedp.CSS("#description"), "夜里有人在废弃井口偷挖煤，用三轮车运走"),
		chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{photo}),
		chromedp.Click(chromedp.CSS("form.tipform button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#receipt")),
	)
	receipt := strings.ReplaceAll(text("#receipt"), " ", "")
	if len(receipt) != 16 {
		t.Fatalf("receipt %q", receipt)
	}
	var tipID string
	if err := e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID); err != nil {
		t.Fatal(err)
	}

	// 2. the office verifies and approves a reward
	do("office login",
		chromedp.Navigate(base+"/staff/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "office1"),
		chromedp.SendKeys(chromedp.CSS("#password"), officePW),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("header form button")), // signed in
		chromedp.Navigate(base+"/staff/tips"),
		chromedp.Click(chromedp.CSS(`a[href="/staff/tips/`+tipID+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#new-status")),
		chromedp.SetValue(chromedp.CSS("#new-status"), "属实"),
		chromedp.SendKeys(chromedp.CSS("#note"), "现场核实：井口新挖，有运煤痕迹"),
		chromedp.Click(chromedp.CSS("#set-status")),
		chromedp.WaitVisible(chromedp.CSS("#approve")),
	)
	if s := text("#status"); s != "属实" {
		t.Fatalf("status after verification: %q", s)
	}
	do("approve reward",
		chromedp.WaitVisible(chromedp.CSS("#severity")),
		chromedp.SetValue(chromedp.CSS("#severity"), "一般"),
		chromedp.SendKeys(chromedp.CSS("#amount"), "8000"),
		chromedp.Click(chromedp.CSS("#approve")),
		chromedp.WaitVisible(chromedp.CSS("p.notice")),
		chromedp.Click(chromedp.CSS("header form button")), // sign out
		chromedp.WaitVisible(chromedp.CSS("#username")),
	)

	// 3. the citizen sees the amount and a claim code
	do("citizen status",
		chromedp.Navigate(base+"/status"),
		chromedp.SendKeys(chromedp.CSS("#receipt"), receipt),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("#reward-amount")),
	)
	if a := text("#reward-amount"); a != "8000.00" {
		t.Fatalf("amount %q", a)
	}
	claim := strings.ReplaceAll(text("#claim"), " ", "")

	// 4. finance records the payout against receipt and claim code
	do("finance payout",
		chromedp.Navigate(base+"/staff/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "finance1"),
		chromedp.SendKeys(chromedp.CSS("#password"), financePW),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("header form button")), // signed in
		chromedp.Navigate(base+"/staff/rewards"),
		chromedp.SendKeys(chromedp.CSS("#receipt"), receipt),
		chromedp.SendKeys(chromedp.CSS("#claim_code"), claim),
		chromedp.SendKeys(chromedp.CSS("#amount"), "8000"),
		chromedp.SendKeys(chromedp.CSS("#voucher"), "CZ-2023-0417"),
		chromedp.Click(chromedp.CSS("#pay")),
		chromedp.WaitVisible(chromedp.CSS("p.notice")),
	)
	if n := text("p.notice"); !strings.Contains(n, "已登记支付") {
		t.Fatalf("payout notice %q", n)
	}

	// 5. the citizen sees 已领取
	do("citizen paid",
		chromedp.Navigate(base+"/status"),
		chromedp.SendKeys(chromedp.CSS("#receipt"), receipt),
		chromedp.Click(chromedp.CSS("main form button")),
		chromedp.WaitVisible(chromedp.CSS("#paid")),
	)
	if s := text("#status"); s != "已领取" {
		t.Fatalf("final status %q", s)
	}

	// the stored photo has no EXIF, and is the same picture
	var fileID string
	if err := e.db.QueryRow(`SELECT file_id FROM tip_files WHERE tip_id = ? AND mime = 'image/jpeg'`, tipID).Scan(&fileID); err != nil {
		t.Fatal(err)
	}
	stored, err := os.ReadFile(filepath.Join(e.srv.tips.FilesDirPath(), fileID))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"Exif", "GPSLatitude", "CAM-SERIAL", "Canon"} {
		if bytes.Contains(stored, []byte(bad)) {
			t.Errorf("stored photo holds %q", bad)
		}
	}
	if _, err := sanitize.Check("again.jpg", stored, 1<<20, 1_000_000); err != nil {
		t.Errorf("stored photo no longer a valid JPEG: %v", err)
	}
	if n, f, err := audit.Verify(t.Context(), e.db); err != nil || len(f) > 0 {
		t.Fatalf("audit after the walk: %d %v %v", n, f, err)
	}
}
