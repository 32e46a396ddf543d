package portal

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/store/accounts"
	"landwatch/store/tipstore"
)

// tipIDForm is a tip number: its day and six random letters, nothing that counts.
var tipIDForm = regexp.MustCompile(`^T\d{8}-[2-9A-HJKMNP-Z]{6}$`)

// csrfValue is the per-session token in forms and meta tags, the only part of a page allowed to
// differ between two answers.
var csrfValue = regexp.MustCompile(`(name="_csrf" value="|name="csrf-token" content=")[^"]*"`)

// TestConfidentialNoTrace: the office learns nothing of a tip about officials. Its numbers show no
// gap and no order (random, in the tip number's form); the audit page numbers the entries it shows
// 1…n with n the count it states; every form and route that takes a tip number answers the
// confidential tip's number byte for byte as an unknown number — as the office and as a township.
func TestConfidentialNoTrace(t *testing.T) {
	e := newEnv(t)
	e.submitAPI(goodTip())
	secret := goodTip()
	secret["about_officials"] = true
	secret["description"] = "某所长给盗采点通风报信"
	e.submitAPI(secret)
	e.submitAPI(goodTip())
	ids := e.tipIDs()
	first, hidden, last := ids[0], ids[1], ids[2]
	for _, id := range ids {
		if !tipIDForm.MatchString(id) {
			t.Errorf("tip number %s counts (want T, the day, six random letters)", id)
		}
	}
	// evidence on the hidden tip, so its file route has a real file to refuse
	files, err := e.srv.tips.CheckEvidence([]tipstore.Evidence{{Name: "a.jpg", Data: sanitizetest.ExifJPEG(t)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.tips.AddEvidence(t.Context(), hidden, "citizen", files); err != nil {
		t.Fatal(err)
	}
	var fid string
	e.db.QueryRow(`SELECT file_id FROM tip_files WHERE tip_id = ?`, hidden).Scan(&fid)
	if fid == "" {
		t.Fatal("no evidence file on the hidden tip")
	}

	office := e.staffAs(accounts.RoleOffice, "")
	// the office's list: two tips, both shown, the hidden one nowhere
	_, body := office.get("/staff/tips")
	if !strings.Contains(body, "共 2 条") || !strings.Contains(body, first) || !strings.Contains(body, last) || strings.Contains(body, hidden) {
		t.Errorf("office list: want 共 2 条 with %s and %s only", first, last)
	}

	// the audit page: numbered 1…n over what the office sees, n stated, the hidden trail absent
	var want int
	e.db.QueryRow(`SELECT count(*) FROM audit_log WHERE object <> ? AND object <> ?`, hidden, "R"+strings.TrimPrefix(hidden, "T")).Scan(&want)
	var total int
	e.db.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&total)
	if want == total {
		t.Fatal("the hidden tip left no audit entry: the test proves nothing")
	}
	_, body = office.get("/staff/audit")
	if !strings.Contains(body, fmt.Sprintf("共 %d 条", want)) {
		t.Errorf("office audit page: want 共 %d 条 (the entries it may see, of %d)", want, total)
	}
	if strings.Contains(body, hidden) {
		t.Error("office audit page names the hidden tip")
	}
	rows := regexp.MustCompile(`<tr><td>(\d+)</td>`).FindAllStringSubmatch(body, -1)
	if len(rows) != want {
		t.Fatalf("office audit page: %d rows, want %d (one page)", len(rows), want)
	}
	for i, r := range rows {
		if n, _ := strconv.Atoi(r[1]); n != want-i {
			t.Errorf("audit row %d numbered %d, want %d (contiguous over what the office sees)", i+1, n, want-i)
		}
	}

	// every form and route taking a tip number: the hidden tip and an unknown one answer alike
	unknown := hidden[:10] + "ZZZZZZ"
	if unknown == hidden {
		unknown = hidden[:10] + "YYYYYY"
	}
	town := e.staffAs(accounts.RoleTownship, "沁河镇")
	if _, body := office.post("/staff/tips/"+first+"/triage", map[string]string{"field": "assign", "value": "沁河镇"}); !strings.Contains(body, "已保存") {
		t.Fatal("assign the first tip to the township")
	}
	type probe struct {
		name string
		send func(c staffClient, id string) (int, string)
	}
	form := func(path string, vals map[string]string) func(c staffClient, id string) (int, string) {
		return func(c staffClient, id string) (int, string) {
			v := map[string]string{}
			for k, x := range vals {
				v[k] = strings.ReplaceAll(x, "{id}", id)
			}
			resp, body := c.post(strings.ReplaceAll(path, "{id}", id), v)
			return resp.StatusCode, body
		}
	}
	probes := []probe{
		{"detail", func(c staffClient, id string) (int, string) {
			r, b := c.get("/staff/tips/" + id)
			return r.StatusCode, b
		}},
		{"file", func(c staffClient, id string) (int, string) {
			r, b := c.get("/staff/tips/" + id + "/files/" + fid)
			return r.StatusCode, b
		}},
		{"status", form("/staff/tips/{id}/status", map[string]string{"status": "核查中", "note": "x"})},
		{"message", form("/staff/tips/{id}/message", map[string]string{"body": "请补充"})},
		{"assign", form("/staff/tips/{id}/triage", map[string]string{"field": "assign", "value": "沁河镇"})},
		{"category", form("/staff/tips/{id}/triage", map[string]string{"field": "category", "value": "M4"})},
		{"link", form("/staff/tips/{id}/triage", map[string]string{"field": "link", "value": "AJ-1"})},
		{"duplicate (path)", form("/staff/tips/{id}/triage", map[string]string{"field": "duplicate", "value": last})},
		{"duplicate= (value)", func(c staffClient, id string) (int, string) {
			resp, body := c.post("/staff/tips/"+first+"/triage", map[string]string{"field": "duplicate", "value": id})
			return resp.StatusCode, body
		}},
		{"reward", form("/staff/tips/{id}/reward", map[string]string{"severity": "一般", "amount": "500"})},
		{"evidence", func(c staffClient, id string) (int, string) {
			r, b := c.postFiles("/staff/tips/"+id+"/evidence", nil, map[string][]byte{"b.jpg": sanitizetest.ExifJPEG(t)})
			return r.StatusCode, b
		}},
	}
	for _, who := range []struct {
		name string
		c    staffClient
	}{{"office", office}, {"township", town}} {
		for _, p := range probes {
			if who.name == "township" && (p.name == "assign" || p.name == "category" || p.name == "link" || p.name == "reward" ||
				strings.HasPrefix(p.name, "duplicate")) {
				continue // not the township's forms (403 for any number)
			}
			hc, hb := p.send(who.c, hidden)
			uc, ub := p.send(who.c, unknown)
			hb, ub = csrfValue.ReplaceAllString(hb, "$1\""), csrfValue.ReplaceAllString(ub, "$1\"")
			if hc != uc || hb != ub {
				t.Errorf("%s, %s: the hidden tip answers %d, an unknown one %d; bodies equal: %v\nhidden:  %.300s\nunknown: %.300s",
					who.name, p.name, hc, uc, hb == ub, hb, ub)
			}
			if hc == 200 && p.name != "duplicate= (value)" {
				t.Errorf("%s, %s: 200 for a tip it may not see", who.name, p.name)
			}
			if strings.Contains(hb, hidden) {
				t.Errorf("%s, %s: the answer names the hidden tip", who.name, p.name)
			}
		}
	}
	var dup string
	e.db.QueryRow(`SELECT coalesce(duplicate_of, '') FROM tips WHERE tip_id = ?`, first).Scan(&dup)
	if dup != "" {
		t.Errorf("the first tip was marked a duplicate of %s", dup)
	}
	if n := e.count(`SELECT count(*) FROM tip_history WHERE tip_id = ? AND actor <> 'citizen'`, hidden); n != 0 {
		t.Errorf("the office or township changed the hidden tip: %d history rows", n)
	}

	// a defect on a hidden entry is reported to the office without its place in the chain; one on
	// an entry it sees, by the number the office sees it under
	var hiddenSeq, firstSeq int64
	e.db.QueryRow(`SELECT min(seq) FROM audit_log WHERE object = ?`, hidden).Scan(&hiddenSeq)
	e.db.QueryRow(`SELECT min(seq) FROM audit_log WHERE object = ?`, first).Scan(&firstSeq)
	if _, err := e.db.Exec(`UPDATE audit_log SET detail = detail || ' ' WHERE seq IN (?, ?)`, hiddenSeq, firstSeq); err != nil {
		t.Fatal(err)
	}
	var shownBefore int
	e.db.QueryRow(`SELECT count(*) FROM audit_log WHERE seq < ? AND object NOT IN (?, ?)`, firstSeq, hidden, "R"+strings.TrimPrefix(hidden, "T")).Scan(&shownBefore)
	_, body = office.get("/staff/audit")
	problems := regexp.MustCompile(`<li>([^<]*)</li>`).FindAllStringSubmatch(body[strings.Index(body, `class="errors"`):], -1)
	var words []string
	for _, p := range problems {
		words = append(words, p[1])
	}
	all := strings.Join(words, "\n")
	if !strings.Contains(all, "不在本账号可见的记录中") || strings.Contains(all, hidden) {
		t.Errorf("office audit findings: want the hidden entry's defect without its place:\n%s", all)
	}
	if want := fmt.Sprintf("第 %d 条 被修改", shownBefore+1); !strings.Contains(all, want) {
		t.Errorf("office audit findings: want %q (the office's own numbering):\n%s", want, all)
	}
	if hiddenSeq != int64(shownBefore+1) && strings.Contains(all, fmt.Sprintf("第 %d 条", hiddenSeq)) {
		t.Errorf("office audit findings name the hidden entry's place %d:\n%s", hiddenSeq, all)
	}
}
