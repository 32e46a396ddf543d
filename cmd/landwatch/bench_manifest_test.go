package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// `bench manifest` loads a generated county's files other than readings and prints, in Chinese,
// each run's time and CPU per file and the medians' ratios to the 6 ms target.
func TestBenchManifest(t *testing.T) {
	data := filepath.Join("..", "..", "testdata", "tiny")
	out, errs, code := lw(t, "bench", "manifest", "--data", data, "--dir", t.TempDir(), "--repeat", "1")
	if code != 0 {
		t.Fatalf("bench manifest: %d\n%s\n%s", code, out, errs)
	}
	for _, re := range []string{`第1轮  \d+ 个文件，\s*[0-9.]+ 秒（CPU\s+[0-9.]+ 秒），每个文件\s+[0-9.]+ 毫秒（CPU\s+[0-9.]+ 毫秒）`,
		`中位数：[0-9.]+ 秒，每个文件 [0-9.]+ 毫秒（CPU [0-9.]+ 毫秒）；比值（÷ 目标每个文件 6 毫秒）：墙钟 [0-9.]+ 倍，CPU [0-9.]+ 倍；内存峰值 [0-9.]+ GiB`} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("bench manifest printed no line like %s:\n%s", re, out)
		}
	}
	// no English but the units and the data set's own path
	text := strings.ReplaceAll(out, data, "")
	for _, w := range regexp.MustCompile(`[A-Za-z]+`).FindAllString(text, -1) {
		if w != "CPU" && w != "GiB" {
			t.Errorf("bench manifest printed %q:\n%s", w, out)
		}
	}
	empty := t.TempDir()
	if _, errs, code := lw(t, "bench", "manifest", "--data", empty, "--dir", t.TempDir()); code == 0 ||
		!strings.Contains(errs, empty+" 中没有可读的 manifest.json") || strings.Contains(errs, "no such file") {
		t.Errorf("a directory without manifest.json: exit %d\n%s", code, errs)
	}
}
