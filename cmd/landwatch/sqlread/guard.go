package sqlread

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// errNotReadOnly is what every refused `landwatch sql` statement says.
var errNotReadOnly = errors.New("只允许一条只读查询（SELECT 或 WITH … SELECT），不得读写文件、修改数据或更改设置")

// readOnlyTableFunctions are the table functions a query may call: none of them touches a file,
// the network or the configuration.
var readOnlyTableFunctions = map[string]bool{
	"range": true, "generate_series": true, "unnest": true,
	"duckdb_tables": true, "duckdb_views": true, "duckdb_columns": true, "duckdb_schemas": true,
	"duckdb_constraints": true, "duckdb_indexes": true, "duckdb_types": true, "duckdb_functions": true,
	"duckdb_sequences": true, "duckdb_keywords": true, "pragma_table_info": true, "pragma_show": true,
	"information_schema": true,
}

// forbiddenFunctionPrefixes name scalar functions (and table functions used as scalars) that read
// files or the environment or run other SQL.
var forbiddenFunctionPrefixes = []string{
	"read_", "glob", "sniff_", "parquet_", "query", "getenv", "load", "install", "write", "copy",
	"export", "import", "checkpoint", "force_checkpoint", "pragma", "duckdb_secrets", "attach",
	"detach", "iceberg", "delta", "sqlite", "postgres", "mysql", "http", "s3",
}

// checkReadOnlyQuery parses q with DuckDB's own parser (json_serialize_sql serializes SELECT
// statements only, and nothing of q is prepared or run) and accepts a single SELECT whose table
// functions are all on the allow list, whose functions are none that touch files, and whose tables
// are the warehouse's own or the query's CTEs (a quoted file name in FROM would otherwise be read
// by a replacement scan).
func checkReadOnlyQuery(ctx context.Context, conn *sql.Conn, q string) error {
	var js string
	if err := conn.QueryRowContext(ctx, `SELECT json_serialize_sql(?::VARCHAR)::VARCHAR`, q).Scan(&js); err != nil {
		return fmt.Errorf("检查查询语句: %w", err)
	}
	var parsed struct {
		Error      bool   `json:"error"`
		ErrorType  string `json:"error_type"`
		Position   string `json:"position"`
		Statements []any  `json:"statements"`
	}
	if err := json.Unmarshal([]byte(js), &parsed); err != nil {
		return fmt.Errorf("检查查询语句: %w", err)
	}
	if parsed.Error {
		if parsed.ErrorType == "parser" {
			pos, _ := strconv.Atoi(parsed.Position)
			return fmt.Errorf("%w（第 %d 个字符附近有语法错误）", errNotReadOnly, pos+1)
		}
		return errNotReadOnly
	}
	if len(parsed.Statements) != 1 {
		return fmt.Errorf("%w（收到 %d 条语句）", errNotReadOnly, len(parsed.Statements))
	}
	w := &astWalk{}
	w.walk(parsed.Statements[0], nil)
	if w.bad != "" {
		return fmt.Errorf("%w（不允许：%s）", errNotReadOnly, w.bad)
	}
	if len(w.tables) == 0 {
		return nil
	}
	known := map[string]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT lower(table_name) FROM duckdb_tables()
		UNION ALL SELECT lower(view_name) FROM duckdb_views()`)
	if err != nil {
		return fmt.Errorf("检查查询语句: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return fmt.Errorf("检查查询语句: %w", err)
		}
		known[n] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("检查查询语句: %w", err)
	}
	for _, t := range w.tables {
		if !known[t] {
			return fmt.Errorf("%w（没有这个表：%s）", errNotReadOnly, t)
		}
	}
	return nil
}

// cteScope is the set of CTE names a table reference may mean at one place of a query: a WITH's
// names are visible inside the query node that holds it (its subqueries included) and nowhere
// else; a CTE's body sees the CTEs before it in its WITH, and itself only when it is recursive.
type cteScope struct {
	names  map[string]bool
	parent *cteScope
}

func (s *cteScope) has(name string) bool {
	for ; s != nil; s = s.parent {
		if s.names[name] {
			return true
		}
	}
	return false
}

// queryNodes are the query node types a read-only SELECT is made of; any other is refused.
var queryNodes = map[string]bool{"SELECT_NODE": true, "SET_OPERATION_NODE": true, "RECURSIVE_CTE_NODE": true}

// refusedRefs are table references that read something else than a table or a CTE (SUMMARIZE and
// DESCRIBE of a name, which a replacement scan may read as a file; bound data) — refused outright.
var refusedRefs = map[string]bool{"SHOW_REF": true, "COLUMN_DATA": true, "DELIM_GET": true, "CTE_NODE": true}

// astWalk checks what a serialized statement refers to, scope by scope: tables are collected
// unless a CTE in scope names them, table functions must be on the allow list whatever their
// alias, and file-like names are refused even where a CTE would give them a meaning.
type astWalk struct {
	tables []string // names that must be the warehouse's tables or views
	bad    string
}

func (w *astWalk) walk(n any, sc *cteScope) {
	switch x := n.(type) {
	case []any:
		for _, e := range x {
			w.walk(e, sc)
		}
	case map[string]any:
		if class, _ := x["class"].(string); class == "CONSTANT" {
			return // a literal: nothing in it is a reference
		}
		typ, _ := x["type"].(string)
		if cm, ok := x["cte_map"]; ok { // a query node: its WITH opens a scope
			if !queryNodes[typ] {
				w.refuse(typ)
				return
			}
			inner := &cteScope{names: map[string]bool{}, parent: sc}
			for _, e := range cteEntries(cm) {
				body := &cteScope{names: map[string]bool{}, parent: sc}
				for k := range inner.names {
					body.names[k] = true
				}
				if e.recursive {
					body.names[e.name] = true
				}
				w.walk(e.value, body)
				inner.names[e.name] = true
			}
			for k, v := range x {
				if k != "cte_map" {
					w.walk(v, inner)
				}
			}
			return
		}
		if strings.HasSuffix(typ, "_NODE") && !queryNodes[typ] || refusedRefs[typ] {
			w.refuse(typ)
			return
		}
		if typ == "TABLE_FUNCTION" {
			if f, ok := x["function"].(map[string]any); ok {
				name, _ := f["function_name"].(string)
				if !readOnlyTableFunctions[strings.ToLower(name)] {
					w.refuse(name)
				}
				w.walk(f["children"], sc)
			} else {
				w.refuse(typ)
			}
			for k, v := range x {
				if k != "function" {
					w.walk(v, sc)
				}
			}
			return
		}
		if name, ok := x["table_name"].(string); ok { // BASE_TABLE, and anything else naming a table
			l := strings.ToLower(name)
			schema, _ := x["schema_name"].(string)
			catalog, _ := x["catalog_name"].(string)
			switch {
			case fileLike(l):
				w.refuse(name)
			case schema == "" && catalog == "" && sc.has(l):
				// a CTE in scope
			default:
				w.tables = append(w.tables, l)
			}
		}
		if name, ok := x["function_name"].(string); ok {
			l := strings.ToLower(name)
			for _, p := range forbiddenFunctionPrefixes {
				if strings.HasPrefix(l, p) {
					w.refuse(name)
				}
			}
		}
		for _, v := range x {
			w.walk(v, sc)
		}
	}
}

type cteEntry struct {
	name      string
	value     any
	recursive bool
}

// cteEntries are a WITH's CTEs in their written order.
func cteEntries(cm any) []cteEntry {
	m, _ := cm.(map[string]any)
	list, _ := m["map"].([]any)
	var out []cteEntry
	for _, e := range list {
		kv, _ := e.(map[string]any)
		k, _ := kv["key"].(string)
		ent := cteEntry{name: strings.ToLower(k), value: kv["value"]}
		if v, ok := kv["value"].(map[string]any); ok {
			if q, ok := v["query"].(map[string]any); ok {
				if node, ok := q["node"].(map[string]any); ok {
					ent.recursive = node["type"] == "RECURSIVE_CTE_NODE"
				}
			}
		}
		out = append(out, ent)
	}
	return out
}

// fileLike is a table name DuckDB's replacement scans could read as a file or a URL.
func fileLike(name string) bool {
	return strings.ContainsAny(name, "/\\.:*?~[]{}$") || name == ""
}

func (w *astWalk) refuse(what string) {
	if w.bad == "" {
		w.bad = what
	}
}

// ReadOnly checks q and runs it on a connection of its own inside a read-only transaction that
// is always rolled back.
func ReadOnly(ctx context.Context, db *sql.DB, q string) (*Result, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("连接数据仓库: %w", err)
	}
	defer conn.Close()
	if err := checkReadOnlyQuery(ctx, conn, q); err != nil {
		return nil, err
	}
	if _, err := conn.ExecContext(ctx, `BEGIN TRANSACTION READ ONLY`); err != nil {
		return nil, fmt.Errorf("开始只读事务: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	return Query(ctx, conn, q)
}
