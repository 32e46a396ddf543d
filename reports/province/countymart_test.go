package province

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"landwatch/queries"
	"landwatch/warehouse"
)

// scorecardFigures are the figures the roll-up reads of a county's scorecard, in ProvinceCounty's
// order.
func scorecardFigures(c *ProvinceCounty) [9]int64 {
	return [9]int64{c.Townships, c.RedTownships, c.YellowTownships, c.ViolationsDue, c.Missed, c.LedgerDue,
		c.RectifiedOnTime, c.OverdueOpen, c.NewAfterRectification}
}

// figuresOf reads a scorecard's figures of its last date up to 2023-04-30 with sel (the columns,
// in scorecardFigures' order, over the rows of that date named sc).
func figuresOf(t *testing.T, db *sql.DB, file, sel string) [9]int64 {
	t.Helper()
	var f [9]int64
	q := `WITH all_rows AS (SELECT * FROM read_parquet(` + lit(file) + `) WHERE as_of <= DATE '2023-04-30'),
		sc AS (SELECT * FROM all_rows WHERE as_of = (SELECT max(as_of) FROM all_rows)) ` + sel
	if err := db.QueryRow(q).Scan(&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8]); err != nil {
		t.Fatal(err)
	}
	return f
}

const (
	countyRow = `SELECT townships, red, yellow, violations_due, missed, ledger_due, rectified_on_time, overdue_open,
		new_after_rectification FROM sc`
	townshipSums = `SELECT count(*), count(*) FILTER (WHERE level = 'red'), count(*) FILTER (WHERE level = 'yellow'),
		sum(violations_due), sum(missed), sum(ledger_due), sum(rectified_on_time), sum(overdue_open),
		sum(new_after_rectification) FROM sc`
)

// TestProvinceCountyMart: a county's figures are its export's row of mart_county_scorecard — a row
// that differs from its townships' sum is the one shown — and an export without that mart (written
// before it existed) has them summed from its townships' rows. The synthetic province writes each
// county's row from its own (moved) townships.
func TestProvinceCountyMart(t *testing.T) {
	dirs := hostileProvince(t, 3)
	connector, err := duckdb.NewConnector(warehouse.DSN("", false), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	mart := func(dir, rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }

	synth, synthSums := figuresOf(t, db, mart(dirs[0], martCounty), countyRow), figuresOf(t, db, mart(dirs[0], martScorecard), townshipSums)
	if synth != synthSums || synth[0] != 12 || synth[3] == 0 {
		t.Fatalf("synthetic county's row %v, its townships' sums %v", synth, synthSums)
	}

	// dirs[1]: the county's row says otherwise than its townships (a county that corrected its
	// figure); the roll-up shows the row
	sc := mart(dirs[1], martCounty)
	tmp := sc + ".tmp"
	if _, err := db.Exec(`COPY (SELECT * REPLACE (missed + 1 AS missed, new_after_rectification + 5 AS new_after_rectification,
			yellow + 1 AS yellow) FROM read_parquet(` + lit(sc) + `)) TO ` + lit(tmp) + ` (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, sc); err != nil {
		t.Fatal(err)
	}
	rehash(t, dirs[1], martCounty)
	corrected := figuresOf(t, db, sc, countyRow)

	// dirs[2]: an export written before mart_county_scorecard
	sums := figuresOf(t, db, mart(dirs[2], martScorecard), townshipSums)
	if err := os.Remove(mart(dirs[2], martCounty)); err != nil {
		t.Fatal(err)
	}
	editManifest(t, dirs[2], func(m *queries.ExportManifest) {
		var files []queries.ExportFile
		for _, f := range m.Files {
			if f.Path != martCounty {
				files = append(files, f)
			}
		}
		m.Files = files
		delete(m.Rows, "marts/mart_county_scorecard")
	})

	p := readProvince(t, dirs, ProvinceOptions{Day: time.Date(2023, 5, 2, 0, 0, 0, 0, time.UTC)})
	for i, want := range [][9]int64{synth, corrected, sums} {
		c := countyNamed(t, p, dirs[i])
		if c.Status != CountyOK || scorecardFigures(c) != want {
			t.Errorf("county %d: %s %q, figures %v, want %v", i, c.Status, c.Problem, scorecardFigures(c), want)
		}
	}
	if corrected == figuresOf(t, db, mart(dirs[1], martScorecard), townshipSums) {
		t.Error("the corrected row equals the townships' sums: the test shows nothing")
	}
	if p.Total.Missed != synth[4]+corrected[4]+sums[4] || p.Total.NewAfterRectification != synth[8]+corrected[8]+sums[8] {
		t.Errorf("totals: missed %d, 属地新增 %d", p.Total.Missed, p.Total.NewAfterRectification)
	}

	// a county's row that cannot be read is that county's problem, as a township row is
	sc = mart(dirs[0], martCounty)
	if _, err := db.Exec(`COPY (SELECT * REPLACE ('很多' AS missed) FROM read_parquet(` + lit(sc) + `)) TO ` + lit(tmp) + ` (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, sc); err != nil {
		t.Fatal(err)
	}
	rehash(t, dirs[0], martCounty)
	// and so is a township row of an export without the county's row
	sc = mart(dirs[2], martScorecard)
	if _, err := db.Exec(`COPY (SELECT * REPLACE ('很多' AS missed) FROM read_parquet(` + lit(sc) + `)) TO ` + lit(tmp) + ` (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, sc); err != nil {
		t.Fatal(err)
	}
	rehash(t, dirs[2], martScorecard)
	p = readProvince(t, dirs, ProvinceOptions{Day: time.Date(2023, 5, 2, 0, 0, 0, 0, time.UTC)})
	if c := countyNamed(t, p, dirs[2]); c.Status != CountyCorrupt || c.Problem != "marts/mart_township_scorecard.parquet 无法读取（列的类型不符）" {
		t.Errorf("a text column in an old export's township rows: %s %q", c.Status, c.Problem)
	}
	if c := countyNamed(t, p, dirs[0]); c.Status != CountyCorrupt || c.Problem != "marts/mart_county_scorecard.parquet 无法读取（列的类型不符）" {
		t.Errorf("a text column in the county's row: %s %q", c.Status, c.Problem)
	}
	if c := countyNamed(t, p, dirs[1]); c.Status != CountyOK || scorecardFigures(c) != corrected {
		t.Errorf("the other counties: %s %q %v", c.Status, c.Problem, scorecardFigures(c))
	}
}
