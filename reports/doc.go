package reports

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// Page geometry of every PDF (A4 portrait, millimetres).
const (
	pageW   = 210.0
	pageH   = 297.0
	marginL = 18.0
	marginR = 18.0
	marginT = 16.0
	marginB = 16.0
	bodyW   = pageW - marginL - marginR
)

type rgb struct{ r, g, b int }

var (
	colText   = rgb{33, 33, 33}
	colMuted  = rgb{110, 110, 110}
	colRule   = rgb{190, 190, 190}
	colHeadBg = rgb{226, 232, 240}
	colZebra  = rgb{247, 248, 250}
	colTitle  = rgb{178, 34, 34}
	levelCol  = map[string]rgb{"red": {211, 47, 47}, "yellow": {240, 170, 0}, "green": {46, 125, 50}}
	// series colours of the charts, in order.
	palette = []rgb{{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189},
		{140, 86, 75}, {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}}
)

// doc wraps an fpdf document with the embedded CJK font, a running footer and CJK-aware helpers.
type doc struct {
	*fpdf.Fpdf
	footer string
}

func newDoc(title, footer string, created time.Time) *doc {
	f := fpdf.New("P", "mm", "A4", "")
	d := &doc{Fpdf: f, footer: footer}
	f.SetCompression(true)
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(false, marginB)
	f.AddUTF8FontFromBytes(fontFamily, "", fontTTF)
	f.SetTitle(title, true)
	f.SetCreator("landwatch", true)
	f.SetProducer("landwatch (fpdf)", true)
	f.SetLang("zh-CN")
	f.SetCreationDate(created)
	f.SetModificationDate(created)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetFont(fontFamily, "", 8)
		d.color(colMuted)
		f.SetXY(marginL, pageH-marginB+4)
		f.CellFormat(bodyW/2, 4, clean(d.footer), "", 0, "L", false, 0, "")
		f.CellFormat(bodyW/2, 4, fmt.Sprintf("第 %d 页 / 共 {nb} 页", f.PageNo()), "", 0, "R", false, 0, "")
	})
	return d
}

func (d *doc) color(c rgb)       { d.SetTextColor(c.r, c.g, c.b) }
func (d *doc) fill(c rgb)        { d.SetFillColor(c.r, c.g, c.b) }
func (d *doc) draw(c rgb)        { d.SetDrawColor(c.r, c.g, c.b) }
func (d *doc) font(size float64) { d.SetFont(fontFamily, "", size) }

// bottom is the lowest y content may reach.
func (d *doc) bottom() float64 { return pageH - marginB }

// ensure starts a new page unless h millimetres fit below the current position.
func (d *doc) ensure(h float64) bool {
	if d.GetY()+h > d.bottom() {
		d.AddPage()
		return true
	}
	return false
}

// heading writes a section heading with a rule under it.
func (d *doc) heading(text string) {
	d.ensure(22)
	d.Ln(3)
	d.font(13)
	d.color(colTitle)
	d.SetX(marginL)
	d.CellFormat(bodyW, 7, clean(text), "", 1, "L", false, 0, "")
	d.draw(colTitle)
	d.SetLineWidth(0.4)
	y := d.GetY()
	d.Line(marginL, y, marginL+bodyW, y)
	d.SetLineWidth(0.2)
	d.Ln(2)
	d.color(colText)
}

// para writes wrapped text at the current position over the body width.
func (d *doc) para(text string, size float64) {
	d.font(size)
	lh := size * 0.5
	for _, line := range d.wrap(text, bodyW) {
		d.ensure(lh)
		d.SetX(marginL)
		d.CellFormat(bodyW, lh, line, "", 1, "L", false, 0, "")
	}
}

// noBreakBefore are characters a line must not start with (行首禁则).
const noBreakBefore = "，。、；：？！）》」』】”’％,.;:?!)%"

// noBreakAfter are characters a line must not end with (行尾禁则).
const noBreakAfter = "（《「『【“‘("

// wrap breaks text into lines no wider than w at the current font. Chinese has no spaces to break
// on, so it breaks between any two characters, keeps runs of Latin letters and digits together
// when they fit on a line, and keeps closing punctuation off the start of a line. fpdf's own
// MultiCell drops a character at each break of such text; this is why every wrapped cell goes
// through here.
func (d *doc) wrap(text string, w float64) []string {
	text = clean(text)
	if text == "" {
		return []string{""}
	}
	// Split into units: a run of ASCII letters/digits/punctuation without spaces, or one rune.
	var units []string
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r < 0x80 && r != ' ' {
			j := i
			for j < len(text) && text[j] < 0x80 && text[j] != ' ' {
				j++
			}
			units = append(units, text[i:j])
			i = j
			continue
		}
		units = append(units, text[i:i+n])
		i += n
	}
	var lines []string
	var cur strings.Builder
	curW := 0.0
	flush := func() {
		lines = append(lines, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	for k := 0; k < len(units); k++ {
		u := units[k]
		uw := d.GetStringWidth(u)
		if curW+uw <= w || cur.Len() == 0 && uw <= w {
			if cur.Len() == 0 && u == " " {
				continue
			}
			cur.WriteString(u)
			curW += uw
			continue
		}
		if uw > w { // a unit wider than a line: break it by rune
			for _, r := range u {
				rw := d.GetStringWidth(string(r))
				if curW+rw > w && cur.Len() > 0 {
					flush()
				}
				cur.WriteRune(r)
				curW += rw
			}
			continue
		}
		// Keep closing punctuation with the character before it, and opening punctuation with
		// the character after it, by moving the last rune down.
		r, _ := utf8.DecodeRuneInString(u)
		s := cur.String()
		carry := ""
		for k := 0; k < 3; k++ {
			last, ln := utf8.DecodeLastRuneInString(s)
			first, _ := utf8.DecodeRuneInString(carry + u)
			if k > 0 && !strings.ContainsRune(noBreakBefore, first) {
				break
			}
			if k == 0 && !strings.ContainsRune(noBreakBefore, r) && !strings.ContainsRune(noBreakAfter, last) {
				break
			}
			if utf8.RuneCountInString(s) <= 1 {
				break
			}
			carry = s[len(s)-ln:] + carry
			s = s[:len(s)-ln]
		}
		cur.Reset()
		cur.WriteString(s)
		flush()
		cur.WriteString(carry)
		curW = d.GetStringWidth(carry)
		if u == " " {
			continue
		}
		cur.WriteString(u)
		curW += uw
	}
	if cur.Len() > 0 {
		flush()
	}
	return lines
}

// fit shortens text with "…" until it fits in w at the current font.
func (d *doc) fit(text string, w float64) string {
	text = clean(text)
	if d.GetStringWidth(text) <= w {
		return text
	}
	rs := []rune(text)
	for len(rs) > 0 && d.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// column of a table.
type column struct {
	title string
	width float64 // millimetres; the last column takes what is left when 0
	align string  // L, C or R
	wrap  bool    // wrap long text over several lines (else it is shortened with …)
}

// cell of a table row: its text and, optionally, a fill colour and a text colour.
type cell struct {
	text string
	bg   *rgb
	fg   *rgb
}

// table draws rows under a header, breaking across pages with the header repeated.
type table struct {
	d    *doc
	cols []column
	size float64
	rowN int
}

func (d *doc) newTable(size float64, cols ...column) *table {
	used := 0.0
	for _, c := range cols {
		used += c.width
	}
	for i := range cols {
		if cols[i].width == 0 {
			cols[i].width = bodyW - used
		}
	}
	t := &table{d: d, cols: cols, size: size}
	d.ensure(t.headerH() + 3*(size*0.48+1.6)) // the header with at least three rows
	t.header()
	return t
}

func (t *table) lineH() float64 { return t.size * 0.48 }

func (t *table) headerLines() [][]string {
	t.d.font(t.size)
	out := make([][]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = t.d.wrap(c.title, c.width-1.5)
	}
	return out
}

func (t *table) headerH() float64 {
	n := 1
	for _, l := range t.headerLines() {
		n = max(n, len(l))
	}
	return float64(n)*t.lineH() + 2
}

func (t *table) header() {
	d := t.d
	lines := t.headerLines()
	h := t.headerH()
	x, y := marginL, d.GetY()
	d.fill(colHeadBg)
	d.draw(colRule)
	d.color(colText)
	for i, c := range t.cols {
		d.Rect(x, y, c.width, h, "FD")
		top := y + (h-float64(len(lines[i]))*t.lineH())/2
		for k, l := range lines[i] {
			d.SetXY(x+0.75, top+float64(k)*t.lineH())
			d.CellFormat(c.width-1.5, t.lineH(), l, "", 0, "C", false, 0, "")
		}
		x += c.width
	}
	d.SetXY(marginL, y+h)
	t.rowN = 0
}

// row draws one row, starting a new page (and repeating the header) when it does not fit.
func (t *table) row(cells ...cell) {
	d := t.d
	d.font(t.size)
	lines := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		text := ""
		if i < len(cells) {
			text = cells[i].text
		}
		if c.wrap {
			lines[i] = d.wrap(text, c.width-1.5)
		} else {
			lines[i] = []string{d.fit(text, c.width-1.5)}
		}
		n = max(n, len(lines[i]))
	}
	h := float64(n)*t.lineH() + 1.6
	if d.GetY()+h > d.bottom() {
		d.AddPage()
		t.header()
		d.font(t.size)
	}
	x, y := marginL, d.GetY()
	d.draw(colRule)
	for i, c := range t.cols {
		var cl cell
		if i < len(cells) {
			cl = cells[i]
		}
		switch {
		case cl.bg != nil:
			d.fill(*cl.bg)
			d.Rect(x, y, c.width, h, "FD")
		case t.rowN%2 == 1:
			d.fill(colZebra)
			d.Rect(x, y, c.width, h, "FD")
		default:
			d.Rect(x, y, c.width, h, "D")
		}
		if cl.fg != nil {
			d.color(*cl.fg)
		} else {
			d.color(colText)
		}
		top := y + (h-float64(len(lines[i]))*t.lineH())/2
		for k, l := range lines[i] {
			d.SetXY(x+0.75, top+float64(k)*t.lineH())
			d.CellFormat(c.width-1.5, t.lineH(), l, "", 0, c.align, false, 0, "")
		}
		x += c.width
	}
	d.color(colText)
	d.SetXY(marginL, y+h)
	t.rowN++
}

// output writes the document, reporting fpdf's first error.
func (d *doc) output(w io.Writer) error {
	if err := d.Error(); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	if err := d.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}
