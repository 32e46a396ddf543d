package pdf

import (
	_ "embed"
	"encoding/binary"
	"strings"
	"sync"
)

// The briefing font: AR PL SungtiL GB (文鼎ＰＬ简报宋), a Song face covering GB 2312 and Latin, as a
// TrueType file (fpdf embeds glyf outlines; .ttc and CFF-flavoured .otf do not work). Its licence,
// the Arphic Public License, is in fonts/LICENSE-ARPHICPL.txt next to it.
//
//go:embed fonts/gbsn00lp.ttf
var fontTTF []byte

// fontFamily is the name the font is registered under in every document.
const fontFamily = "song"

var (
	cmapOnce sync.Once
	cmapSet  map[rune]bool
)

// covered reports whether the embedded font has a glyph for r.
func covered(r rune) bool {
	cmapOnce.Do(func() { cmapSet = parseCmap(fontTTF) })
	return cmapSet[r]
}

// parseCmap reads the Windows Unicode BMP (3,1) format-4 subtable of a TrueType font. A malformed
// table yields what was read so far; the embedded font is checked by a test.
func parseCmap(b []byte) map[rune]bool {
	out := map[rune]bool{}
	u16 := func(p []byte, i int) int {
		if i < 0 || i+2 > len(p) {
			return -1
		}
		return int(binary.BigEndian.Uint16(p[i:]))
	}
	u32 := func(p []byte, i int) int {
		if i < 0 || i+4 > len(p) {
			return -1
		}
		return int(binary.BigEndian.Uint32(p[i:]))
	}
	n := u16(b, 4)
	off := -1
	for i := 0; i < n; i++ {
		if 12+16*i+16 <= len(b) && string(b[12+16*i:12+16*i+4]) == "cmap" {
			off = u32(b, 12+16*i+8)
		}
	}
	if off < 0 || off >= len(b) {
		return out
	}
	c := b[off:]
	for i := 0; i < u16(c, 2); i++ {
		pid, eid, so := u16(c, 4+8*i), u16(c, 6+8*i), u32(c, 8+8*i)
		if pid != 3 || eid != 1 || so < 0 || so >= len(c) || u16(c, so) != 4 {
			continue
		}
		t := c[so:]
		segX2 := u16(t, 6)
		for s := 0; s < segX2/2; s++ {
			end, start := u16(t, 14+2*s), u16(t, 16+segX2+2*s)
			delta, ro := u16(t, 16+2*segX2+2*s), u16(t, 16+3*segX2+2*s)
			if end < 0 || start < 0 || delta < 0 || ro < 0 {
				return out
			}
			for ch := start; ch <= end && ch != 0xffff; ch++ {
				g := 0
				if ro == 0 {
					g = (ch + delta) & 0xffff
				} else if v := u16(t, 16+3*segX2+2*s+ro+2*(ch-start)); v > 0 {
					g = (v + delta) & 0xffff
				}
				if g != 0 {
					out[rune(ch)] = true
				}
			}
		}
	}
	return out
}

// substitutes replace characters the font lacks with ones it has.
var substitutes = map[rune]string{
	'–': "-", '‒': "-", '−': "-", '¥': "元", '▼': "↓", '\t': " ", '\u00a0': " ", '•': "·",
}

// Clean makes text printable with the embedded font: line breaks become spaces, known missing
// characters are substituted and any other missing one becomes "□" (so that a rare character in a
// name is visibly missing, never silently dropped).
func Clean(s string) string {
	ok := true
	for _, r := range s {
		if !covered(r) {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var sb strings.Builder
	for _, r := range s {
		switch {
		case covered(r):
			sb.WriteRune(r)
		case r == '\n' || r == '\r':
			sb.WriteByte(' ')
		case substitutes[r] != "" && covered([]rune(substitutes[r])[0]):
			sb.WriteString(substitutes[r])
		default:
			sb.WriteRune('□')
		}
	}
	return sb.String()
}
