// Package queries holds the SQL models that turn the loaded inputs into the accountability figures:
// staging views over the active raw batches, intermediate tables (channel merging, problem matching,
// the ledger, the power rules) and the marts the portal, the reports and the acceptance checks read.
// The SQL lives in staging/, intermediate/ and marts/ and is embedded; Run builds every model in
// dependency order as of a date and then runs the data tests. README.md defines every figure.
package queries

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

//go:embed staging/*.sql intermediate/*.sql marts/*.sql tests/*.sql macros.sql
var sqlFS embed.FS

// Layers in build order.
var Layers = []string{"staging", "intermediate", "marts"}

// Model is one SQL file: a SELECT materialized as a view or a table named after the file.
type Model struct {
	Name         string
	Layer        string
	File         string
	Materialized string // "view" or "table"
	SQL          string
	Deps         []string // other models the SQL reads, sorted
	Sources      []string // warehouse tables (raw_*, dim_*, …) the SQL reads, sorted
	Tests        []Test
	// Reuse: a run keeps the table when nothing it is computed from changed (reuse.go).
	Reuse bool
	// InRun: a view that the models after it in a run read from a temporary table of its rows, made
	// once right after the view is built (run.go buildAll); outside a run it is read live.
	InRun bool
	// AllThreads: the model is built on every thread DuckDB had before the run, not on
	// models.threads (run.go).
	AllThreads bool
}

// Test is a data test: a SELECT returning the failing rows (none when the test passes).
type Test struct {
	Model string
	Name  string
	SQL   string
	// Kind is the header test it came from (unique, not_null, accepted_values, relationships) or
	// "" for a file of tests/; Cols and Values are its columns and accepted values. Run checks a
	// model's unique, not_null, accepted_values and relationships tests in one statement
	// (combined.go).
	Kind   string
	Cols   []string
	Values []string
	// Ref is the model and column a relationships test's column refers to.
	Ref [2]string
}

var (
	// warehouse tables the models read; anything else named like this is a model or a column.
	sourceRe = regexp.MustCompile(`^(raw_[a-z_]+|dim_[a-z_]+|load_batches|run_parameters|tips|rewards|payouts|case_updates|clue_updates|freezes|model_runs|frozen_[a-z_]+|accountability_[a-z_]+|agg_[a-z_]+)$`)
)

// Models parses the embedded SQL and returns the models in build order (layer, then dependencies,
// then name).
func Models() ([]*Model, error) {
	var models []*Model
	byName := map[string]*Model{}
	for _, layer := range Layers {
		files, err := fs.Glob(sqlFS, layer+"/*.sql")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			body, err := sqlFS.ReadFile(f)
			if err != nil {
				return nil, err
			}
			name := strings.TrimSuffix(path.Base(f), ".sql")
			if byName[name] != nil {
				return nil, fmt.Errorf("model %s: defined twice", name)
			}
			m, err := parseModel(name, layer, f, string(body))
			if err != nil {
				return nil, err
			}
			models = append(models, m)
			byName[name] = m
		}
	}
	bodies, err := macroBodies()
	if err != nil {
		return nil, err
	}
	for _, m := range models {
		seen := map[string]bool{}
		var scan func(sql string)
		scan = func(sql string) {
			for _, id := range identifiers(stripComments(sql)) {
				id = strings.ToLower(id)
				if seen[id] || id == m.Name {
					continue
				}
				seen[id] = true
				if byName[id] != nil {
					m.Deps = append(m.Deps, id)
				} else if body, ok := bodies[id]; ok {
					scan(body) // what a macro of macros.sql reads, the model calling it reads
				} else if sourceRe.MatchString(id) {
					m.Sources = append(m.Sources, id)
				}
			}
		}
		scan(m.SQL)
		sort.Strings(m.Deps)
		sort.Strings(m.Sources)
	}
	tests, err := customTests(byName)
	if err != nil {
		return nil, err
	}
	for _, t := range tests {
		byName[t.Model].Tests = append(byName[t.Model].Tests, t)
	}
	for _, m := range models {
		if len(m.Tests) == 0 {
			return nil, fmt.Errorf("model %s (%s) has no data test", m.Name, m.File)
		}
	}
	if err := checkReuse(models, byName); err != nil {
		return nil, err
	}
	return order(models, byName)
}

// order sorts the models topologically; ties keep layer order, then name.
func order(models []*Model, byName map[string]*Model) ([]*Model, error) {
	rank := map[string]int{}
	for i, l := range Layers {
		rank[l] = i
	}
	sort.SliceStable(models, func(i, j int) bool {
		if rank[models[i].Layer] != rank[models[j].Layer] {
			return rank[models[i].Layer] < rank[models[j].Layer]
		}
		return models[i].Name < models[j].Name
	})
	const (
		todo = iota
		busy
		done
	)
	state := map[string]int{}
	var out []*Model
	var visit func(m *Model, chain []string) error
	visit = func(m *Model, chain []string) error {
		switch state[m.Name] {
		case done:
			return nil
		case busy:
			return fmt.Errorf("models depend on each other in a cycle: %s → %s", strings.Join(chain, " → "), m.Name)
		}
		state[m.Name] = busy
		for _, d := range m.Deps {
			dep := byName[d]
			if rank[dep.Layer] > rank[m.Layer] {
				return fmt.Errorf("model %s (%s) reads %s from the later layer %s", m.Name, m.Layer, d, dep.Layer)
			}
			if err := visit(dep, append(chain, m.Name)); err != nil {
				return err
			}
		}
		state[m.Name] = done
		out = append(out, m)
		return nil
	}
	for _, m := range models {
		if err := visit(m, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// quotedRe is a string literal (stripComments).
var quotedRe = regexp.MustCompile(`'[^']*'`)

// stripComments removes -- comments and string literals, so neither adds dependencies.
func stripComments(sql string) string {
	var b strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return quotedRe.ReplaceAllString(b.String(), "''")
}

// parseModel reads the header: leading "-- key: value" lines.
//
//	-- materialized: table                       (default: view in staging, table elsewhere)
//	-- unique: col[, col…]                       the combination is unique
//	-- not_null: col[, col…]                     each column is never NULL
//	-- accepted_values: col = a, b, c            col is NULL or one of the values
//	-- relationships: col -> model.col           every non-NULL col exists in model.col
//	-- reuse: unchanged                          a run keeps the table when its inputs did not change (reuse.go)
//	-- in_run: table                             a view the rest of a run reads from a copy of its rows (run.go)
//	-- threads: all                              built on every thread DuckDB has, not models.threads (run.go)
func parseModel(name, layer, file, body string) (*Model, error) {
	m := &Model{Name: name, Layer: layer, File: file, SQL: body, Materialized: "table"}
	if layer == "staging" {
		m.Materialized = "view"
	}
	for i, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "--") {
			if line == "" {
				continue
			}
			break
		}
		// a header line is "-- key: value" with one space and a lower-case key; other comment lines
		// (prose, indented lists) are text
		h := headerKey.FindStringSubmatch(line)
		if h == nil {
			continue
		}
		key, val := h[1], strings.TrimSpace(h[2])
		bad := func(msg string) error {
			return fmt.Errorf("%s line %d: %s: %s", file, i+1, key, msg)
		}
		switch key {
		case "materialized":
			if val != "view" && val != "table" {
				return nil, bad("view or table")
			}
			m.Materialized = val
		case "reuse":
			if val != "unchanged" {
				return nil, bad("reuse: unchanged")
			}
			m.Reuse = true
		case "in_run":
			if val != "table" {
				return nil, bad("in_run: table")
			}
			m.InRun = true
		case "threads":
			if val != "all" {
				return nil, bad("threads: all")
			}
			m.AllThreads = true
		case "unique":
			cols := splitList(val)
			m.Tests = append(m.Tests, Test{Model: name, Name: "unique(" + strings.Join(cols, ", ") + ")", Kind: "unique", Cols: cols,
				SQL: fmt.Sprintf("SELECT %[1]s, count(*) AS n FROM %[2]s GROUP BY %[1]s HAVING count(*) > 1", strings.Join(cols, ", "), name)})
		case "not_null":
			for _, c := range splitList(val) {
				m.Tests = append(m.Tests, Test{Model: name, Name: "not_null(" + c + ")", Kind: "not_null", Cols: []string{c},
					SQL: fmt.Sprintf("SELECT * FROM %s WHERE %s IS NULL", name, c)})
			}
		case "accepted_values":
			col, list, ok := strings.Cut(val, "=")
			if !ok {
				return nil, bad("want col = a, b, c")
			}
			col = strings.TrimSpace(col)
			var quoted []string
			for _, v := range splitList(list) {
				quoted = append(quoted, "'"+strings.ReplaceAll(v, "'", "''")+"'")
			}
			m.Tests = append(m.Tests, Test{Model: name, Name: "accepted_values(" + col + ")", Kind: "accepted_values", Cols: []string{col}, Values: quoted,
				SQL: fmt.Sprintf("SELECT %[1]s, count(*) AS n FROM %[2]s WHERE %[1]s IS NOT NULL AND %[1]s NOT IN (%[3]s) GROUP BY %[1]s",
					col, name, strings.Join(quoted, ", "))})
		case "relationships":
			col, ref, ok := strings.Cut(val, "->")
			refModel, refCol, ok2 := strings.Cut(strings.TrimSpace(ref), ".")
			if !ok || !ok2 {
				return nil, bad("want col -> model.col")
			}
			col = strings.TrimSpace(col)
			refModel, refCol = strings.TrimSpace(refModel), strings.TrimSpace(refCol)
			m.Tests = append(m.Tests, Test{Model: name, Name: "relationships(" + col + " -> " + strings.TrimSpace(ref) + ")", Kind: "relationships",
				Cols: []string{col}, Ref: [2]string{refModel, refCol},
				SQL: fmt.Sprintf("SELECT * FROM %[1]s c WHERE c.%[2]s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %[3]s r WHERE r.%[4]s = c.%[2]s)",
					name, col, refModel, refCol)})
		default:
			return nil, bad("unknown header key (未知的模型头部配置项); known: materialized, reuse, in_run, threads, unique, not_null, accepted_values, relationships")
		}
	}
	if m.InRun && m.Materialized != "view" {
		return nil, fmt.Errorf("%s: in_run is for a view (a table is read once already)", file)
	}
	return m, nil
}

// headerKey is a model header line: "-- key: value".
var headerKey = regexp.MustCompile(`^-- ([a-z_]+):(.*)$`)

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// customTests reads tests/*.sql: each file names its model on a "-- model: name" line and is a
// SELECT of the failing rows.
func customTests(byName map[string]*Model) ([]Test, error) {
	files, err := fs.Glob(sqlFS, "tests/*.sql")
	if err != nil {
		return nil, err
	}
	var out []Test
	for _, f := range files {
		body, err := sqlFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		model := ""
		for _, line := range strings.Split(string(body), "\n") {
			if k, v, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "--")), ":"); ok && strings.TrimSpace(k) == "model" {
				model = strings.TrimSpace(v)
				break
			}
		}
		if byName[model] == nil {
			return nil, fmt.Errorf("%s: needs a \"-- model: NAME\" line naming a model (got %q)", f, model)
		}
		out = append(out, Test{Model: model, Name: strings.TrimSuffix(path.Base(f), ".sql"), SQL: string(body)})
	}
	return out, nil
}

func macros() (string, error) {
	b, err := sqlFS.ReadFile("macros.sql")
	return string(b), err
}

// macroRe is one macro of macros.sql: its name and its body up to the closing semicolon.
var macroRe = regexp.MustCompile(`(?is)CREATE OR REPLACE MACRO\s+([a-z_][a-z0-9_]*)\s*\(.*?\)\s+AS\s+(.*?);`)

// macroBodies maps each macro of macros.sql to its body, so that the tables and models a macro
// reads count as read by the models calling it.
func macroBodies() (map[string]string, error) {
	mac, err := macros()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, m := range macroRe.FindAllStringSubmatch(stripComments(mac), -1) {
		out[strings.ToLower(m[1])] = m[2]
	}
	return out, nil
}
