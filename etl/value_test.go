package etl

import (
	"context"
	"fmt"
	"testing"
)

// TestCaseValue: the cases register's 认定价值 (the price determination's value, which decides
// 移送公安 by the category's threshold) is stored as a number; a negative or unreadable value refuses
// the file whole, naming the file, row and column.
func TestCaseValue(t *testing.T) {
	db, cfg := openDB(t)
	path := writeFile(t, "案件台账.csv", "案件编号,线索来源,乡镇,发现日期,价格认定完成日期,认定价值\n"+
		"AJ-1,巡查,郭道镇,2023-03-10,2023-03-20,\"125,000\"\nAJ-2,巡查,郭道镇,2023-03-10,,\n")
	if _, err := LoadFile(context.Background(), db, cfg, KindCases, path, Options{LoadedBy: "test", ReceivedAt: at(t, "2023-03-25")}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rowsOf(t, db, `SELECT case_id, CAST(value_yuan AS VARCHAR) FROM raw_cases ORDER BY case_id`)); got != "[[AJ-1 125000.00] [AJ-2 NULL]]" {
		t.Fatalf("stored %s", got)
	}
	fresh, cfg := openDB(t)
	refused(t, fresh, cfg, KindCases, writeFile(t, "案件台账-负.csv", "案件编号,线索来源,乡镇,发现日期,认定价值\nAJ-3,巡查,郭道镇,2023-03-10,-5\n"),
		"案件台账-负.csv 第2行 认定价值: “-5” 不能为负数")
	refused(t, fresh, cfg, KindCases, writeFile(t, "案件台账-字.csv", "案件编号,线索来源,乡镇,发现日期,认定价值\nAJ-3,巡查,郭道镇,2023-03-10,十万\n"),
		"案件台账-字.csv 第2行 认定价值: “十万” 不是有效数字")
}
