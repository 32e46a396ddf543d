package portal

import (
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"landwatch/store/tipstore"
)

// The empty tip form and a fresh receipt are the same page for every citizen but for the form's
// token, or the receipt code and its day: after the Argon2id hash, executing their templates was
// the largest cost of a tip. They are rendered once, with placeholders where the token or code
// goes, and filled in by substitution per request. Only the page a visitor without a staff session
// gets is kept; a form with input or errors is rendered as before. The values put in (a token of
// hex digits, digits, dots, letters, '-' and '_'; a 16-digit code; a date) read the same escaped
// in every context the templates use them, so the result is byte for byte what the template makes
// (TestCitizenPagesCached).

// Placeholders: letters only, so that no escaping changes them.
const (
	holeToken = "QzTokenHoleQz"
	holeCode  = "QzCodeHoleQz"
	holeRaw   = "QzRawHoleQz"
	holeDay   = "QzDayHoleQz"
)

type citizenPages struct {
	once          sync.Once
	tip, receipt  string
	tipOK, rcptOK bool
}

func (s *Server) prepareCitizenPages() {
	cp := &s.citizenPages
	cp.once.Do(func() {
		if b, err := s.renderPage(s.pages["tip"], "tip", s.tipFormPage(tipstore.TipInput{}, "", "", nil, "", holeToken)); err == nil {
			cp.tip, cp.tipOK = string(b), strings.Contains(string(b), holeToken)
		}
		if b, err := s.renderPage(s.pages["receipt"], "receipt", s.receiptPage(holeRaw, holeDay, holeCode)); err == nil {
			cp.receipt, cp.rcptOK = string(b), strings.Contains(string(b), holeRaw)
		}
	})
}

// sendCachedTipForm answers with the kept empty tip form and a fresh token; false when the page
// must be rendered (a staff session, or no kept page).
func (s *Server) sendCachedTipForm(c *fiber.Ctx) (bool, error) {
	if u, _ := s.current(c); u != nil {
		return false, nil
	}
	s.prepareCitizenPages()
	if !s.citizenPages.tipOK {
		return false, nil
	}
	tok := s.forms.Issue(s.opt.now())
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return true, c.Status(fiber.StatusOK).SendString(strings.ReplaceAll(s.citizenPages.tip, holeToken, tok))
}

// sendCachedReceipt answers with the kept receipt page for a code and its day; false as above.
func (s *Server) sendCachedReceipt(c *fiber.Ctx, code int, raw, day string) (bool, error) {
	if u, _ := s.current(c); u != nil {
		return false, nil
	}
	s.prepareCitizenPages()
	if !s.citizenPages.rcptOK {
		return false, nil
	}
	r := strings.NewReplacer(holeCode, tipstore.GroupCode(raw), holeRaw, raw, holeDay, day)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return true, c.Status(code).SendString(r.Replace(s.citizenPages.receipt))
}
