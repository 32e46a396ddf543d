// Package pdf reads a PDF the way a viewer does and writes a new one holding only what an
// allowlist keeps: the pages, their content streams and the resources those draw with, and links.
// Everything else — actions, scripts, forms, attachments, outlines, metadata — is never copied, so
// no spelling of it (escaped names, compressed object streams, incremental updates) can survive.
// portal/README.md lists the rules.
package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// The objects of a parsed file: nil (null), bool, int64, float64, Name, String, Array, Dict, Ref,
// *Stream.
type (
	Object any
	Name   string // decoded: "/Open#41ction" is Name("OpenAction")
	String []byte // decoded bytes of a literal or hex string
	Array  []Object
	Dict   map[Name]Object
	Ref    struct{ Num, Gen int }
	// keyword is a word that is no object ("stream" inside a dictionary, a stray "endobj"):
	// viewers skip it, and so does every copy.
	keyword string
)

// Stream is a stream object: its dictionary and its raw (still encoded) data.
type Stream struct {
	Dict Dict
	Raw  []byte
}

// Error is a refusal; its message is for the citizen, in Chinese.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// damaged is the refusal of a file that cannot be read, naming where (when at > 0) and what.
func damaged(at int, what string) error {
	where := strings.TrimPrefix(what, "：")
	if at > 0 {
		where = fmt.Sprintf("第 %d 字节处%s", at, what)
	}
	return &Error{"PDF文件已损坏，无法解析（" + where + "），请用阅读器另存为标准PDF后重新上传"}
}

const maxDepth = 64

// lexer reads objects from b starting at i.
type lexer struct {
	b []byte
	i int
}

func isSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isSpace(c) && !isDelim(c) }

// skip passes white space and comments.
func (l *lexer) skip() {
	for l.i < len(l.b) {
		c := l.b[l.i]
		switch {
		case isSpace(c):
			l.i++
		case c == '%':
			for l.i < len(l.b) && l.b[l.i] != '\n' && l.b[l.i] != '\r' {
				l.i++
			}
		default:
			return
		}
	}
}

// word reads a run of regular characters (a number or a keyword).
func (l *lexer) word() string {
	j := l.i
	for l.i < len(l.b) && isRegular(l.b[l.i]) {
		l.i++
	}
	return string(l.b[j:l.i])
}

// peekWord returns the next word without consuming it.
func (l *lexer) peekWord() string {
	save := l.i
	l.skip()
	w := l.word()
	l.i = save
	return w
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// name reads a name after its slash, decoding #xx escapes as PDF 1.2 and later readers do.
func (l *lexer) name() Name {
	var out []byte
	for l.i < len(l.b) && isRegular(l.b[l.i]) {
		c := l.b[l.i]
		if c == '#' && l.i+2 < len(l.b) {
			if h, g := unhex(l.b[l.i+1]), unhex(l.b[l.i+2]); h >= 0 && g >= 0 {
				out = append(out, byte(h<<4|g))
				l.i += 3
				continue
			}
		}
		out = append(out, c)
		l.i++
	}
	return Name(out)
}

// literal reads a (string) after its opening parenthesis.
func (l *lexer) literal() (String, error) {
	start := l.i - 1
	var out []byte
	depth := 1
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return String(out), nil
			}
		case '\\':
			if l.i >= len(l.b) {
				return nil, damaged(start, "的字符串没有结束")
			}
			e := l.b[l.i]
			l.i++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.i < len(l.b) && l.b[l.i] == '\n' {
					l.i++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.i < len(l.b) && l.b[l.i] >= '0' && l.b[l.i] <= '7'; k++ {
						v = v*8 + int(l.b[l.i]-'0')
						l.i++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, damaged(start, "的字符串没有结束")
}

// hexString reads a <hex string> after its opening bracket.
func (l *lexer) hexString() (String, error) {
	start := l.i - 1
	var out []byte
	hi := -1
	for l.i < len(l.b) {
		c := l.b[l.i]
		l.i++
		if c == '>' {
			if hi >= 0 {
				out = append(out, byte(hi<<4))
			}
			return String(out), nil
		}
		if isSpace(c) {
			continue
		}
		v := unhex(c)
		if v < 0 {
			return nil, damaged(start, "的十六进制字符串含非法字符")
		}
		if hi < 0 {
			hi = v
		} else {
			out = append(out, byte(hi<<4|v))
			hi = -1
		}
	}
	return nil, damaged(start, "的十六进制字符串没有结束")
}

func number(w string) (Object, bool) {
	if n, err := strconv.ParseInt(w, 10, 64); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(w, 64); err == nil && w != "" && !bytes.ContainsAny([]byte(w), "eExXnNiI_") {
		return f, true
	}
	// readers accept forms such as "--5", "5.3.1" or a lone "-": read the sign and the digits
	if len(w) > 0 && len(w) < 40 && len(bytes.Trim([]byte(w), "+-.0123456789")) == 0 {
		t := bytes.TrimLeft([]byte(w), "+-")
		neg := len(t) < len(w) && w[len(w)-len(t)-1] == '-'
		if bytes.ContainsAny(t, "+-") {
			return nil, false
		}
		if k := bytes.IndexByte(t, '.'); k >= 0 {
			t = append(t[:k+1:k+1], bytes.ReplaceAll(t[k+1:], []byte("."), nil)...)
		}
		f, _ := strconv.ParseFloat("0"+string(t), 64)
		if neg {
			f = -f
		}
		return f, true
	}
	return nil, false
}

// skipJunk passes what stands where a dictionary key should: a stray delimiter or one object.
func (l *lexer) skipJunk(depth int) error {
	switch l.b[l.i] {
	case ')', '>', '{', '}', ']':
		l.i++
		return nil
	}
	_, err := l.object(depth + 1)
	return err
}

// object reads one direct object (or a reference) at the lexer's position.
func (l *lexer) object(depth int) (Object, error) {
	if depth > maxDepth {
		return nil, damaged(l.i, "的对象嵌套过深")
	}
	l.skip()
	if l.i >= len(l.b) {
		return nil, damaged(l.i, "意外结束")
	}
	start := l.i
	switch c := l.b[l.i]; {
	case c == '/':
		l.i++
		return l.name(), nil
	case c == '(':
		l.i++
		return l.literal()
	case c == '<' && l.i+1 < len(l.b) && l.b[l.i+1] == '<':
		l.i += 2
		d := Dict{}
		for {
			l.skip()
			if l.i >= len(l.b) {
				return nil, damaged(start, "的字典没有结束")
			}
			if l.b[l.i] == '>' && l.i+1 < len(l.b) && l.b[l.i+1] == '>' {
				l.i += 2
				return d, nil
			}
			if l.b[l.i] != '/' { // not a key: skipped, as viewers do
				if err := l.skipJunk(depth); err != nil {
					return nil, err
				}
				continue
			}
			l.i++
			k := l.name()
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			if _, isKw := v.(keyword); isKw {
				continue
			}
			if _, dup := d[k]; !dup && v != nil {
				d[k] = v
			}
		}
	case c == '<':
		l.i++
		return l.hexString()
	case c == '[':
		l.i++
		a := Array{}
		for {
			l.skip()
			if l.i >= len(l.b) {
				return nil, damaged(start, "的数组没有结束")
			}
			if l.b[l.i] == ']' {
				l.i++
				return a, nil
			}
			if c := l.b[l.i]; c == ')' || c == '>' || c == '{' || c == '}' {
				l.i++ // a stray delimiter
				continue
			}
			v, err := l.object(depth + 1)
			if err != nil {
				return nil, err
			}
			if _, isKw := v.(keyword); !isKw {
				a = append(a, v)
			}
		}
	case isRegular(c):
		w := l.word()
		switch w {
		case "true":
			return true, nil
		case "false":
			return false, nil
		case "null":
			return nil, nil
		}
		n, ok := number(w)
		if !ok {
			return keyword(w), nil
		}
		if num, isInt := n.(int64); isInt && num >= 0 {
			save := l.i
			l.skip()
			g := l.word()
			if gen, err := strconv.Atoi(g); err == nil && gen >= 0 {
				l.skip()
				if l.word() == "R" && num < 1<<31 {
					return Ref{int(num), gen}, nil
				}
			}
			l.i = save
		}
		return n, nil
	}
	return nil, damaged(start, "有无法识别的内容")
}
