package oserr

import (
	"regexp"
	"strings"
)

// An error that reached a message as text (fmt's %v, a page's err.Error()) is no longer an error
// value; Words finds Go's texts of the OS's errors in it by their shape:
//
//	open /a/b.csv: no such file or directory                       fs.PathError
//	listen tcp 127.0.0.1:8080: bind: address already in use         net.OpError
//	…: permission denied                                             a bare errno ending a line
var (
	errnoTexts = func() string {
		var alt []string
		for _, r := range reasons {
			alt = append(alt, regexp.QuoteMeta(r.errno.Error()))
		}
		return strings.Join(alt, "|")
	}()
	opNames = func() string {
		var alt []string
		for k := range ops {
			alt = append(alt, regexp.QuoteMeta(k))
		}
		return strings.Join(alt, "|")
	}()
	pathText  = regexp.MustCompile(`\b(` + opNames + `) (\S(?:[^:：\n]*?\S)?): (` + errnoTexts + `)\b`)
	netText   = regexp.MustCompile(`\b(listen|dial|accept|read|write) (?:tcp|udp|unix|ip)[46]? (\S+): (?:[a-z]+: )?(` + errnoTexts + `)\b`)
	errnoTail = regexp.MustCompile(`(?m)(\s*:\s*|：|^)(` + errnoTexts + `)$`)
)

// Words is msg with Go's and DuckDB's texts of the OS's errors in it written in Chinese, naming
// the path, as Text writes them from the error values; everything else is left as it is.
func Words(msg string) string {
	msg = duckText(msg)
	msg = netText.ReplaceAllStringFunc(msg, func(m string) string {
		p := netText.FindStringSubmatch(m)
		return op(p[1]) + " " + p[2] + "：" + strerror(p[3])
	})
	msg = pathText.ReplaceAllStringFunc(msg, func(m string) string {
		p := pathText.FindStringSubmatch(m)
		r := strerror(p[3])
		if p[1] == "mkdir" && r == "不存在" {
			r = "上级目录不存在"
		}
		return op(p[1]) + " " + p[2] + "：" + r
	})
	return errnoTail.ReplaceAllStringFunc(msg, func(m string) string {
		p := errnoTail.FindStringSubmatch(m)
		if p[1] == "" {
			return strerror(p[2]) // a line of its own (errors.Join)
		}
		return "：" + strerror(p[2])
	})
}
