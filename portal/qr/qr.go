// Package qr draws a QR code as inline SVG on the server (github.com/yeqown/go-qrcode/v2 computes
// the modules), so a page can show one with nothing fetched from elsewhere and no script: the
// sign-in's authenticator enrolment (portal/staff.go, TOTP) uses it.
package qr

import (
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// quiet is the light margin around the code, in modules (the standard asks for four).
const quiet = 4

// Modules are the dark (true) and light modules of text's QR code, row by row, without the margin;
// error correction level M (15 %).
func Modules(text string) ([][]bool, error) {
	c, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("二维码生成失败：%w", err)
	}
	var w grab
	if err := c.Save(&w); err != nil {
		return nil, fmt.Errorf("二维码生成失败：%w", err)
	}
	return w.bits, nil
}

// grab is a qrcode.Writer that keeps the modules.
type grab struct{ bits [][]bool }

func (g *grab) Write(m qrcode.Matrix) error { g.bits = m.Bitmap(); return nil }
func (g *grab) Close() error                { return nil }

// SVG is text's QR code as an inline <svg> element: one path of unit squares on a white square
// with the quiet margin, scaled by CSS (width 100% of its box, crisp edges). label is its
// accessible name.
func SVG(text, label string) (template.HTML, error) {
	bits, err := Modules(text)
	if err != nil {
		return "", err
	}
	n := len(bits) + 2*quiet
	var p strings.Builder
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&p, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %[1]d %[1]d" role="img" aria-label="%[2]s" shape-rendering="crispEdges">`+
		`<rect width="%[1]d" height="%[1]d" fill="#fff"/><path d="%[3]s" fill="#000"/></svg>`, n, template.HTMLEscapeString(label), p.String())), nil
}
