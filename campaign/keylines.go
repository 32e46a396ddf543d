package campaign

import (
	"fmt"
	"strings"
)

// keyLines maps a key path such as "township[2].villages" or "power.night_ratio" to the line of the
// TOML text that defines it, so a refusal can name the line. Array-of-tables entries are numbered
// from 0 in file order. Keys inside inline tables share the line of their parent.
type keyLines map[string]int

func (k keyLines) find(path string) int {
	for p := path; p != ""; {
		if line, ok := k[p]; ok {
			return line
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

func locateKeys(data []byte) keyLines {
	lines := keyLines{}
	counts := map[string]int{}
	table := ""
	depth := 0 // open brackets of a multi-line value
	for n, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(stripComment(raw))
		if line == "" {
			continue
		}
		if depth > 0 {
			depth += strings.Count(line, "[") - strings.Count(line, "]")
			continue
		}
		switch {
		case strings.HasPrefix(line, "[["):
			name := strings.TrimSpace(strings.Trim(line, "[]"))
			base := name // e.g. "township" or "rewards.band"
			table = fmt.Sprintf("%s[%d]", base, counts[base])
			counts[base]++
			lines[table] = n + 1
			if _, ok := lines[base]; !ok {
				lines[base] = n + 1
			}
		case strings.HasPrefix(line, "["):
			table = strings.TrimSpace(strings.Trim(line, "[]"))
			lines[table] = n + 1
		default:
			eq := strings.Index(line, "=")
			if eq < 0 {
				continue
			}
			key := strings.Trim(strings.TrimSpace(line[:eq]), `"`)
			path := key
			if table != "" {
				path = table + "." + key
			}
			if _, ok := lines[path]; !ok {
				lines[path] = n + 1
			}
			value := line[eq+1:]
			depth = strings.Count(value, "[") - strings.Count(value, "]")
			if depth < 0 {
				depth = 0
			}
		}
	}
	return lines
}

// stripComment removes a # comment that is not inside a string.
func stripComment(s string) string {
	inStr := false
	for i, r := range s {
		switch r {
		case '"':
			inStr = !inStr
		case '#':
			if !inStr {
				return s[:i]
			}
		}
	}
	return s
}
