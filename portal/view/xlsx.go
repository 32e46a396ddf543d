package view

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"
)

// SendXLSX sends f as the download name.
func SendXLSX(c *fiber.Ctx, name string, f *excelize.File) error {
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	Attachment(c, name)
	return c.Send(b.Bytes())
}

// Sheet writes a header and rows to the first sheet, renamed.
func Sheet(title string, header []string, rows [][]any) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", title); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(title)
	if err != nil {
		return nil, err
	}
	h := make([]any, len(header))
	for i, x := range header {
		h[i] = x
	}
	if err := sw.SetRow("A1", h); err != nil {
		return nil, err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, r); err != nil {
			return nil, err
		}
	}
	return f, sw.Flush()
}

// Attachment names the file an answer downloads as: a Chinese name in filename* (RFC 6266, UTF-8,
// percent-encoded), and for old clients a plain filename of its ASCII letters.
func Attachment(c *fiber.Ctx, name string) {
	ext := path.Ext(name)
	plain := strings.Map(func(r rune) rune {
		if r < 0x80 && r > ' ' && r != '"' && r != '\\' && r != ';' {
			return r
		}
		return -1
	}, strings.TrimSuffix(name, ext))
	if plain == "" {
		plain = "download"
	}
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s%s"; filename*=UTF-8''%s`, plain, ext, url.PathEscape(name)))
}

// ExtFor is the file extension of an evidence file of type mime (as internal/sanitize names it).
func ExtFor(mime string) string {
	return map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf", "video/mp4": ".mp4",
		"video/webm": ".webm", "video/quicktime": ".mov", "video/3gpp": ".3gp"}[mime]
}
