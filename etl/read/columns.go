package read

import (
	"strings"
	"unicode"
)

// Field is one column of an input contract: its Chinese header (as shown in errors), other Chinese
// spellings, and the English alias the README's "Input formats" accepts.
type Field struct {
	Key      string
	Zh       string
	Alt      []string
	Required bool
}

// normHeader folds a header cell for matching: no spaces or line breaks (包村干部\n签字), no
// brackets, no required-markers, lower case.
func normHeader(s string) string {
	s = NormalizeText(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), strings.ContainsRune("()（）[]【】*:：", r):
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// stripParen drops a bracketed note: 面积（亩） → 面积.
func stripParen(s string) string {
	for _, pair := range [][2]string{{"（", "）"}, {"(", ")"}, {"[", "]"}} {
		if i := strings.Index(s, pair[0]); i > 0 {
			if j := strings.Index(s[i:], pair[1]); j > 0 {
				s = s[:i] + s[i+j+len(pair[1]):]
			}
		}
	}
	return s
}

// Matcher maps normalized header text to field keys for one kind.
type Matcher struct {
	byName map[string]*Field
	fields []Field
}

// NewMatcher matches headers to the fields of a contract.
func NewMatcher(fields []Field) *Matcher {
	m := &Matcher{byName: map[string]*Field{}, fields: fields}
	for i := range m.fields {
		fd := &m.fields[i]
		for _, n := range append([]string{fd.Zh, fd.Key}, fd.Alt...) {
			if _, dup := m.byName[normHeader(n)]; !dup {
				m.byName[normHeader(n)] = fd
			}
		}
	}
	return m
}

func (m *Matcher) Match(header string) *Field {
	if fd, ok := m.byName[normHeader(header)]; ok {
		return fd
	}
	if fd, ok := m.byName[normHeader(stripParen(header))]; ok {
		return fd
	}
	// "户号 [meter_id]": the Chinese name followed by the English alias.
	if i := strings.IndexAny(header, "[【"); i > 0 {
		return m.byName[normHeader(header[:i])]
	}
	return nil
}

// Record is one data row: contract values by field key, other columns in extra (header → text).
type Record struct {
	Row   int
	Vals  map[string]string
	Extra map[string]string
	Order []string // extra headers in file order
}

func (r *Record) Get(key string) string { return r.Vals[key] }

// Header is where the header row is and which column holds which field.
type Header struct {
	Index   int // index in grid.rows
	Cols    []*Field
	Names   []string // the header text of each column (cleaned)
	Present map[string]bool
}

// FindHeader picks, among the first rows, the one that names the most contract columns.
func FindHeader(g *Grid, m *Matcher) *Header {
	best, bestN := -1, 1
	limit := min(len(g.Rows), 40)
	for i := 0; i < limit; i++ {
		seen := map[string]bool{}
		for _, c := range g.Rows[i] {
			if fd := m.Match(c); fd != nil {
				seen[fd.Key] = true
			}
		}
		if len(seen) > bestN {
			best, bestN = i, len(seen)
		}
	}
	if best < 0 {
		return nil
	}
	h := &Header{Index: best, Present: map[string]bool{}}
	for _, c := range g.Rows[best] {
		fd := m.Match(c)
		if fd != nil && h.Present[fd.Key] {
			fd = nil // a second column of the same name: kept as extra
		}
		if fd != nil {
			h.Present[fd.Key] = true
		}
		h.Cols = append(h.Cols, fd)
		h.Names = append(h.Names, strings.Join(strings.Fields(NormalizeText(c)), ""))
	}
	return h
}

// footerPrefixes start the lines under a form's table (填报说明…, 填报人：…).
var footerPrefixes = []string{"填报说明", "填报人", "填表说明", "填表人", "说明：", "注：", "制表人", "审核人"}

func isFooter(row []string) bool {
	for _, c := range row {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		for _, p := range footerPrefixes {
			if strings.HasPrefix(c, p) {
				return true
			}
		}
		return false
	}
	return false
}

// Records turns the rows under the header into records, skipping blank rows and stopping at the
// footer. A row with only a 序号 is a blank line of the form.
func Records(g *Grid, h *Header) []*Record {
	var out []*Record
	for i := h.Index + 1; i < len(g.Rows); i++ {
		row := g.Rows[i]
		if isFooter(row) {
			break
		}
		rec := &Record{Row: g.Nums[i], Vals: map[string]string{}, Extra: map[string]string{}}
		filled := false
		for j, c := range row {
			c = strings.TrimSpace(c)
			if c == "" || j >= len(h.Cols) {
				if c != "" && j >= len(h.Cols) {
					name := ColName(j)
					rec.Extra[name] = c
					rec.Order = append(rec.Order, name)
					filled = true
				}
				continue
			}
			if fd := h.Cols[j]; fd != nil {
				rec.Vals[fd.Key] = c
				if fd.Key != "seq" {
					filled = true
				}
			} else {
				name := h.Names[j]
				if name == "" {
					name = ColName(j)
				}
				rec.Extra[name] = c
				rec.Order = append(rec.Order, name)
				filled = true
			}
		}
		if filled {
			out = append(out, rec)
		}
	}
	return out
}

// ColName is the spreadsheet letter of a column index: 0 → A.
func ColName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// Lookalike returns the contract column a header that matched none resembles — one of the missing
// columns whose name (or another spelling) differs from it by a character or two, or contains it, or
// is contained in it — so that "发现的隐患" is refused as a misspelt "发现隐患" instead of being kept
// as an extra column while the real one stays empty.
func (m *Matcher) Lookalike(header string, present map[string]bool) (string, bool) {
	h := normHeader(stripParen(header))
	if len([]rune(h)) < 2 {
		return "", false
	}
	for _, fd := range m.fields {
		if present[fd.Key] {
			continue
		}
		for _, n := range append([]string{fd.Zh}, fd.Alt...) {
			nn := normHeader(n)
			d := editDistance([]rune(h), []rune(nn))
			limit := 1
			if len([]rune(nn)) >= 5 {
				limit = 2
			}
			if d <= limit || (len([]rune(nn)) >= 2 && (strings.Contains(h, nn) || strings.Contains(nn, h))) {
				return fd.Zh, true
			}
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance between two rune strings.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
