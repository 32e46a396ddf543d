package read

import (
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestParseDate(t *testing.T) {
	d := func(y, m, day int) time.Time { return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2023-03-05", d(2023, 3, 5), true}, {"2023.3.5", d(2023, 3, 5), true}, {"2023/3/5", d(2023, 3, 5), true},
		{"2023年3月5日", d(2023, 3, 5), true}, {"2023 年 3 月 5 日", d(2023, 3, 5), true}, {"3月5日", d(2023, 3, 5), true},
		{"20230305", d(2023, 3, 5), true}, {"44990", d(2023, 3, 5), true}, {"44990.75", d(2023, 3, 5), true},
		{"2023-03-05 14:00:00", d(2023, 3, 5), true}, {"２０２３－０３－０５", d(2023, 3, 5), true},
		{"2023-02-30", time.Time{}, false}, {"2023-13-01", time.Time{}, false}, {"3月32日", time.Time{}, false},
		{"12", time.Time{}, false}, {"abc", time.Time{}, false}, {"", time.Time{}, false},
	} {
		got, ok := ParseDate(c.in, 2023)
		if ok != c.ok || !got.Equal(c.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	if _, ok := ParseDate("3月5日", 0); ok {
		t.Error("3月5日 without a year was accepted")
	}
}

func TestParseNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12", 12, true}, {"-3.5", -3.5, true}, {"1,234.5", 1234.5, true}, {"12,345,678", 12345678, true},
		{"１２.５", 12.5, true}, {"3.2亩", 3.2, true}, {"50000元", 50000, true}, {"1,23", 0, false}, {"NaN", 0, false},
		{"Inf", 0, false}, {"0x10", 0, false}, {"", 0, false}, {"十二", 0, false},
	} {
		got, ok := ParseNumber(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestDecodeText(t *testing.T) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("户号,乡镇\n1,郭道镇\n")
	for _, c := range []struct {
		in, enc string
	}{
		{"\uFEFF户号,乡镇\n1,郭道镇\n", "UTF-8 BOM"}, {"户号,乡镇\n1,郭道镇\n", "UTF-8"}, {gb, "GB18030"},
	} {
		text, enc, err := decodeText([]byte(c.in))
		if err != nil || enc != c.enc || text != "户号,乡镇\n1,郭道镇\n" {
			t.Errorf("decode as %s: %q, %s, %v", c.enc, text, enc, err)
		}
	}
	if _, _, err := decodeText([]byte{0xFF, 0xFE, 'a', 0}); err == nil {
		t.Error("UTF-16 accepted")
	}
}

func TestNoneMarkers(t *testing.T) {
	for _, s := range []string{"", "无", " 无隐患 ", "未发现", "没有", "/", "-", "—"} {
		if !IsNoneMarker(s) {
			t.Errorf("%q is a none-marker", s)
		}
	}
	for _, s := range []string{"无证开采", "发现竖井", "没有审批手续擅自建房"} {
		if IsNoneMarker(s) {
			t.Errorf("%q is a finding", s)
		}
	}
}
