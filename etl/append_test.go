package etl

import (
	"context"
	"landwatch/etl/batch"
	"testing"
	"time"
)

// batch.AppendRows writes through the appender in the connection's transaction, casting each value to
// its column's type as a bound parameter is cast; a column of mixed Go types is left to INSERT
// statements (it returns false having written nothing), and a rollback leaves none of its rows.
func TestAppendRows(t *testing.T) {
	db, _ := openDB(t)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE t_append (d DATE, n INTEGER, x DOUBLE, s VARCHAR, b BOOLEAN, j JSON)`); err != nil {
		t.Fatal(err)
	}
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cols := []string{"d", "n", "x", "s", "b", "j"}
	day := time.Date(2023, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, commit := range []bool{false, true} {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		ok, err := batch.AppendRows(ctx, conn, "t_append", cols, [][]any{
			{day, 7, 2.5, "甲", true, `{"a":1}`},
			{"2023-03-06", nil, nil, nil, nil, nil}, // a text date with a time.Time above: mixed
		})
		if ok || err != nil {
			t.Fatalf("a mixed column: %v, %v", ok, err)
		}
		ok, err = batch.AppendRows(ctx, conn, "t_append", cols, [][]any{
			{day, 7, 2.5, "甲", true, `{"a":1}`},
			{nil, int64(3), 1.0, nil, false, nil},
		})
		if !ok || err != nil {
			t.Fatalf("append: %v, %v", ok, err)
		}
		ok, err = batch.AppendRows(ctx, conn, "t_append", []string{"d", "s"}, [][]any{{"2023-03-06", "乙"}})
		if !ok || err != nil {
			t.Fatalf("append text date: %v, %v", ok, err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		want := "[]"
		if commit {
			want = "[[2023-03-05 7 2.5 甲 true {\"a\":1}] [2023-03-06 NULL NULL 乙 NULL NULL] [NULL 3 1 NULL false NULL]]"
		}
		got := rowsOf(t, db, `SELECT strftime(d, '%Y-%m-%d'), n, x, s, b, CAST(j AS VARCHAR) FROM t_append ORDER BY ALL`)
		if s := fmtRows(got); s != want {
			t.Errorf("commit %v: %s, want %s", commit, s, want)
		}
	}
}

func fmtRows(rows [][]string) string {
	out := "["
	for i, r := range rows {
		if i > 0 {
			out += " "
		}
		out += "["
		for j, v := range r {
			if j > 0 {
				out += " "
			}
			out += v
		}
		out += "]"
	}
	return out + "]"
}
