package warehouse

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestArchitectureNamesEveryTable: docs/ARCHITECTURE.md "Who owns what" names every table the
// migrations create (by name, or by a prefix written like `dim_*`), so the owner of each is written
// down, and names no table the migrations do not create.
func TestArchitectureNamesEveryTable(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, owners, ok := strings.Cut(string(doc), "## Who owns what")
	if !ok {
		t.Fatal(`docs/ARCHITECTURE.md has no "## Who owns what"`)
	}
	if i := strings.Index(owners, "\n## "); i >= 0 {
		owners = owners[:i]
	}
	named, prefixes := map[string]bool{}, []string{}
	for _, m := range regexp.MustCompile("`([a-z_]+)(\\*?)`").FindAllStringSubmatch(owners, -1) {
		if m[2] == "*" {
			prefixes = append(prefixes, m[1])
		} else {
			named[m[1]] = true
		}
	}
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations: %v %v", files, err)
	}
	created := map[string]bool{}
	create := regexp.MustCompile(`(?i)CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range create.FindAllStringSubmatch(string(b), -1) {
			created[strings.ToLower(m[1])] = true
		}
	}
	for table := range created {
		ok := named[table]
		for _, p := range prefixes {
			ok = ok || strings.HasPrefix(table, p)
		}
		if !ok {
			t.Errorf("docs/ARCHITECTURE.md \"Who owns what\" does not name the table %s", table)
		}
	}
	// a name in the table that looks like a table (has an underscore, no model prefix) must exist
	for name := range named {
		if strings.Contains(name, "_") && !regexp.MustCompile(`^(stg|int|mart)_`).MatchString(name) && !created[name] &&
			!strings.HasSuffix(name, "_now") {
			t.Errorf("docs/ARCHITECTURE.md \"Who owns what\" names %s, which no migration creates", name)
		}
	}
}
