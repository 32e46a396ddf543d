package sanitize

import (
	"errors"

	"landwatch/internal/sanitize/pdf"
)

// refusal is a well-formed file the portal will not store because it cannot make it safe.
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }

// StripPDF rebuilds a PDF from its pages (internal/sanitize/pdf): a new file holding the pages,
// their content and resources and plain links only, with every embedded JPEG rewritten by
// StripJPEG. A file that cannot be parsed, or is encrypted, is refused with a Chinese message.
func StripPDF(b []byte) ([]byte, error) {
	out, err := pdf.Clean(b, StripJPEG)
	var pe *pdf.Error
	if errors.As(err, &pe) {
		return nil, &refusal{pe.Msg}
	}
	return out, err
}
