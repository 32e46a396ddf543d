package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoQuietLogChinese: a line logged while the demo's output goes to its log file (init's
// warning about stored boundaries, say) is written with the Chinese keys of the terminal's log.
func TestDemoQuietLogChinese(t *testing.T) {
	dir := t.TempDir()
	var term strings.Builder
	a := &app{stdout: &term, stderr: &term}
	if _, closeLog, err := a.demoQuiet(dir); err != nil {
		t.Fatal(err)
	} else {
		a.log.Warn("已存的乡镇边界与配置不符，请运行 init --boundaries", "乡镇", "郭道镇")
		closeLog()
	}
	raw, err := os.ReadFile(filepath.Join(dir, demoLogName))
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(raw))
	for _, want := range []string{"时间=", "级别=警告", `消息="已存的乡镇边界与配置不符`, "乡镇=郭道镇"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q lacks %q", line, want)
		}
	}
	for _, english := range []string{"time=", "level=", "msg=", "WARN"} {
		if strings.Contains(line, english) {
			t.Errorf("log line %q has %q", line, english)
		}
	}
}
