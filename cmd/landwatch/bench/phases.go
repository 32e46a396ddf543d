package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// phaseWords are the load's phase timings (the debug record etl/power/power.go writes when a
// readings file is in) as the bench shows them; the record's other attributes are left out.
var phaseWords = []struct{ key, word string }{
	{"read", "读取解析"}, {"read cpu", "其 CPU"},
	{"check", "核对"},
	{"meter-days", "电表日汇总"}, {"meter-days cpu", "其 CPU"},
	{"commit", "提交"}, {"commit cpu", "其 CPU"},
}

// phaseHandler prints each load's phase timings as one Chinese line ("  各阶段：读取解析 2.30 秒，
// 其 CPU 4.35 秒，…") instead of the English key=value text a log handler would write.
type phaseHandler struct {
	mu *sync.Mutex
	w  io.Writer
}

func newPhaseLogger(w io.Writer) *slog.Logger {
	return slog.New(phaseHandler{mu: &sync.Mutex{}, w: w})
}

func (phaseHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h phaseHandler) Handle(_ context.Context, r slog.Record) error {
	got := map[string]time.Duration{}
	r.Attrs(func(a slog.Attr) bool {
		if a.Value.Kind() == slog.KindDuration {
			got[a.Key] = a.Value.Duration()
		}
		return true
	})
	var parts []string
	for _, p := range phaseWords {
		if d, ok := got[p.key]; ok {
			parts = append(parts, fmt.Sprintf("%s %.2f 秒", p.word, d.Seconds()))
		}
	}
	if len(parts) == 0 {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := fmt.Fprintf(h.w, "      各阶段：%s\n", strings.Join(parts, "，"))
	return err
}

func (h phaseHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h phaseHandler) WithGroup(string) slog.Handler      { return h }
