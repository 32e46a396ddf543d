// Package testtool finds the programs and files tests need (chromium, poppler's pdfinfo,
// pdftotext, pdffonts, the fonts of the browser tests), installing them with the project's own
// setup (.ci/install) when they are missing.
// A test that needs a program fails without it: it never passes by leaving its check out.
package testtool

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Installed is the path of the program name, running .ci/install first when it is not on PATH;
// the test fails if that does not help.
func Installed(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	install(t, name)
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s still missing after .ci/install: %v", name, err)
	}
	return p
}

// Files makes sure every file in paths exists (fonts, say), running .ci/install first when one
// is missing; the test fails if that does not help.
func Files(t testing.TB, paths ...string) {
	t.Helper()
	installed := false
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			continue
		}
		if !installed {
			install(t, p)
			installed = true
		}
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s still missing after .ci/install: %v", p, err)
		}
	}
}

// install runs the project's own setup, .ci/install, because what is named is missing.
func install(t testing.TB, what string) {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("%s missing, and no .ci/install to run: %v", what, err)
	}
	cmd := exec.Command("bash", filepath.Join(".ci", "install"))
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s missing and .ci/install failed: %v\n%s", what, err, out)
	}
}

// repoRoot is the nearest folder at or above the working directory holding go.mod.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// PDFText is the text of a PDF as poppler's pdftotext reads it (UTF-8, pages separated by form
// feeds); the test fails when pdftotext cannot be had or cannot read it.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	Installed(t, "pdftotext")
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
