package queries

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestMetricIndex: every row of README.md's metric index names lines that exist and mention the
// figure, and marts that are models whose SQL names it; 应排漏排 comes first.
func TestMetricIndex(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	models, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	sqlOf := map[string]string{}
	for _, m := range models {
		sqlOf[m.Name] = m.SQL
	}
	problems := checkMetricIndex(string(readme), sqlOf, func(file string) (string, error) {
		b, err := os.ReadFile(file)
		return string(b), err
	})
	for _, p := range problems {
		t.Error(p)
	}
}

// TestMetricIndexCatchesRot: a moved line, a missing file, a link that disagrees with its text and a
// mart without the column are each reported.
func TestMetricIndexCatchesRot(t *testing.T) {
	t.Parallel()
	files := map[string]string{"marts/m.sql": "SELECT\n  count(*) AS missed\nFROM x"}
	read := func(f string) (string, error) {
		s, ok := files[f]
		if !ok {
			return "", os.ErrNotExist
		}
		return s, nil
	}
	sqlOf := map[string]string{"mart_a": "SELECT missed FROM m", "mart_b": "SELECT other FROM m"}
	index := func(rows ...string) string {
		return "## Metric index (指标索引)\n\n| figure | 中文 | English | computed at | marts |\n|---|---|---|---|---|\n" +
			strings.Join(rows, "\n") + "\n\n## Next\n"
	}
	good := "| `missed` | 应排漏排 | missed | [`marts/m.sql:2`](marts/m.sql#L2) | `mart_a` |"
	if p := checkMetricIndex(index(good), sqlOf, read); len(p) != 0 {
		t.Fatalf("a true index reported: %v", p)
	}
	for name, row := range map[string]string{
		"moved line":   "| `missed` | 应排漏排 | missed | [`marts/m.sql:1`](marts/m.sql#L1) | `mart_a` |",
		"past the end": "| `missed` | 应排漏排 | missed | [`marts/m.sql:9`](marts/m.sql#L9) | `mart_a` |",
		"no file":      "| `missed` | 应排漏排 | missed | [`marts/gone.sql:2`](marts/gone.sql#L2) | `mart_a` |",
		"link differs": "| `missed` | 应排漏排 | missed | [`marts/m.sql:2`](marts/m.sql#L3) | `mart_a` |",
		"no reference": "| `missed` | 应排漏排 | missed | somewhere | `mart_a` |",
		"mart lacks":   "| `missed` | 应排漏排 | missed | [`marts/m.sql:2`](marts/m.sql#L2) | `mart_b` |",
		"no mart":      "| `missed` | 应排漏排 | missed | [`marts/m.sql:2`](marts/m.sql#L2) | `mart_gone` |",
		"not first":    "| `other` | 其他 | other | [`marts/m.sql:2`](marts/m.sql#L2) | `mart_a` |\n" + good,
	} {
		if p := checkMetricIndex(index(row), sqlOf, read); len(p) == 0 {
			t.Errorf("%s: not reported", name)
		}
	}
	if p := checkMetricIndex("# no index\n", sqlOf, read); len(p) == 0 {
		t.Error("a README without the index: not reported")
	}
}

var (
	indexRefRe  = regexp.MustCompile("\\[`([a-z_/]+\\.sql):([0-9]+)`\\]\\(([a-z_/]+\\.sql)#L([0-9]+)\\)")
	indexMartRe = regexp.MustCompile("`(mart_[a-z_]+)`")
)

// checkMetricIndex checks the "## Metric index" table of readme: each row's figure (first cell), the
// lines it names (fourth cell, file relative to queries/, read with read) and its marts (fifth).
func checkMetricIndex(readme string, sqlOf map[string]string, read func(string) (string, error)) []string {
	var out []string
	_, rest, ok := strings.Cut(readme, "## Metric index")
	if !ok {
		return []string{"README.md has no \"## Metric index\" section"}
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	rows := 0
	for _, line := range strings.Split(rest, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 5 {
			out = append(out, "metric index row with "+strconv.Itoa(len(cells))+" cells, want 5: "+line)
			continue
		}
		code := strings.Trim(strings.TrimSpace(cells[0]), "`")
		if rows == 0 && (code != "missed" || strings.TrimSpace(cells[1]) != "应排漏排") {
			out = append(out, "the metric index must start with missed (应排漏排), starts with "+code)
		}
		rows++
		word := regexp.MustCompile(`\b` + regexp.QuoteMeta(code) + `\b`)
		refs := indexRefRe.FindAllStringSubmatch(cells[3], -1)
		if len(refs) == 0 {
			out = append(out, code+": names no model line")
		}
		for _, r := range refs {
			if r[1] != r[3] || r[2] != r[4] {
				out = append(out, code+": the link "+r[3]+"#L"+r[4]+" is not the line named "+r[1]+":"+r[2])
				continue
			}
			body, err := read(r[1])
			if err != nil {
				out = append(out, code+": "+r[1]+": "+err.Error())
				continue
			}
			n, _ := strconv.Atoi(r[2])
			lines := strings.Split(body, "\n")
			if n < 1 || n > len(lines) {
				out = append(out, code+": "+r[1]+" has no line "+r[2])
				continue
			}
			if !word.MatchString(lines[n-1]) {
				out = append(out, code+": "+r[1]+":"+r[2]+" does not mention it: "+strings.TrimSpace(lines[n-1]))
			}
		}
		marts := indexMartRe.FindAllStringSubmatch(cells[4], -1)
		if len(marts) == 0 {
			out = append(out, code+": names no mart")
		}
		for _, m := range marts {
			sql, ok := sqlOf[m[1]]
			if !ok {
				out = append(out, code+": no model "+m[1])
			} else if !word.MatchString(sql) {
				out = append(out, code+": "+m[1]+" does not name it")
			}
		}
	}
	if rows == 0 {
		out = append(out, "the metric index has no rows")
	}
	return out
}
