package main

import (
	"regexp"
	"strings"
	"testing"
)

// `bench load` prints both references, the load, its phases and the ratios; nothing on the
// terminal is a log line or an English word but the names of DuckDB's own things.
func TestBenchLoad(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := lw(t, "bench", "load", "--rows", "20000", "--dir", dir, "--repeat", "1")
	if code != 0 {
		t.Fatalf("bench load: %d\n%s\n%s", code, out, errs)
	}
	for _, re := range []string{`第1轮  landwatch 导入读数：20000 行`, `各阶段：读取解析 [0-9.]+ 秒，其 CPU [0-9.]+ 秒，核对 [0-9.]+ 秒`,
		`比值（landwatch ÷ read_csv 户号按数字）：导入含电表日汇总 CPU [0-9.]+×`} {
		if !regexp.MustCompile(re).MatchString(out + errs) {
			t.Errorf("bench load printed no line like %s:\n%s%s", re, out, errs)
		}
	}
	text := strings.ReplaceAll(out+errs, dir, "")
	allowed := map[string]bool{"landwatch": true, "read_csv": true, "DuckDB": true, "CPU": true, "GiB": true, "GB": true,
		"VARCHAR": true, "memory_limit": true, "source_row": true, "csv": true, "SHA": true, "warehouse": true,
		"aggregates": true, "agg_power_meter_days": true, "SQL": true, "sql": true, "readings": true}
	for _, w := range regexp.MustCompile(`[A-Za-z_]+`).FindAllString(text, -1) {
		if !allowed[w] {
			t.Errorf("bench load printed %q:\n%s%s", w, out, errs)
		}
	}
}

// An operation's --help lists that operation's options once, and the command ends well; the
// whole bench's usage is for a wrong operation.
func TestBenchOperationHelp(t *testing.T) {
	for _, op := range []string{"load", "manifest", "models", "tips"} {
		out, errs, code := lw(t, "bench", op, "--help")
		text := out + errs
		if code != 0 || strings.Count(text, "用法：") != 1 || !strings.Contains(text, "用法：landwatch bench "+op) {
			t.Errorf("bench %s --help: exit %d\n%s", op, code, text)
		}
	}
}
