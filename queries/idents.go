package queries

// identifiers returns the identifiers of s in order: each longest run of ASCII letters, digits and
// underscores that starts with a letter or an underscore (what the regular expression
// [A-Za-z_][A-Za-z0-9_]* finds, leftmost first, without running one: Models and each run scan every
// model's SQL, the macros read by each, and the SQL a fingerprint covers).
func identifiers(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		if !identStart(s[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(s) && (identStart(s[j]) || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func identStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}
