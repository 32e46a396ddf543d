package portal

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"landwatch/audit"
	"landwatch/internal/testtool"
	"landwatch/queries"
	"landwatch/reports"
	"landwatch/reports/finance"
	"landwatch/reports/province"
	"landwatch/store/accounts"
)

// pdfText is the text of a PDF (pdftotext), without whitespace.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	testtool.Installed(t, "pdftotext")
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

// TestFinesSameEverywhere: for one as-of, the 罚没款 decided and collected of the one definition
// (mart_fines) appear the same in the briefing PDF, on the public /stats page, in the province
// roll-up and in the finance bureau's spreadsheet; and every case reconciles (decided = collected +
// outstanding).
func TestFinesSameEverywhere(t *testing.T) {
	t.Parallel()
	e := tinyEnv(t)
	ctx := context.Background()
	asOf := time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)
	var dec, col float64
	if err := e.db.QueryRow(`SELECT CAST(sum(decided_yuan) AS DOUBLE), CAST(sum(collected_yuan) AS DOUBLE) FROM mart_fines`).Scan(&dec, &col); err != nil {
		t.Fatal(err)
	}
	if col <= 0 || col >= dec {
		t.Fatalf("the tiny county as of %s has 罚没款 decided %.0f, collected %.0f: want some collected and some outstanding", asOf.Format(time.DateOnly), dec, col)
	}
	if n := e.count(`SELECT count(*) FROM mart_fines WHERE decided_yuan <> collected_yuan + outstanding_yuan`); n != 0 {
		t.Errorf("%d cases where decided ≠ collected + outstanding", n)
	}
	// the old figure counted only the fines of judged cases: a different number
	var judged float64
	if err := e.db.QueryRow(`SELECT CAST(coalesce(sum(coalesce(fine_yuan, 0) + coalesce(confiscated_yuan, 0)), 0) AS DOUBLE)
		FROM mart_cases_pipeline WHERE judged_on IS NOT NULL`).Scan(&judged); err != nil {
		t.Fatal(err)
	}
	if judged == dec {
		t.Fatalf("decided %.0f equals the judged-only figure: the test cannot tell the definitions apart", dec)
	}
	D, C, O := fmt.Sprintf("%.0f", dec), fmt.Sprintf("%.0f", col), fmt.Sprintf("%.0f", dec-col)

	// 1. the briefing
	var pdf bytes.Buffer
	if err := reports.Weekly(ctx, e.db, asOf, &pdf); err != nil {
		t.Fatal(err)
	}
	if want := "罚没款：截至统计日决定" + D + "元（罚款、罚金、没收违法所得，不论是否判决），已收缴" + C + "元，未收缴" + O + "元"; !strings.Contains(pdfText(t, pdf.Bytes()), want) {
		t.Errorf("the briefing does not say %q", want)
	}

	// 2. the public page, as published
	media := e.staffAs(accounts.RoleMedia, "")
	if resp, body := media.post("/staff/publish", nil); resp.StatusCode != 200 {
		t.Fatalf("publish: %d %s", resp.StatusCode, body)
	}
	_, body := staffClient{e: e}.get("/stats")
	cells := cellsOf(tdRe, body)
	got := map[string]string{}
	for i := 0; i+1 < len(cells); i++ {
		got[cells[i]] = cells[i+1]
	}
	if got["罚没款（决定）"] != D || got["罚没款（已收缴）"] != C {
		t.Errorf("/stats: 罚没款（决定） %q, 罚没款（已收缴） %q; want %s, %s", got["罚没款（决定）"], got["罚没款（已收缴）"], D, C)
	}

	// 3. the province roll-up of this county's export
	dir := filepath.Join(t.TempDir(), "county")
	if _, err := queries.Export(ctx, e.db, queries.ExportOptions{Out: dir, AsOf: asOf}); err != nil {
		t.Fatal(err)
	}
	p, err := province.ReadProvince(ctx, []string{dir}, province.ProvinceOptions{Day: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total.FinesDecided != int64(dec) || p.Total.FinesCollected != int64(col) {
		t.Errorf("province: decided %d, collected %d; want %s, %s (%+v)", p.Total.FinesDecided, p.Total.FinesCollected, D, C, p.Counties)
	}
	var ppdf bytes.Buffer
	if err := province.ProvincePDF(p, time.Now(), &ppdf); err != nil {
		t.Fatal(err)
	}
	if want := "罚没款：决定/已收缴/未收缴（元）" + D + "/" + C + "/" + O; !strings.Contains(pdfText(t, ppdf.Bytes()), want) {
		t.Errorf("the province roll-up does not say %q", want)
	}

	// 4. the finance bureau's spreadsheet, downloaded from its console
	fin := e.staffAs(accounts.RoleFinance, "")
	resp, data := fin.get("/staff/export/finance.xlsx?as_of=2023-04-16")
	if resp.StatusCode != 200 {
		t.Fatalf("finance.xlsx: %d %s", resp.StatusCode, data)
	}
	f, err := excelize.OpenReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(finance.SheetFines)
	if err != nil {
		t.Fatal(err)
	}
	last := len(rows)
	if rows[last-1][0] != finance.TotalLabel {
		t.Fatalf("the last row of %s is %v, not the totals", finance.SheetFines, rows[last-1])
	}
	for colName, want := range map[string]float64{"G": dec, "H": col, "I": dec - col} {
		v, err := f.GetCellValue(finance.SheetFines, fmt.Sprintf("%s%d", colName, last), excelize.Options{RawCellValue: true})
		if n, perr := strconv.ParseFloat(v, 64); err != nil || perr != nil || n != want {
			t.Errorf("finance.xlsx %s%d = %q, want %.2f", colName, last, v, want)
		}
	}
}

// TestFinanceConsoleCollection: a collection entered on the console is refused by field for an
// unknown case, a receipt already used and an amount above what is decided; a good one is saved,
// audited and bound, and counted at the next models run.
func TestFinanceConsoleCollection(t *testing.T) {
	t.Parallel()
	e := tinyEnv(t)
	fin := e.staffAs(accounts.RoleFinance, "")
	resp, body := fin.get("/staff/finance")
	if resp.StatusCode != 200 || !strings.Contains(body, `id="fines-outstanding"`) || !strings.Contains(body, "登记收缴") {
		t.Fatalf("/staff/finance: %d", resp.StatusCode)
	}
	var caseID, kind, receipt string
	var owed float64
	// a case and kind that owes and has no receipt in any file (later files may pay what the 04-16 marts show owed)
	if err := e.db.QueryRow(`SELECT case_id, fine_kind, CAST(outstanding_yuan AS DOUBLE) FROM mart_fines f WHERE outstanding_yuan > 0
		AND NOT EXISTS (SELECT 1 FROM stg_finance__collections c WHERE c.case_id = f.case_id AND c.fine_kind = f.fine_kind)
		ORDER BY case_id, fine_kind LIMIT 1`).Scan(&caseID, &kind, &owed); err != nil {
		t.Fatal(err)
	}
	if err := e.db.QueryRow(`SELECT receipt_no FROM mart_fine_collections LIMIT 1`).Scan(&receipt); err != nil {
		t.Fatal(err)
	}
	// the row's button fills the form with the case and kind
	if !strings.Contains(body, fmt.Sprintf(`href="/staff/finance?case=%s&amp;kind=%s#entry"`, url.QueryEscape(caseID), url.QueryEscape(kind))) &&
		!strings.Contains(body, fmt.Sprintf(`href="/staff/finance?case=%s&amp;kind=%s#entry"`, caseID, strings.ToLower(url.QueryEscape(kind)))) {
		t.Errorf("no 登记收缴 button for %s %s", caseID, kind)
	}
	entry := func(c, k, amount, rcpt string) map[string]string {
		return map[string]string{"case_id": c, "fine_kind": k, "amount_yuan": amount, "receipt_no": rcpt, "paid_on": "2023-04-16"}
	}
	before := e.count(`SELECT count(*) FROM collection_entries`)
	for _, tc := range []struct {
		name string
		vals map[string]string
		want string
	}{
		{"unknown case", entry("AJ9999-0001", "罚款", "100", "控-1"), "案件编号：不是已导入案件台账的案件编号"},
		{"receipt used by a file", entry(caseID, kind, "100", receipt), "票据号：票据号已由批次"},
		{"above decided", entry(caseID, kind, strconv.FormatFloat(owed+1, 'f', 2, 64), "控-2"), "金额：累计收缴" + kind},
		{"bad amount and kind", entry(caseID, "滞纳金", "-5", "控-3"), "金额：“-5”应为大于 0 的金额"},
	} {
		resp, body := fin.post("/staff/finance/collections", tc.vals)
		if resp.StatusCode != 400 || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d, want 400 with %q", tc.name, resp.StatusCode, tc.want)
		}
	}
	if n := e.count(`SELECT count(*) FROM collection_entries`); n != before {
		t.Fatalf("a refused entry was saved: %d rows", n)
	}
	resp, body = fin.post("/staff/finance/collections", entry(caseID, kind, strconv.FormatFloat(owed, 'f', 2, 64), "控-4"))
	if resp.StatusCode != 200 || !strings.Contains(body, "已登记收缴，票据号 控-4") {
		t.Fatalf("good entry: %d %s", resp.StatusCode, errorOf(body))
	}
	if resp, body := fin.post("/staff/finance/collections", entry(caseID, kind, "1", "控-4")); resp.StatusCode != 400 || !strings.Contains(body, "票据号已由财政局控制台登记") {
		t.Errorf("the same receipt again: %d", resp.StatusCode)
	}
	// the entry is audited and bound: verify names no problem with it, and names an edit of it
	collectionFindings := func() []string {
		t.Helper()
		_, fs, err := audit.Verify(t.Context(), e.db)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range fs {
			if strings.Contains(f.Text, "罚没款收缴记录") {
				out = append(out, f.Text)
			}
		}
		return out
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'finance.collection'`); n != 1 {
		t.Errorf("%d audit entries for the collection", n)
	}
	if f := collectionFindings(); len(f) != 0 {
		t.Errorf("audit verify names the entered collection: %v", f)
	}
	// as known then: entered today, it does not change what was known on 04-16
	if _, err := queries.Run(t.Context(), e.db, queries.RunOptions{AsOf: time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	var out float64
	if err := e.db.QueryRow(`SELECT CAST(outstanding_yuan AS DOUBLE) FROM mart_fines WHERE case_id = ? AND fine_kind = ?`, caseID, kind).Scan(&out); err != nil || out != owed {
		t.Errorf("as of 04-16 %s %s owes %v (%v), want %v: an entry made later is not known then", caseID, kind, out, err, owed)
	}
	if n := e.count(`SELECT count(*) FROM stg_finance__collections WHERE receipt_no = '控-4' AND origin = '控制台'`); n != 1 {
		t.Errorf("the entry is not in staging: %d", n)
	}
	if _, err := e.db.Exec(`UPDATE collection_entries SET amount_yuan = amount_yuan - 1 WHERE receipt_no = '控-4'`); err != nil {
		t.Fatal(err)
	}
	if f := collectionFindings(); len(f) != 1 || !strings.Contains(f[0], "控-4") {
		t.Errorf("an edited collection entry: findings %v", f)
	}
}

// errorOf is the error paragraph of a page, for a failure message.
func errorOf(body string) string {
	if i := strings.Index(body, `class="error"`); i >= 0 {
		return body[i:min(len(body), i+400)]
	}
	return ""
}
