package qr

import (
	"strings"
	"testing"
)

// TestModules: the code of an authenticator address has the three finder patterns (7×7, dark
// ring, light ring, dark 3×3 core) in its corners, a size of a QR version (21 + 4k modules), and
// differs for another text.
func TestModules(t *testing.T) {
	text := "otpauth://totp/%E6%B2%81%E6%BA%90:office?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=%E6%B2%81%E6%BA%90&digits=6&period=30"
	bits, err := Modules(text)
	if err != nil {
		t.Fatal(err)
	}
	n := len(bits)
	if n < 21 || (n-21)%4 != 0 {
		t.Fatalf("%d modules a side", n)
	}
	finder := func(x0, y0 int) bool {
		for y := 0; y < 7; y++ {
			for x := 0; x < 7; x++ {
				ring := max(abs(x-3), abs(y-3))
				if want := ring != 2; bits[y0+y][x0+x] != want {
					return false
				}
			}
		}
		return true
	}
	if !finder(0, 0) || !finder(n-7, 0) || !finder(0, n-7) || finder(n-7, n-7) {
		t.Error("finder patterns are not in the three corners")
	}
	other, _ := Modules(strings.Replace(text, "JBSW", "KBSW", 1))
	if same(bits, other) {
		t.Error("another secret gives the same code")
	}
	svg, err := SVG(text, "扫码添加")
	if err != nil || !strings.HasPrefix(string(svg), "<svg") || !strings.Contains(string(svg), `aria-label="扫码添加"`) ||
		strings.Contains(string(svg), "otpauth") {
		t.Errorf("svg: %v %.200s", err, svg)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func same(a, b [][]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for y := range a {
		for x := range a[y] {
			if a[y][x] != b[y][x] {
				return false
			}
		}
	}
	return true
}
