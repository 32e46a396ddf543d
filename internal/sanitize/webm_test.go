package sanitize

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"landwatch/internal/sanitize/sanitizetest"
)

func TestStripWebM(t *testing.T) {
	in := testWebM()
	if ct := http.DetectContentType(in); ct != "video/webm" {
		t.Fatalf("fixture sniffed as %s", ct)
	}
	seg, info := ebmlTree(t, in)
	if fmt.Sprintf("%X", seg) != "[114D9B74 1549A966 1654AE6B 1F43B675 1C53BB6B 1254C367 1941A469]" || len(info) != 6 {
		t.Fatalf("fixture tree %X / %X", seg, info)
	}
	u, err := Check("v.webm", in, 1<<20, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	out := u.Data
	if len(out) != len(in) {
		t.Fatalf("stored %d bytes of %d", len(out), len(in))
	}
	sanitizetest.AssertNoSecrets(t, "WebM", out)
	if bytes.Contains(out, []byte("PHONE")) {
		t.Error("tags left")
	}
	seg, info = ebmlTree(t, out)
	if got := fmt.Sprintf("%X", seg); got != "[114D9B74 1549A966 1654AE6B 1F43B675 1C53BB6B EC EC]" {
		t.Errorf("stripped tree %s", got)
	}
	if got := fmt.Sprintf("%X", info); got != "[2AD7B1 EC EC EC EC 4489]" {
		t.Errorf("stripped Info %s", got)
	}
	if !bytes.Contains(out, []byte("frames")) || !bytes.Contains(out, []byte("V_VP8")) {
		t.Error("stripping removed the video itself")
	}
	// malformed: cut inside the Tags, a size overrunning the Segment, garbage after the header
	bad := map[string][]byte{
		"cut.webm":     in[:len(in)-40],
		"overrun.webm": append(append([]byte(nil), in...), 0x1F, 0x43, 0xB6, 0x75, 0x88, 0, 0, 0, 0, 0, 0, 0x10),
		"garbage.webm": append(append([]byte(nil), in[:60]...), bytes.Repeat([]byte{0}, 40)...),
	}
	for name, b := range bad {
		if http.DetectContentType(b) != "video/webm" {
			t.Fatalf("%s not sniffed as webm", name)
		}
		if _, err := Check(name, b, 1<<20, 1_000_000); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
