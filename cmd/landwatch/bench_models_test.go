package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// `bench tips` stores every tip it sends through the real server and prints both ratios; `bench
// models` builds the models beside the bare aggregate and prints their ratio. Neither leaves its
// scratch files behind.
func TestBenchTipsAndModels(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := lw(t, "bench", "tips", "--clients", "3", "--tips", "7", "--repeat", "1", "--dir", dir)
	if code != 0 {
		t.Fatalf("bench tips: %d %s %s", code, out, errs)
	}
	if !regexp.MustCompile(`第 1 轮  7 条举报，.*比值 \d+%；按 CPU 时间 \d+%`).MatchString(out) || !strings.Contains(out, "中位数：") {
		t.Errorf("bench tips printed:\n%s", out)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("bench tips left %d files in %s", len(left), dir)
	}
	db := initDB(t)
	out, errs, code = lw(t, "--db", db, "bench", "models", "--repeat", "1")
	if code != 0 || !strings.Contains(out, "模型计算：") || !regexp.MustCompile(`比值 [0-9.]+ 倍（墙钟）`).MatchString(out) {
		t.Fatalf("bench models: %d %s %s", code, out, errs)
	}
	// the models that took the most processor time, building and tests apart
	if !regexp.MustCompile(`处理器时间（中位数）：建模型 [0-9.]+ 秒，数据测试 [0-9.]+ 秒.*最多的 12 个模型：\n  \w+ +建 +[0-9.]+ 秒  测试 +[0-9.]+ 秒`).MatchString(out) {
		t.Errorf("bench models lists no models:\n%s", out)
	}
	if _, _, code := lw(t, "--db", filepath.Join(dir, "none.duckdb"), "bench", "models", "--as-of", "30/04"); code != 2 {
		t.Errorf("a bad --as-of: exit %d, want 2", code)
	}
}
