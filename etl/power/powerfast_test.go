package power_test

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"landwatch/etl/power"
)

// Both readers of readings csv files — the Go parser and DuckDB's read_csv — give every row the
// same source_row: the file's line (header = 1) counted over non-blank lines. Small blocks make the
// Go parser cut the file in many places.
func TestReadingsSourceRows(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	const h = "户号,时间,电量\n"
	cases := []struct{ name, content, want string }{
		{"plain.csv", h + "1430000001,2023-03-05 00:00:00,1.5\n1430000002,2023-03-05 01:00:00,2\n",
			"[[2 1430000001 2023-03-05 00:00:00 1.5] [3 1430000002 2023-03-05 01:00:00 2]]"},
		{"no-final-newline.csv", h + "1430000001,2023-03-05 00:00:00,1.5\n1430000002,2023-03-05 01:00:00,2",
			"[[2 1430000001 2023-03-05 00:00:00 1.5] [3 1430000002 2023-03-05 01:00:00 2]]"},
		{"blank-lines.csv", h + "1430000001,2023-03-05 00:00:00,1.5\n\n\n1430000002,2023-03-05 01:00:00,2\n\n1430000003,2023-03-05 02:00:00,0.25\n\n",
			"[[2 1430000001 2023-03-05 00:00:00 1.5] [3 1430000002 2023-03-05 01:00:00 2] [4 1430000003 2023-03-05 02:00:00 0.25]]"},
		{"crlf-blank.csv", "户号,时间,电量\r\n1430000001,2023-03-05 00:00:00,1.5\r\n\r\n1430000002,2023-03-05T01:00:00,2\r\n",
			"[[2 1430000001 2023-03-05 00:00:00 1.5] [3 1430000002 2023-03-05 01:00:00 2]]"},
		{"quoted.csv", `"户号","时间","电量"` + "\n" + `"1430000001","2023-03-05 00:00:00","1.5"` + "\n" + `1430000002,"2023-03-05 01:00:00",2` + "\n",
			"[[2 1430000001 2023-03-05 00:00:00 1.5] [3 1430000002 2023-03-05 01:00:00 2]]"},
		{"extra-columns.csv", "备注,户号,时间,电量\n\"a, \"\"b\"\"\",1430000001,2023-03-05 00:00:00,1.5\n,1430000002,2023-03-05 01:00:00,-0.0\n",
			"[[2 1430000001 2023-03-05 00:00:00 1.5] [3 1430000002 2023-03-05 01:00:00 -0]]"},
		{"leap-day-and-decimals.csv", h + "1430000001,2028-02-29 23:00:00,0.1\n1430000001,2023-12-31 23:00:00,12345678901234567890.5\n",
			"[[2 1430000001 2028-02-29 23:00:00 0.1] [3 1430000001 2023-12-31 23:00:00 1.2345678901234567e+19]]"},
	}
	defer func(fast bool, block int) { *power.FastPowerCSV, *power.FastBlock = fast, block }(*power.FastPowerCSV, *power.FastBlock)
	for _, c := range cases {
		for _, fast := range []bool{true, false} {
			for _, block := range []int{1, 40, 8 << 20} {
				if !fast && block != 1 {
					continue
				}
				*power.FastPowerCSV, *power.FastBlock = fast, block
				path := writeFile(t, c.name, c.content)
				before := power.FastLoads.Load()
				res, err := LoadFile(t.Context(), db, cfg, KindPower, path, Options{})
				if err == nil && fast && power.FastLoads.Load() != before+1 {
					t.Errorf("%s block=%d: not read by the Go parser", c.name, block)
				}
				if err != nil && c.name == "leap-day-and-decimals.csv" && strings.Contains(err.Error(), "常态化周期") {
					// a day outside every phase and period: the rows were read, then refused.
					if !strings.Contains(err.Error(), "第2行 时间: “2028-02-29 23:00:00”") {
						t.Errorf("%s fast=%v block=%d: %v", c.name, fast, block, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s fast=%v block=%d: %v", c.name, fast, block, err)
				}
				got := fmt.Sprint(rowsOf(t, db, `SELECT source_row, meter_id, strftime(ts, '%Y-%m-%d %H:%M:%S'), kwh FROM raw_power_readings JOIN power_meter_keys USING (meter_key)
					WHERE batch_id = ? ORDER BY source_row`, res.BatchID))
				if got != c.want {
					t.Errorf("%s fast=%v block=%d:\n got %s\nwant %s", c.name, fast, block, got, c.want)
				}
				db.Exec(`DELETE FROM raw_power_readings WHERE batch_id = ?`, res.BatchID)
				db.Exec(`DELETE FROM load_batches WHERE batch_id = ?`, res.BatchID)
			}
		}
	}
}

// The errors found by the Go parser's checks name the same rows as source_row, blank lines and all.
func TestReadingsErrorsAfterBlankLines(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	defer func(block int) { *power.FastBlock = block }(*power.FastBlock)
	for _, block := range []int{30, 8 << 20} {
		*power.FastBlock = block
		path := writeFile(t, "readings.csv", "户号,时间,电量\n1430000001,2023-03-05 00:00:00,1\n\n1439999999,2023-03-05 00:00:00,1\n\n1430000001,2023-03-05 01:00:00,-2\n\n1430000001,2022-03-05 01:00:00,2\n")
		refused(t, db, cfg, KindPower, path, "第3行 户号: “1439999999” 不在用电户档案中", "第4行 电量: “-2” 不能为负数", "第5行 时间: “2022-03-05 01:00:00” 不在专项行动的阶段或常态化周期内")
	}
}

func TestParseTimestampUS(t *testing.T) {
	for _, s := range []string{"2023-03-05 14:00:00", "2023-03-05T14:00:00", "2024-02-29 00:00:00", "1969-12-31 23:59:59",
		"0001-01-01 00:00:00", "9999-12-31 23:59:59", "2000-02-29 12:34:56", "2023-02-29 00:00:00", "1900-02-29 00:00:00",
		"2023-03-05 24:00:00", "2023-03-05 14:60:00", "2023-00-05 14:00:00", "2023-03-05 14:00", "2023-3-5 14:00:00",
		"2023-03-05 14:00:0x", "0000-01-01 00:00:00", "2023/03/05 14:00:00", "2023-03-32 00:00:00"} {
		us, ok := power.ParseTimestampUS([]byte(s))
		want, err := time.Parse("2006-01-02 15:04:05", strings.Replace(s, "T", " ", 1))
		if wantOK := err == nil && want.Year() >= 1; ok != wantOK || ok && us != want.UnixMicro() {
			t.Errorf("%s: %d %v, want %d %v", s, us, ok, want.UnixMicro(), wantOK)
		}
	}
}

func TestParseDecimal(t *testing.T) {
	for _, s := range []string{"0", "1", "1.5", "-3.5", "0.1", "0.3", "123456789012345", "1234567890123456", "99.99",
		"0.000000000000000000001", "1.", ".5", "-", "", "1e3", "+1", " 1", "1.2.3", "12345678901234567890.5", "-0"} {
		v, ok := power.ParseDecimal([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		wantOK := err == nil && s != "" && !strings.ContainsAny(s, "e+ ") && s != "-"
		if ok != wantOK || ok && math.Float64bits(v) != math.Float64bits(want) {
			t.Errorf("%q: %v %v, want %v %v", s, v, ok, want, wantOK)
		}
	}
}

// A block of plain ASCII is cut into lines and fields in one pass; every line gives the fields,
// the blank lines and the rest that the line-by-line reading gives (cut at the line end, then
// splitPlain). Blocks with a quote, a CR or a byte outside ASCII are not plain.
func TestSplitASCIILine(t *testing.T) {
	block := "1430000001,2023-03-05 00:00:00,1.5\n\n,,\na,b\na,b,c,d\n,2023-03-05 01:00:00,\nx,y,z"
	if !power.PlainASCII([]byte(block)) {
		t.Fatal("plain block refused")
	}
	long := strings.Repeat("1430000001,2023-03-05 00:00:00,1.5\n", 3)
	for _, bad := range []string{`1,"2",3`, "1,2,3\r\n", "1,2,电量", long + "é", long + "\"", long + "\r"} {
		if power.PlainASCII([]byte(bad)) {
			t.Errorf("%q taken for plain", bad)
		}
	}
	// and every arrangement of a few fields, delimiters and line ends, at every offset of a word
	var all strings.Builder
	all.WriteString(block)
	for k := range 3 * 3 * 3 * 3 * 3 * 3 * 3 * 3 {
		for v := k; v > 0; v /= 3 {
			all.WriteString([...]string{"ab", ",", "\n"}[v%3])
		}
		all.WriteString("1234567890\n")
	}
	block = all.String()
	b := []byte(block)
	for len(b) > 0 {
		var got, want [3][]byte
		n, rest := power.SplitASCIILine(b, ',', got[:])
		lineB, wantRest, _ := bytes.Cut(b, []byte("\n"))
		line := string(lineB)
		wantN := 0
		if line != "" {
			var err error
			if wantN, err = power.SplitPlain([]byte(line), ',', want[:]); err != nil {
				t.Fatal(err)
			}
		}
		// splitPlain counts one past its slots when there are more fields: no more is asked of it
		if n != wantN && !(wantN == len(want)+1 && n > len(want)) || len(rest) != len(wantRest) { // both end b
			t.Fatalf("%q: %d fields, rest %q; want %d, %q", line, n, rest, wantN, wantRest)
		}
		if n <= len(want) {
			for i := range n {
				if (got[i] == nil) != (want[i] == nil) || string(got[i]) != string(want[i]) {
					t.Errorf("%q field %d: %q, want %q", line, i, got[i], want[i])
				}
			}
		}
		b = rest
	}
}
