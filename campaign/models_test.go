package campaign

import (
	"strings"
	"testing"
)

func TestModelsMemoryLimit(t *testing.T) {
	if got := Default().Models.MemoryLimitBytes(); got != 1<<30 {
		t.Errorf("default %d, want 1 GiB", got)
	}
	for _, c := range []struct {
		value string
		bytes int64
		msg   string
	}{
		{`"768MiB"`, 768 << 20, ""},
		{`"1.5 GiB"`, 3 << 29, ""},
		{`"2GB"`, 2e9, ""},
		{`"lots"`, 0, "不是内存大小"},
		{`"1 GiBs"`, 0, "不是内存大小"},
		{`"-1GiB"`, 0, "不是内存大小"},
		{`"GiB"`, 0, "不是内存大小"},
		{`"64MiB"`, 0, "太小"},
		{`"100KB"`, 0, "太小"},
	} {
		data := replace(t, "[reports]\n", "[models]\nmemory_limit = "+c.value+"\n\n[reports]\n")
		cfg, err := Parse("other.toml", data)
		if c.msg == "" {
			if err != nil {
				t.Errorf("%s: %v", c.value, err)
			} else if got := cfg.Models.MemoryLimitBytes(); got != c.bytes {
				t.Errorf("%s: %d bytes, want %d", c.value, got, c.bytes)
			}
			continue
		}
		errs := unwrapAll(err)
		if len(errs) != 1 || errs[0].Key != "models.memory_limit" || !strings.Contains(errs[0].Msg, c.msg) ||
			errs[0].Line != lineOf(t, data, "memory_limit = ") {
			t.Errorf("%s: got %v, want one refusal of models.memory_limit with %q on its line", c.value, err, c.msg)
		}
	}
}

func TestModelsThreads(t *testing.T) {
	if got := Default().Models.ThreadCount(); got != DefaultModelsThreads {
		t.Errorf("default %d threads, want %d", got, DefaultModelsThreads)
	}
	for _, c := range []struct {
		value   string
		threads int
		msg     string
	}{
		{"2", 2, ""},
		{"1", 1, ""},
		{"0", DefaultModelsThreads, ""},
		{"-1", 0, "不在 1 到 256 之间"},
		{"257", 0, "不在 1 到 256 之间"},
	} {
		data := replace(t, "[reports]\n", "[models]\nthreads = "+c.value+"\n\n[reports]\n")
		cfg, err := Parse("other.toml", data)
		if c.msg == "" {
			if err != nil {
				t.Errorf("%s: %v", c.value, err)
			} else if got := cfg.Models.ThreadCount(); got != c.threads {
				t.Errorf("%s: %d threads, want %d", c.value, got, c.threads)
			}
			continue
		}
		errs := unwrapAll(err)
		if len(errs) != 1 || errs[0].Key != "models.threads" || !strings.Contains(errs[0].Msg, c.msg) ||
			errs[0].Line != lineOf(t, data, "threads = ") {
			t.Errorf("%s: got %v, want one refusal of models.threads with %q on its line", c.value, err, c.msg)
		}
	}
}
