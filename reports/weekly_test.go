package reports

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pdfText runs pdftotext (poppler-utils) on the PDF; the test is skipped when it is missing.
func pdfText(t *testing.T, pdf []byte, layout bool) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	f := filepath.Join(t.TempDir(), "b.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-enc", "UTF-8"}
	if layout {
		args = append(args, "-layout")
	}
	out, err := exec.Command("pdftotext", append(args, f, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestWeeklyRenders(t *testing.T) {
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := Weekly(context.Background(), db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/weekly.pdf", buf.Bytes(), 0o644)
	txt := pdfText(t, buf.Bytes(), false)
	if !strings.Contains(txt, "工作周报") {
		t.Errorf("no title in %q", txt[:min(200, len(txt))])
	}
}
