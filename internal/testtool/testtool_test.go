package testtool

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRepoRoot(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".ci", "install")); err != nil {
		t.Fatalf("root %s: %v", root, err)
	}
}

func TestInstalled(t *testing.T) {
	if p := Installed(t, "bash"); p == "" {
		t.Fatal("bash not found")
	}
}
