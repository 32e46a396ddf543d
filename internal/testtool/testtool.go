// Package testtool finds the programs tests need (chromium, poppler's pdfinfo, pdftotext,
// pdffonts), installing them with the project's own setup (.ci/install) when they are missing.
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
	root, err := repoRoot()
	if err != nil {
		t.Fatalf("%s missing, and no .ci/install to run: %v", name, err)
	}
	cmd := exec.Command("bash", filepath.Join(".ci", "install"))
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s missing and .ci/install failed: %v\n%s", name, err, out)
	}
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s still missing after .ci/install: %v", name, err)
	}
	return p
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
