package gate

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"os"
)

// firstFieldMax is the most read of a body before its first field's value is known.
const firstFieldMax = 64 << 10

// FirstField reads a multipart body up to its first field, which must be want (not a file) and
// short; it returns the field's value and the bytes it consumed (to be read again before the rest).
func FirstField(r io.Reader, boundary, want string) (string, []byte, bool) {
	var seen bytes.Buffer
	mr := multipart.NewReader(io.TeeReader(io.LimitReader(r, firstFieldMax), &seen), boundary)
	p, err := mr.NextPart()
	if err != nil || p.FormName() != want || p.FileName() != "" {
		return "", nil, false
	}
	v, err := io.ReadAll(io.LimitReader(p, 257))
	if err != nil || len(v) > 256 {
		return "", nil, false
	}
	return string(v), seen.Bytes(), true
}

// ErrTooLarge: a body above its limit.
var ErrTooLarge = errors.New("too large")

// Spool copies a body of at most limit bytes into an unlinked temporary file (0600), rewound.
func Spool(r io.Reader, limit int) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "landwatch-body-")
	if err != nil {
		return nil, 0, err
	}
	os.Remove(f.Name()) // gone with its last descriptor
	n, err := io.Copy(f, io.LimitReader(r, int64(limit)+1))
	if err == nil && n > int64(limit) {
		err = ErrTooLarge
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, n, nil
}

// ReadAllInto reads r to its end into b (which should have the room already).
func ReadAllInto(b []byte, r io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
