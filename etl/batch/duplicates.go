package batch

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"landwatch/etl/read"
)

// Rows loaded twice. The same bytes again are not loaded at all (FindLoaded, batch.go). A file
// that differs in its bytes (saved again, rows added) may still repeat rows: the file's own rows
// that are identical to one another, and its rows identical to a row an earlier batch of the same
// kind loaded (one not replaced since). Both are loaded — a register's repeated row is its record
// again — but named in warnings, so no one doubles a list without a word: a summary line, then the
// first maxDupWarnings rows each with the row it repeats. Identical means every column the loader
// writes except where the row stands (source_row, sheet). Power readings (etl/power) are not
// compared: a reading's meter and hour are its key there.

// maxDupWarnings bounds the row-by-row warnings of each kind of repetition.
const maxDupWarnings = 20

// dupIgnored are the columns that say where a row stood, not what it says.
var dupIgnored = []string{"source_row", "sheet"}

// duplicateWarnings compares the rows batch id just wrote into table (cols: the loader's columns)
// with one another and with the earlier batches of kind (those of smaller id: loaded before it).
func duplicateWarnings(ctx context.Context, tx *sql.Tx, kind read.Kind, table string, cols []string, id int64) ([]read.Warning, error) {
	var same []string
	var keys []string
	for _, c := range cols {
		if !slices.Contains(dupIgnored, c) {
			same = append(same, "n."+c+" IS NOT DISTINCT FROM o."+c)
			keys = append(keys, c)
		}
	}
	if len(keys) == 0 || !slices.Contains(cols, "source_row") {
		return nil, nil
	}
	var warns []read.Warning
	// within the file: each group of identical rows, its later rows pointing at the first
	inFile := fmt.Sprintf(`SELECT list(source_row ORDER BY source_row) FROM %s WHERE batch_id = ? GROUP BY %s HAVING count(*) > 1
		ORDER BY min(source_row)`, table, strings.Join(keys, ", "))
	rows, err := tx.QueryContext(ctx, inFile, id)
	if err != nil {
		return nil, fmt.Errorf("compare the file's rows: %w", err)
	}
	var repeats []read.Warning
	for rows.Next() {
		var list []any
		if err := rows.Scan(&list); err != nil {
			rows.Close()
			return nil, err
		}
		first := asInt(list[0])
		for _, r := range list[1:] {
			repeats = append(repeats, read.Warning{Row: asInt(r), Column: "整行", Msg: fmt.Sprintf("与本文件第%d行完全相同（重复填报？）", first)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(repeats) > 0 {
		warns = append(warns, read.Warning{Msg: fmt.Sprintf("本文件有 %d 行与文件中的另一行完全相同，已照常导入，请核对是否重复填报", len(repeats))})
		warns = append(warns, repeats[:min(len(repeats), maxDupWarnings)]...)
	}
	// against the earlier batches of the same kind
	earlier := fmt.Sprintf(`WITH n AS (SELECT * FROM %[1]s WHERE batch_id = ?),
		o AS (SELECT t.*, b.file_name FROM %[1]s t JOIN load_batches b USING (batch_id)
			WHERE t.batch_id < ? AND b.kind = ? AND b.replaced_by IS NULL)
		SELECT n.source_row, min(o.batch_id), arg_min(o.source_row, o.batch_id), arg_min(o.file_name, o.batch_id)
		FROM n JOIN o ON %[2]s GROUP BY n.source_row ORDER BY n.source_row`, table, strings.Join(same, " AND "))
	rows, err = tx.QueryContext(ctx, earlier, id, id, string(kind))
	if err != nil {
		return nil, fmt.Errorf("compare with the loaded rows: %w", err)
	}
	defer rows.Close()
	var again []read.Warning
	files := map[string]bool{}
	for rows.Next() {
		var row, batch, srcRow int64
		var file string
		if err := rows.Scan(&row, &batch, &srcRow, &file); err != nil {
			return nil, err
		}
		files[fmt.Sprintf("批次 %d“%s”", batch, file)] = true
		again = append(again, read.Warning{Row: int(row), Column: "整行", Msg: fmt.Sprintf("与已导入的批次 %d（%s）第%d行完全相同", batch, file, srcRow)})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(again) > 0 {
		names := slices.Sorted(maps.Keys(files))
		warns = append(warns, read.Warning{Msg: fmt.Sprintf("本文件有 %d 行与已导入的数据完全相同（%s），已照常导入，请核对是否重复上传", len(again), strings.Join(names, "、"))})
		warns = append(warns, again[:min(len(again), maxDupWarnings)]...)
	}
	return warns, nil
}

func asInt(v any) int {
	switch x := v.(type) {
	case int32:
		return int(x)
	case int64:
		return int(x)
	case int:
		return x
	}
	return 0
}

// addWarnings stores more warnings of batch id after its rows were written.
func addWarnings(ctx context.Context, tx *sql.Tx, id int64, warns []read.Warning) error {
	if len(warns) == 0 {
		return nil
	}
	if err := InsertRows(ctx, tx, "load_warnings", WarningCols, WarningRows(id, warns)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE load_batches SET warnings = warnings + ? WHERE batch_id = ?`, len(warns), id)
	return err
}

// DupCheck is a batch whose repeated rows are to be named once its rows are written.
type DupCheck struct {
	Res   *Result
	Table string
	Cols  []string
}

// WarnDuplicates names res's repeated rows (duplicateWarnings) in its warnings, stored and returned.
func WarnDuplicates(ctx context.Context, tx *sql.Tx, res *Result, table string, cols []string) error {
	dups, err := duplicateWarnings(ctx, tx, res.Kind, table, cols, res.BatchID)
	if err != nil {
		return err
	}
	if err := addWarnings(ctx, tx, res.BatchID, dups); err != nil {
		return err
	}
	res.Warnings = append(res.Warnings, dups...)
	return nil
}
