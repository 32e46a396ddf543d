package portal

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landwatch/audit"
	"landwatch/etl"
	"landwatch/queries"
	"landwatch/store/accounts"
)

// TestAccountabilityPages: on the tiny county as of 04-30 the office hands an entry of the list to
// discipline inspection, discipline inspection records its outcome and reads its evidence, a
// township sees its own entries only, and every step is in the audit chain.
func TestAccountabilityPages(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the tiny county")
	}
	now := time.Date(2023, 5, 2, 2, 0, 0, 0, time.UTC) // 10:00 in the county
	e := newEnv(t, Options{NoJSDelay: 50 * time.Millisecond, Now: func() time.Time { return now }})
	ctx := context.Background()
	results, err := etl.LoadManifest(ctx, e.db, e.srv.cfg, filepath.Join("..", "testdata", "tiny"), etl.Options{LoadedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results { // the manifest's stamps are hand-given: audited, as `landwatch load` does
		if err := e.srv.Audit(ctx, "test", "load.received_stamp", fmt.Sprint(r.BatchID), map[string]any{"file": r.File,
			"bound": audit.Bind("load_batches", fmt.Sprint(r.BatchID))}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := queries.Run(ctx, e.db, queries.RunOptions{AsOf: time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	var item, town string
	if err := e.db.QueryRow(`SELECT item_id, township FROM mart_accountability WHERE status = '待移交' ORDER BY township, item_id LIMIT 1`).Scan(&item, &town); err != nil {
		t.Fatalf("no entry waiting for transfer: %v", err)
	}
	var other string
	e.db.QueryRow(`SELECT item_id FROM mart_accountability WHERE township <> ? LIMIT 1`, town).Scan(&other)

	office := e.staffAs(accounts.RoleOffice, "")
	jijian := e.staffAs(accounts.RoleDiscipline, "")
	own := e.staffAs(accounts.RoleTownship, town)
	if resp, body := office.get("/staff/accountability"); resp.StatusCode != 200 || !strings.Contains(body, item) || !strings.Contains(body, "第一责任人") {
		t.Fatalf("office list: %d", resp.StatusCode)
	}
	if resp, _ := jijian.post("/staff/accountability/transfer", map[string]string{"item": item}); resp.StatusCode != 403 {
		t.Errorf("discipline transferring: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/accountability/transfer", map[string]string{"item": "没有这一项"}); resp.StatusCode != 400 || !strings.Contains(body, "没有这一项") {
		t.Errorf("unknown item: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/accountability/transfer", map[string]string{"item": item, "as_of": "2023-04-30", "on": "2023-05-02", "note": "请核查"}); resp.StatusCode != 200 || !strings.Contains(body, "已移交纪检监察") {
		t.Fatalf("transfer: %d %s", resp.StatusCode, body)
	}
	if resp, _ := office.post("/staff/accountability/outcome", map[string]string{"item": item, "outcome": "诫勉", "on": "2023-05-02"}); resp.StatusCode != 403 {
		t.Errorf("office recording an outcome: %d", resp.StatusCode)
	}
	if resp, body := jijian.post("/staff/accountability/outcome", map[string]string{"item": item, "outcome": "不存在的处分", "on": "2023-05-02"}); resp.StatusCode != 400 {
		t.Errorf("unknown outcome: %d %s", resp.StatusCode, body)
	}
	if resp, body := jijian.post("/staff/accountability/outcome", map[string]string{"item": item, "outcome": "诫勉", "on": "2023-05-02", "doc": "纪字〔2023〕5号"}); resp.StatusCode != 200 || !strings.Contains(body, "已记录处理结果") {
		t.Fatalf("outcome: %d %s", resp.StatusCode, body)
	}
	resp, body := jijian.get("/staff/accountability/" + item)
	if resp.StatusCode != 200 || !strings.Contains(body, "证据") || !strings.Contains(body, "诫勉") || !strings.Contains(body, "纪字〔2023〕5号") || !strings.Contains(body, "请核查") {
		t.Fatalf("evidence page: %d", resp.StatusCode)
	}
	if resp, _ := own.get("/staff/accountability/" + item); resp.StatusCode != 200 {
		t.Errorf("the township's own entry: %d", resp.StatusCode)
	}
	if other != "" {
		if resp, _ := own.get("/staff/accountability/" + other); resp.StatusCode != 404 {
			t.Errorf("another township's entry: %d", resp.StatusCode)
		}
		if _, body := own.get("/staff/accountability"); strings.Contains(body, ">"+other+"<") {
			t.Error("a township sees another township's entries")
		}
	}
	n, findings, err := audit.Verify(ctx, e.db)
	if err != nil || len(findings) != 0 {
		t.Fatalf("audit: %d %v %v", n, findings, err)
	}
	var actions int
	e.db.QueryRow(`SELECT count(*) FROM audit_log WHERE object = ? OR detail LIKE ?`, item, "%"+item+"%").Scan(&actions)
	if actions < 2 {
		t.Errorf("%d audit entries for the transfer and the outcome", actions)
	}
}
