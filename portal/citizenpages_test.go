package portal

import (
	"net/http/httptest"
	"regexp"
	"testing"

	"landwatch/store/tipstore"
)

// The kept tip form and receipt are byte for byte what their templates make for the same token, or
// code and day.
func TestCitizenPagesCached(t *testing.T) {
	e := newEnv(t)
	resp, form := e.do(httptest.NewRequest("GET", "/tip", nil))
	m := regexp.MustCompile(`name="pow_token" value="([^"]+)"`).FindStringSubmatch(form)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	if !e.srv.citizenPages.tipOK || !e.srv.citizenPages.rcptOK {
		t.Fatal("the citizen pages were not kept")
	}
	want, err := e.srv.renderPage(e.srv.pages["tip"], "tip", e.srv.tipFormPage(tipstore.TipInput{}, "", "", nil, "", m[1]))
	if err != nil {
		t.Fatal(err)
	}
	if form != string(want) {
		t.Errorf("the kept form differs from the template's:\n%s\n---\n%s", form, want)
	}

	f := map[string]string{"pow_token": m[1]}
	for k, v := range goodTip() {
		if s, ok := v.(string); ok {
			f[k] = s
		}
	}
	resp, receipt := e.do(multipartReq("/tip?pow_token="+m[1], f, nil))
	code := regexp.MustCompile(`name="code" value="(\d{16})"`).FindStringSubmatch(receipt)
	day := regexp.MustCompile(`name="day" value="([0-9-]{10})"`).FindStringSubmatch(receipt)
	if resp.StatusCode != 201 || code == nil || day == nil {
		t.Fatalf("receipt: %d %s", resp.StatusCode, receipt)
	}
	want, err = e.srv.renderPage(e.srv.pages["receipt"], "receipt", e.srv.receiptPage(code[1], day[1], tipstore.GroupCode(code[1])))
	if err != nil {
		t.Fatal(err)
	}
	if receipt != string(want) {
		t.Errorf("the kept receipt differs from the template's:\n%s\n---\n%s", receipt, want)
	}
}
