package main

import (
	"fmt"
	"log/slog"
	"time"
)

// seconds writes how long something took as people read it: 0.4 秒, 12.3 秒 (a Duration prints
// 441ms or 1m2.3s).
func seconds(d time.Duration) string { return fmt.Sprintf("%.1f 秒", d.Seconds()) }

// levelNames are the log levels in Chinese.
var levelNames = map[slog.Level]string{slog.LevelDebug: "调试", slog.LevelInfo: "信息", slog.LevelWarn: "警告", slog.LevelError: "错误"}

// chineseLog names a log line's own fields in Chinese (时间, 级别, 消息) for slog.HandlerOptions:
// 时间=2023-04-30T08:00:00 级别=警告 消息=… instead of time=… level=WARN msg=….
func chineseLog(groups []string, a slog.Attr) slog.Attr {
	if len(groups) > 0 {
		return a
	}
	switch a.Key {
	case slog.TimeKey:
		return slog.String("时间", a.Value.Time().Format("2006-01-02T15:04:05"))
	case slog.LevelKey:
		if l, ok := a.Value.Any().(slog.Level); ok {
			if name, ok := levelNames[l]; ok {
				return slog.String("级别", name)
			}
		}
		a.Key = "级别"
	case slog.MessageKey:
		a.Key = "消息"
	}
	return a
}
