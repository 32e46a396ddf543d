// Package cliflag gives the command line's flag sets (cmd/landwatch and cmd/landwatch/bench) a
// Chinese voice: the standard library's flag package lists flags (“Usage of …”, “(default 16)”)
// and reports mistakes (“flag provided but not defined: -x”) in English, and landwatch's users
// read Chinese. New makes a flag set whose listing and errors are Chinese; Message turns an error
// its Parse returned into the Chinese sentence.
package cliflag

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// New returns a flag set for `landwatch name` that stops at the first mistake (Parse returns
// it; the callers exit 2) and writes, on out, a mistake as a Chinese sentence followed by the
// Chinese listing of its flags, and the listing alone for --help. Give io.Discard when the
// caller prints both itself.
func New(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	Chinese(fs, out)
	return fs
}

// Chinese makes a flag set made by flag.NewFlagSet(…, flag.ContinueOnError) behave as one New
// made: its mistakes and its listing are written in Chinese on out.
func Chinese(fs *flag.FlagSet, out io.Writer) {
	fs.SetOutput(&writer{fs: fs, out: out})
	fs.Usage = func() { Usage(out, fs) }
}

// Usage writes the listing of fs: “用法：landwatch name [选项]” and each flag with its Chinese
// description and its default.
func Usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "用法：landwatch %s [选项]\n\n", fs.Name())
	PrintFlags(w, fs)
}

// PrintFlags writes “选项：” and, for each flag of fs, its name, the kind of value it takes, its
// description and its default (none shown for empty, false and 0).
func PrintFlags(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, "选项：")
	fs.VisitAll(func(f *flag.Flag) {
		fmt.Fprintf(w, "  --%s", f.Name)
		if k := Kind(f); k != "" {
			fmt.Fprintf(w, " %s", k)
		}
		fmt.Fprintf(w, "\n    \t%s", f.Usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, "（默认 %s）", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// kinds name, in Chinese, the value each of the flag package's kinds of flag takes.
var kinds = map[string]string{"string": "文本", "int": "整数", "uint": "整数", "float": "数值",
	"duration": "时长", "value": "值", "": ""}

// Kind is the Chinese name of the value f takes: 文本, 整数, 数值, 时长, 值; empty for a switch.
func Kind(f *flag.Flag) string {
	// UnquoteUsage would take a `quoted` word of the description as the value's name: ask it
	// about the value alone.
	k, _ := flag.UnquoteUsage(&flag.Flag{Name: f.Name, Value: f.Value})
	return kinds[k]
}

// expect says what a value of the kind should look like.
var expect = map[string]string{"整数": "应为整数", "数值": "应为数，如 0.5", "时长": "应为时长，如 90s、5m、2h",
	"": "应为 true 或 false"}

// Message is the Chinese sentence for an error fs.Parse returned: 未知选项 -x, 选项 -n 的值“x”无效：
// 应为整数, and so on. An error from a flag's own Set (already Chinese) is kept as it is.
func Message(fs *flag.FlagSet, err error) string {
	if errors.Is(err, flag.ErrHelp) {
		return "请求显示说明"
	}
	return translate(fs, err.Error())
}

// translate turns one message of the flag package into Chinese; a message it does not know is
// returned as it is.
func translate(fs *flag.FlagSet, msg string) string {
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return fmt.Sprintf("未知选项 -%s", name)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return fmt.Sprintf("选项 -%s 需要一个值", name)
	}
	if s, ok := strings.CutPrefix(msg, "bad flag syntax: "); ok {
		return fmt.Sprintf("选项写法有误：%s", s)
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if v, name, why, ok := invalid(rest, " for flag -"); ok {
			return valueMessage(fs, v, name, why)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if v, name, _, ok := invalid(rest, " for -"); ok {
			return fmt.Sprintf("选项 -%s 的值“%s”无效：应为 true 或 false", name, v)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean flag "); ok {
		name, _, _ := strings.Cut(rest, ":")
		return fmt.Sprintf("选项 -%s 的值无效：应为 true 或 false", name)
	}
	return msg
}

// invalid splits `"v" <sep>name: why` into its value, the flag's name and the reason.
func invalid(rest, sep string) (v, name, why string, ok bool) {
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return "", "", "", false
	}
	if v, err = strconv.Unquote(q); err != nil {
		return "", "", "", false
	}
	after, ok := strings.CutPrefix(rest[len(q):], sep)
	if !ok {
		return "", "", "", false
	}
	name, why, _ = strings.Cut(after, ": ")
	return v, name, why, true
}

// valueMessage says why the value v of the flag name was refused.
func valueMessage(fs *flag.FlagSet, v, name, why string) string {
	head := fmt.Sprintf("选项 -%s 的值“%s”无效", name, v)
	f := fs.Lookup(name)
	if f == nil {
		return head
	}
	k := Kind(f)
	switch {
	case why == "value out of range":
		return head + "：超出范围"
	case why == "parse error":
		if e, ok := expect[k]; ok {
			return head + "：" + e
		}
		return head
	case why != "":
		return head + "：" + why
	}
	return head
}

// writer is a flag set's output: the flag package writes each mistake on it as one line, which
// it writes in Chinese to out.
type writer struct {
	fs  *flag.FlagSet
	out io.Writer
}

func (w *writer) Write(p []byte) (int, error) {
	msg := strings.TrimSuffix(string(p), "\n")
	if _, err := fmt.Fprintln(w.out, translate(w.fs, msg)); err != nil {
		return 0, err
	}
	return len(p), nil
}
