package cliflag

import (
	"bytes"
	"flag"
	"strings"
	"testing"
	"time"
)

func TestMistakesAndListingInChinese(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-x"}, "未知选项 -x"},
		{[]string{"--n", "x"}, "选项 -n 的值“x”无效：应为整数"},
		{[]string{"-n=99999999999999999999"}, "选项 -n 的值“99999999999999999999”无效：超出范围"},
		{[]string{"-rate", "half"}, "选项 -rate 的值“half”无效：应为数"},
		{[]string{"-wait", "soon"}, "选项 -wait 的值“soon”无效：应为时长"},
		{[]string{"-on=maybe"}, "选项 -on 的值“maybe”无效：应为 true 或 false"},
		{[]string{"-name"}, "选项 -name 需要一个值"},
		{[]string{"---n"}, "选项写法有误：---n"},
	} {
		var out bytes.Buffer
		fs := New("bench tips", &out)
		fs.Int("n", 16, "客户端数")
		fs.Float64("rate", 0, "比例")
		fs.Duration("wait", time.Second, "等待")
		fs.Bool("on", false, "开关")
		fs.String("name", "", "`landwatch gen` 生成的目录")
		err := fs.Parse(tc.args)
		if err == nil {
			t.Fatalf("%v: no error", tc.args)
		}
		if got := Message(fs, err); !strings.HasPrefix(got, tc.want) {
			t.Errorf("%v: Message %q, want %q", tc.args, got, tc.want)
		}
		got := out.String()
		if !strings.HasPrefix(got, tc.want) || !strings.Contains(got, "用法：landwatch bench tips [选项]") {
			t.Errorf("%v: printed\n%s", tc.args, got)
		}
		for _, english := range []string{"flag", "Usage", "default", "invalid", "parse error"} {
			if strings.Contains(got, english) {
				t.Errorf("%v: printed %q:\n%s", tc.args, english, got)
			}
		}
	}
	var out bytes.Buffer
	fs := New("bench tips", &out)
	fs.Int("clients", 16, "同时提交的客户端数")
	fs.String("data", "", "`landwatch gen` 生成的目录")
	fs.Bool("readings", false, "只写用电数据")
	if err := fs.Parse([]string{"--help"}); err != flag.ErrHelp {
		t.Fatalf("--help: %v", err)
	}
	want := "用法：landwatch bench tips [选项]\n\n选项：\n" +
		"  --clients 整数\n    \t同时提交的客户端数（默认 16）\n" +
		"  --data 文本\n    \t`landwatch gen` 生成的目录\n" +
		"  --readings\n    \t只写用电数据\n"
	if out.String() != want {
		t.Errorf("--help printed\n%s\nwant\n%s", out.String(), want)
	}
}
