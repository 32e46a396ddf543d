package batch

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
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

// duplicateWarnings compares the rows each of checks' batches wrote into its table (cols: the
// loader's columns) with one another and with the earlier batches of its kind (those of smaller
// id: loaded before it). All the checks of one table and columns are answered by two queries
// (a manifest's files of one kind), whatever their number; the warnings are those of each
// batch, in checks' order.
func duplicateWarnings(ctx context.Context, tx *sql.Tx, checks []DupCheck) ([][]read.Warning, error) {
	out := make([][]read.Warning, len(checks))
	var order []string
	groups := map[string]*dupGroup{}
	for i, d := range checks {
		key := d.Table + "(" + strings.Join(d.Cols, ",") + ")"
		g := groups[key]
		if g == nil {
			g = &dupGroup{table: d.Table, cols: d.Cols, at: map[int64]int{}}
			groups[key] = g
			order = append(order, key)
		}
		g.at[d.Res.BatchID] = i
		g.ids = append(g.ids, strconv.FormatInt(d.Res.BatchID, 10))
	}
	for _, key := range order {
		g := groups[key]
		if err := g.compare(ctx, tx, func(id int64, w read.Warning) {
			i := g.at[id]
			out[i] = append(out[i], w)
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// dupGroup is the batches of one table and columns whose rows duplicateWarnings compares.
type dupGroup struct {
	table string
	cols  []string
	ids   []string      // the batches, as SQL literals
	at    map[int64]int // batch → its index in duplicateWarnings' checks
}

// compare names the repeated rows of g's batches, each warning with its batch: first a batch's
// rows repeated within its file, then its rows repeating an earlier batch's.
func (g dupGroup) compare(ctx context.Context, tx *sql.Tx, add func(id int64, w read.Warning)) error {
	var same []string
	var keys []string
	for _, c := range g.cols {
		if !slices.Contains(dupIgnored, c) {
			same = append(same, "n."+c+" IS NOT DISTINCT FROM o."+c)
			keys = append(keys, c)
		}
	}
	if len(keys) == 0 || !slices.Contains(g.cols, "source_row") || len(g.ids) == 0 {
		return nil
	}
	in := strings.Join(g.ids, ", ")
	// within each file: each group of identical rows, its later rows pointing at the first
	inFile := fmt.Sprintf(`SELECT batch_id, list(source_row ORDER BY source_row) FROM %s WHERE batch_id IN (%s)
		GROUP BY batch_id, %s HAVING count(*) > 1 ORDER BY batch_id, min(source_row)`, g.table, in, strings.Join(keys, ", "))
	rows, err := tx.QueryContext(ctx, inFile)
	if err != nil {
		return fmt.Errorf("比对文件中的行：%w", err)
	}
	repeats := map[int64][]read.Warning{}
	for rows.Next() {
		var id int64
		var list []any
		if err := rows.Scan(&id, &list); err != nil {
			rows.Close()
			return err
		}
		first := asInt(list[0])
		for _, r := range list[1:] {
			repeats[id] = append(repeats[id], read.Warning{Row: asInt(r), Column: "整行", Msg: fmt.Sprintf("与本文件第%d行完全相同（重复填报？）", first)})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// against the earlier batches of the same kind
	earlier := fmt.Sprintf(`WITH n AS (SELECT t.*, b.kind AS dup_kind FROM %[1]s t JOIN load_batches b USING (batch_id) WHERE t.batch_id IN (%[3]s)),
		o AS (SELECT t.*, b.kind AS dup_kind, b.file_name AS dup_file FROM %[1]s t JOIN load_batches b USING (batch_id)
			WHERE t.batch_id < (SELECT max(batch_id) FROM n) AND b.replaced_by IS NULL AND b.kind IN (SELECT dup_kind FROM n))
		SELECT n.batch_id, n.source_row, min(o.batch_id), arg_min(o.source_row, o.batch_id), arg_min(o.dup_file, o.batch_id)
		FROM n JOIN o ON o.dup_kind = n.dup_kind AND o.batch_id < n.batch_id AND %[2]s
		GROUP BY n.batch_id, n.source_row ORDER BY n.batch_id, n.source_row`, g.table, strings.Join(same, " AND "), in)
	rows, err = tx.QueryContext(ctx, earlier)
	if err != nil {
		return fmt.Errorf("与已导入的行比对：%w", err)
	}
	defer rows.Close()
	again := map[int64][]read.Warning{}
	files := map[int64]map[string]bool{}
	for rows.Next() {
		var id, row, batch, srcRow int64
		var file string
		if err := rows.Scan(&id, &row, &batch, &srcRow, &file); err != nil {
			return err
		}
		if files[id] == nil {
			files[id] = map[string]bool{}
		}
		files[id][fmt.Sprintf("批次 %d“%s”", batch, file)] = true
		again[id] = append(again[id], read.Warning{Row: int(row), Column: "整行", Msg: fmt.Sprintf("与已导入的批次 %d（%s）第%d行完全相同", batch, file, srcRow)})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range g.ids {
		id, _ := strconv.ParseInt(s, 10, 64)
		if r := repeats[id]; len(r) > 0 {
			add(id, read.Warning{Msg: fmt.Sprintf("本文件有 %d 行与文件中的另一行完全相同，已照常导入，请核对是否重复填报", len(r))})
			for _, w := range r[:min(len(r), maxDupWarnings)] {
				add(id, w)
			}
		}
		if a := again[id]; len(a) > 0 {
			names := slices.Sorted(maps.Keys(files[id]))
			add(id, read.Warning{Msg: fmt.Sprintf("本文件有 %d 行与已导入的数据完全相同（%s），已照常导入，请核对是否重复上传", len(a), strings.Join(names, "、"))})
			for _, w := range a[:min(len(a), maxDupWarnings)] {
				add(id, w)
			}
		}
	}
	return nil
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

// DupCheck is a batch whose repeated rows are to be named once its rows are written.
type DupCheck struct {
	Res   *Result
	Table string
	Cols  []string
}

// WarnDuplicates names res's repeated rows (duplicateWarnings) in its warnings, stored and returned.
func WarnDuplicates(ctx context.Context, tx *sql.Tx, res *Result, table string, cols []string) error {
	return WarnDuplicatesAll(ctx, tx, []DupCheck{{Res: res, Table: table, Cols: cols}})
}

// WarnDuplicatesAll is WarnDuplicates for many batches at once (a manifest's): a few queries per
// table, one INSERT of every batch's new warnings and one UPDATE of their counts.
func WarnDuplicatesAll(ctx context.Context, tx *sql.Tx, checks []DupCheck) error {
	dups, err := duplicateWarnings(ctx, tx, checks)
	if err != nil {
		return err
	}
	var rows [][]any
	var counts []string
	for i, d := range checks {
		if len(dups[i]) == 0 {
			continue
		}
		rows = append(rows, WarningRows(d.Res.BatchID, dups[i])...)
		counts = append(counts, fmt.Sprintf("(%d, %d)", d.Res.BatchID, len(dups[i])))
		d.Res.Warnings = append(d.Res.Warnings, dups[i]...)
	}
	if len(rows) == 0 {
		return nil
	}
	if err := InsertRows(ctx, tx, "load_warnings", WarningCols, rows); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE load_batches SET warnings = warnings + v.n FROM (VALUES `+strings.Join(counts, ", ")+`) v(id, n)
		WHERE load_batches.batch_id = v.id`)
	return err
}
