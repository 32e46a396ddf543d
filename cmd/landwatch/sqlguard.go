package main

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
	w := &astWalk{ctes: map[string]bool{}}
	w.walk(parsed.Statements[0], false)
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
		if !known[t] && !w.ctes[t] {
			return fmt.Errorf("%w（没有这个表：%s）", errNotReadOnly, t)
		}
	}
	return nil
}

// astWalk collects what a serialized statement refers to.
type astWalk struct {
	tables []string
	ctes   map[string]bool
	bad    string
}

func (w *astWalk) walk(n any, tableFn bool) {
	switch x := n.(type) {
	case []any:
		for _, e := range x {
			w.walk(e, false)
		}
	case map[string]any:
		typ, _ := x["type"].(string)
		switch typ {
		case "BASE_TABLE":
			name, _ := x["table_name"].(string)
			w.tables = append(w.tables, strings.ToLower(name))
		case "TABLE_FUNCTION":
			if f, ok := x["function"].(map[string]any); ok {
				name, _ := f["function_name"].(string)
				if !readOnlyTableFunctions[strings.ToLower(name)] {
					w.refuse(name)
				}
				w.walk(f, true)
			}
			for k, v := range x {
				if k != "function" {
					w.walk(v, false)
				}
			}
			return
		}
		if name, ok := x["function_name"].(string); ok && !tableFn {
			l := strings.ToLower(name)
			for _, p := range forbiddenFunctionPrefixes {
				if strings.HasPrefix(l, p) {
					w.refuse(name)
				}
			}
		}
		if cm, ok := x["cte_map"].(map[string]any); ok {
			if m, ok := cm["map"].([]any); ok {
				for _, e := range m {
					if kv, ok := e.(map[string]any); ok {
						if k, ok := kv["key"].(string); ok {
							w.ctes[strings.ToLower(k)] = true
						}
					}
				}
			}
		}
		for _, v := range x {
			w.walk(v, false)
		}
	}
}

func (w *astWalk) refuse(what string) {
	if w.bad == "" {
		w.bad = what
	}
}

// queryReadOnly checks q and runs it on a connection of its own inside a read-only transaction that
// is always rolled back.
func queryReadOnly(ctx context.Context, db *sql.DB, q string) (*result, error) {
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
	return query(ctx, conn, q)
}
