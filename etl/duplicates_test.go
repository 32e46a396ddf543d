package etl

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestRepeatedRowsWarned: a file's rows identical to one another, and a new file's rows identical
// to rows an earlier file loaded, are each named in a warning with the row they repeat; the same
// bytes again are not loaded a second time.
func TestRepeatedRowsWarned(t *testing.T) {
	db, cfg := openDB(t)
	ctx := context.Background()
	load := func(name, text string) *Result {
		t.Helper()
		r, err := Load(ctx, db, cfg, KindMeters, name, strings.NewReader(text), Options{LoadedBy: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	town, village := cfg.Townships[0].Name, cfg.Townships[0].Villages[0]
	ctype := cfg.CustomerTypeNames()[0]
	row := func(id int) string {
		return fmt.Sprintf("%d,户%d,%s,%s,%s\n", 1430009000+id, id, ctype, town, village)
	}
	head := "户号,户名,用电类别,乡镇,村\n"
	msgs := func(r *Result) []string {
		var out []string
		for _, w := range r.Warnings {
			out = append(out, w.String())
		}
		return out
	}
	// a patrol log (rows without an id of their own) with one line written twice
	day := cfg.Start().AddDate(0, 0, 10).Format("2006-01-02")
	patrol := fmt.Sprintf("乡镇,巡查日期,巡查人员,发现问题\n%[1]s,%[2]s,张三,未发现问题\n%[1]s,%[2]s,李四,未发现问题\n%[1]s,%[2]s,张三,未发现问题\n", town, day)
	log, err := Load(ctx, db, cfg, KindPatrol, "巡查.csv", strings.NewReader(patrol), Options{LoadedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(msgs(log), "第4行 整行: 与本文件第2行完全相同（重复填报？）") {
		t.Errorf("repeated row not named: %q", msgs(log))
	}
	var stored int
	db.QueryRow(`SELECT count(*) FROM load_warnings WHERE batch_id = ? AND message LIKE '%完全相同%'`, log.BatchID).Scan(&stored)
	if stored == 0 {
		t.Error("the warning is not stored with the batch")
	}
	first := load("电表一.csv", head+row(1)+row(2))
	if len(first.Warnings) != 0 {
		t.Errorf("warnings on a first file: %q", msgs(first))
	}
	again := load("电表一.csv", head+row(1)+row(2))
	if !again.AlreadyLoaded || again.BatchID != first.BatchID {
		t.Errorf("the same bytes loaded again: %+v", again)
	}
	// saved again with a row added: its rows 2 and 3 were loaded before
	second := load("电表二.csv", head+row(1)+row(2)+row(3))
	m := msgs(second)
	want := fmt.Sprintf("第3行 整行: 与已导入的批次 %d（电表一.csv）第3行完全相同", first.BatchID)
	if !slices.Contains(m, want) || !slices.ContainsFunc(m, func(s string) bool {
		return strings.HasPrefix(s, "本文件有 2 行与已导入的数据完全相同")
	}) {
		t.Errorf("rows loaded before not named: want %q in %q", want, m)
	}
	if slices.ContainsFunc(m, func(s string) bool { return strings.HasPrefix(s, "第4行") }) {
		t.Errorf("the new row is named as a repeat: %q", m)
	}
}

// TestAllHeaderErrorsAtOnce: a file lacking several required columns names every one of them,
// also when none of its columns is known (no header row is found); errors past the cap are
// counted.
func TestAllHeaderErrorsAtOnce(t *testing.T) {
	db, cfg := openDB(t)
	ctx := context.Background()
	missing := func(text string) []string {
		t.Helper()
		_, err := Load(ctx, db, cfg, KindCases, "案件.csv", strings.NewReader(text), Options{LoadedBy: "test"})
		var fe *FileError
		if !errors.As(err, &fe) {
			t.Fatalf("not refused: %v", err)
		}
		var cols []string
		for _, ce := range fe.Errors {
			if ce.Msg == "缺少必需的列" {
				cols = append(cols, ce.Column)
			}
		}
		return cols
	}
	if got := missing("案件编号,村,经度\nAJ1,甲,112\n"); !slices.Equal(got, []string{"线索来源", "乡镇", "发现日期"}) {
		t.Errorf("missing columns listed: %q", got)
	}
	if got := missing("甲,乙\n1,2\n"); !slices.Equal(got, []string{"案件编号", "线索来源", "乡镇", "发现日期"}) {
		t.Errorf("no header: missing columns listed: %q", got)
	}
	var b strings.Builder
	b.WriteString("户号,用电类别,乡镇\n")
	for i := range MaxErrors + 30 {
		fmt.Fprintf(&b, "%d,不存在的类别,不存在的乡镇\n", 1430008000+i)
	}
	_, err := Load(ctx, db, cfg, KindMeters, "多错.csv", strings.NewReader(b.String()), Options{LoadedBy: "test"})
	var fe *FileError
	if !errors.As(err, &fe) || !fe.Truncated || len(fe.Errors) != MaxErrors || fe.Count() < MaxErrors+30 {
		t.Fatalf("errors past the cap: %v", err)
	}
	if !strings.Contains(fe.Error(), fmt.Sprintf("%d 处错误", fe.Count())) {
		t.Errorf("the count is not said: %s", strings.SplitN(fe.Error(), "\n", 2)[0])
	}
}
