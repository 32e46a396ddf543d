package pdf

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"landwatch/campaign"
	"landwatch/internal/testtool"
)

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func TestWrapKeepsEveryCharacter(t *testing.T) {
	d := New("t", "", time.Now())
	d.AddPage()
	d.Font(9)
	text := "沁河镇应排漏排3处；整改不到位2项；属地新增1处；巡查缺2周。问题编号P-沁河镇-20230310-12（备注：WP2023030001），已移送县公安局。" + strings.Repeat("非法采矿", 20)
	for _, w := range []float64{20, 33.3, 60, 174} {
		lines := d.Wrap(text, w)
		if got := strings.Join(lines, ""); got != text {
			t.Errorf("width %g: wrapped text lost characters:\n got %q\nwant %q", w, got, text)
		}
		for _, l := range lines {
			if d.GetStringWidth(l) > w+0.01 {
				t.Errorf("width %g: line %q is %.1f wide", w, l, d.GetStringWidth(l))
			}
			if r := []rune(l); len(r) > 0 && strings.ContainsRune(noBreakBefore, r[0]) {
				t.Errorf("width %g: line starts with closing punctuation: %q", w, l)
			}
		}
	}
}

func TestFontCoversConfiguredNames(t *testing.T) {
	cfg := campaign.Default()
	var all strings.Builder
	all.WriteString("0123456789%—；：（）、。·↑↓□" + cfg.County.Name + cfg.Campaign.Name)
	for _, tw := range cfg.Townships {
		all.WriteString(tw.Name + strings.Join(tw.Villages, ""))
	}
	for _, c := range cfg.Categories {
		all.WriteString(c.Name + c.Plain)
	}
	for _, r := range all.String() {
		if !covered(r) {
			t.Errorf("font lacks %q (U+%04X)", r, r)
		}
	}
	if got := Clean("a–b ¥5 圐圙"); got != "a-b 元5 □□" {
		t.Errorf("clean: %q", got)
	}
}

// TestTableRepeatsHeader draws a long table and finds its header on every page.
func TestTableRepeatsHeader(t *testing.T) {
	d := New("t", "footer", time.Now())
	d.AddPage()
	tb := d.NewTable(8, Column{Title: "序号", Width: 15, Align: "C"}, Column{Title: "问题及原因", Width: 0, Align: "L", Wrap: true})
	for i := 0; i < 150; i++ {
		tb.Row(Cell{Text: strconv.Itoa(i + 1)}, Cell{Text: strings.Repeat("应排漏排3处；整改不到位2项；", 1+i%4)})
	}
	var buf bytes.Buffer
	if err := d.Render(&buf); err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(testtool.PDFText(t, buf.Bytes()), "\f")
	n := 0
	for _, p := range pages {
		if strings.TrimSpace(p) == "" {
			continue
		}
		n++
		if !strings.Contains(p, "问题及原因") {
			t.Errorf("page %d has no table header", n)
		}
	}
	if n < 3 {
		t.Errorf("only %d pages", n)
	}
	if txt := squash(strings.Join(pages, "")); !strings.Contains(txt, "150"+strings.Repeat("应排漏排3处；整改不到位2项；", 2)) {
		t.Error("last row missing or broken")
	}
}
