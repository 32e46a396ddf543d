package pdf_test

import (
	"testing"

	"landwatch/portal/sanitize/pdf"
	"landwatch/portal/sanitize/sanitizetest"
)

// TestBypassesRebuilt: each hostile fixture holds what a cleaned file may not (by the audit, and
// by poppler where poppler sees it); the rebuilt file holds none of it and still shows its page.
func TestBypassesRebuilt(t *testing.T) {
	for _, c := range sanitizetest.PDFBypasses(t) {
		t.Run(c.Name, func(t *testing.T) {
			bad, err := pdf.Audit(c.Data)
			if err != nil || len(bad) == 0 {
				t.Fatalf("fixture: audit finds nothing (%v)", err)
			}
			scripts, files := sanitizetest.PopplerActive(t, c.Data)
			t.Logf("fixture: audit %v; poppler scripts %q files %q", bad, scripts, files)
			out, err := pdf.Clean(c.Data, nil)
			if err != nil {
				t.Fatal(err)
			}
			sanitizetest.AssertCleanPDF(t, c.Name, out)
		})
	}
}
