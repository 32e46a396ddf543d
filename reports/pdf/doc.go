// Package pdf draws the reports' A4 documents with fpdf and the embedded CJK TrueType font
// (font.go): a running footer, headings and paragraphs, tables that repeat their header across
// pages, bar charts (chart.go), and Chinese line breaking with the line-start and line-end
// punctuation rules (Doc.Wrap). What a report says is the report's; how a page looks is here.
package pdf

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
	MarginL = 18.0
	marginR = 18.0
	marginT = 16.0
	marginB = 16.0
	BodyW   = pageW - MarginL - marginR
)

type RGB struct{ R, G, B int }

var (
	ColText     = RGB{33, 33, 33}
	ColMuted    = RGB{110, 110, 110}
	ColRule     = RGB{190, 190, 190}
	colHeadBg   = RGB{226, 232, 240}
	ColZebra    = RGB{247, 248, 250}
	ColTitle    = RGB{178, 34, 34}
	LevelColors = map[string]RGB{"red": {211, 47, 47}, "yellow": {240, 170, 0}, "green": {46, 125, 50}}
	// series colours of the charts, in order.
	Palette = []RGB{{31, 119, 180}, {255, 127, 14}, {44, 160, 44}, {214, 39, 40}, {148, 103, 189},
		{140, 86, 75}, {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}}
)

// Doc wraps an fpdf document with the embedded CJK font, a running footer and CJK-aware helpers.
type Doc struct {
	*fpdf.Fpdf
	footer string
}

func New(title, footer string, created time.Time) *Doc {
	f := fpdf.New("P", "mm", "A4", "")
	d := &Doc{Fpdf: f, footer: footer}
	f.SetCompression(true)
	f.SetMargins(MarginL, marginT, marginR)
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
		d.Color(ColMuted)
		f.SetXY(MarginL, pageH-marginB+4)
		f.CellFormat(BodyW/2, 4, Clean(d.footer), "", 0, "L", false, 0, "")
		f.CellFormat(BodyW/2, 4, fmt.Sprintf("第 %d 页 / 共 {nb} 页", f.PageNo()), "", 0, "R", false, 0, "")
	})
	return d
}

func (d *Doc) Color(c RGB)       { d.SetTextColor(c.R, c.G, c.B) }
func (d *Doc) Fill(c RGB)        { d.SetFillColor(c.R, c.G, c.B) }
func (d *Doc) Draw(c RGB)        { d.SetDrawColor(c.R, c.G, c.B) }
func (d *Doc) Font(size float64) { d.SetFont(fontFamily, "", size) }

// Bottom is the lowest y content may reach.
func (d *Doc) Bottom() float64 { return pageH - marginB }

// Ensure starts a new page unless h millimetres fit below the current position.
func (d *Doc) Ensure(h float64) bool {
	if d.GetY()+h > d.Bottom() {
		d.AddPage()
		return true
	}
	return false
}

// Heading writes a section Heading with a rule under it.
func (d *Doc) Heading(text string) {
	d.Ensure(22)
	d.Ln(3)
	d.Font(13)
	d.Color(ColTitle)
	d.SetX(MarginL)
	d.CellFormat(BodyW, 7, Clean(text), "", 1, "L", false, 0, "")
	d.Draw(ColTitle)
	d.SetLineWidth(0.4)
	y := d.GetY()
	d.Line(MarginL, y, MarginL+BodyW, y)
	d.SetLineWidth(0.2)
	d.Ln(2)
	d.Color(ColText)
}

// Para writes wrapped text at the current position over the body width.
func (d *Doc) Para(text string, size float64) {
	d.Font(size)
	lh := size * 0.5
	for _, line := range d.Wrap(text, BodyW) {
		d.Ensure(lh)
		d.SetX(MarginL)
		d.CellFormat(BodyW, lh, line, "", 1, "L", false, 0, "")
	}
}

// noBreakBefore are characters a line must not start with (行首禁则).
const noBreakBefore = "，。、；：？！）》」』】”’％,.;:?!)%"

// noBreakAfter are characters a line must not end with (行尾禁则).
const noBreakAfter = "（《「『【“‘("

// Wrap breaks text into lines no wider than w at the current font. Chinese has no spaces to break
// on, so it breaks between any two characters, keeps runs of Latin letters and digits together
// when they fit on a line, and keeps closing punctuation off the start of a line. fpdf's own
// MultiCell drops a character at each break of such text; this is why every wrapped cell goes
// through here.
func (d *Doc) Wrap(text string, w float64) []string {
	text = Clean(text)
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

// Fit shortens text with "…" until it fits in w at the current font.
func (d *Doc) Fit(text string, w float64) string {
	text = Clean(text)
	if d.GetStringWidth(text) <= w {
		return text
	}
	rs := []rune(text)
	for len(rs) > 0 && d.GetStringWidth(string(rs)+"…") > w {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}

// Column of a table.
type Column struct {
	Title string
	Width float64 // millimetres; the last column takes what is left when 0
	Align string  // L, C or R
	Wrap  bool    // wrap long text over several lines (else it is shortened with …)
}

// Cell of a table row: its text and, optionally, a fill colour and a text colour.
type Cell struct {
	Text string
	BG   *RGB
	FG   *RGB
}

// Table draws rows under a header, breaking across pages with the header repeated.
type Table struct {
	d    *Doc
	cols []Column
	size float64
	rowN int
}

func (d *Doc) NewTable(size float64, cols ...Column) *Table {
	used := 0.0
	for _, c := range cols {
		used += c.Width
	}
	for i := range cols {
		if cols[i].Width == 0 {
			cols[i].Width = BodyW - used
		}
	}
	t := &Table{d: d, cols: cols, size: size}
	d.Ensure(t.headerH() + 3*(size*0.48+1.6)) // the header with at least three rows
	t.header()
	return t
}

func (t *Table) lineH() float64 { return t.size * 0.48 }

func (t *Table) headerLines() [][]string {
	t.d.Font(t.size)
	out := make([][]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = t.d.Wrap(c.Title, c.Width-1.5)
	}
	return out
}

func (t *Table) headerH() float64 {
	n := 1
	for _, l := range t.headerLines() {
		n = max(n, len(l))
	}
	return float64(n)*t.lineH() + 2
}

func (t *Table) header() {
	d := t.d
	lines := t.headerLines()
	h := t.headerH()
	x, y := MarginL, d.GetY()
	d.Fill(colHeadBg)
	d.Draw(ColRule)
	d.Color(ColText)
	for i, c := range t.cols {
		d.Rect(x, y, c.Width, h, "FD")
		top := y + (h-float64(len(lines[i]))*t.lineH())/2
		for k, l := range lines[i] {
			d.SetXY(x+0.75, top+float64(k)*t.lineH())
			d.CellFormat(c.Width-1.5, t.lineH(), l, "", 0, "C", false, 0, "")
		}
		x += c.Width
	}
	d.SetXY(MarginL, y+h)
	t.rowN = 0
}

// Row draws one Row, starting a new page (and repeating the header) when it does not fit.
func (t *Table) Row(cells ...Cell) {
	d := t.d
	d.Font(t.size)
	lines := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		text := ""
		if i < len(cells) {
			text = cells[i].Text
		}
		if c.Wrap {
			lines[i] = d.Wrap(text, c.Width-1.5)
		} else {
			lines[i] = []string{d.Fit(text, c.Width-1.5)}
		}
		n = max(n, len(lines[i]))
	}
	h := float64(n)*t.lineH() + 1.6
	if d.GetY()+h > d.Bottom() {
		d.AddPage()
		t.header()
		d.Font(t.size)
	}
	x, y := MarginL, d.GetY()
	d.Draw(ColRule)
	for i, c := range t.cols {
		var cl Cell
		if i < len(cells) {
			cl = cells[i]
		}
		switch {
		case cl.BG != nil:
			d.Fill(*cl.BG)
			d.Rect(x, y, c.Width, h, "FD")
		case t.rowN%2 == 1:
			d.Fill(ColZebra)
			d.Rect(x, y, c.Width, h, "FD")
		default:
			d.Rect(x, y, c.Width, h, "D")
		}
		if cl.FG != nil {
			d.Color(*cl.FG)
		} else {
			d.Color(ColText)
		}
		top := y + (h-float64(len(lines[i]))*t.lineH())/2
		for k, l := range lines[i] {
			d.SetXY(x+0.75, top+float64(k)*t.lineH())
			d.CellFormat(c.Width-1.5, t.lineH(), l, "", 0, c.Align, false, 0, "")
		}
		x += c.Width
	}
	d.Color(ColText)
	d.SetXY(MarginL, y+h)
	t.rowN++
}

// Render writes the document, reporting fpdf's first error.
func (d *Doc) Render(w io.Writer) error {
	if err := d.Error(); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	if err := d.Output(w); err != nil {
		return fmt.Errorf("write pdf: %w", err)
	}
	return nil
}
