package queries

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// ParquetFooter reads a Parquet file's row count and column names from its footer (FileMetaData,
// Thrift compact protocol) without reading its data: the last 8 bytes give the footer's length and
// the magic "PAR1"; the footer's field 2 is the schema (a list of SchemaElement, whose field 4 is
// the name; the first is the root), 3 the row count. A file that is not Parquet, or whose footer
// is damaged, is an error.
func ParquetFooter(f *os.File, size int64) (rows int64, columns []string, err error) {
	if size < 12 {
		return 0, nil, errParquet
	}
	var tail [8]byte
	if _, err := f.ReadAt(tail[:], size-8); err != nil {
		return 0, nil, err
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if string(tail[4:]) != "PAR1" || n <= 0 || n > size-12 || n > 64<<20 {
		return 0, nil, errParquet
	}
	footer := make([]byte, n)
	if _, err := f.ReadAt(footer, size-8-n); err != nil && !errors.Is(err, io.EOF) {
		return 0, nil, err
	}
	r := &thriftReader{b: footer}
	var field int16
	for {
		id, typ, err := r.fieldHeader(&field)
		if err != nil {
			return 0, nil, err
		}
		switch {
		case typ == 0:
			return 0, nil, errParquet // no num_rows
		case id == 2 && typ == 9:
			if columns, err = r.schemaNames(); err != nil {
				return 0, nil, err
			}
			if len(columns) > 0 {
				columns = columns[1:] // the root
			}
		case id == 3 && typ == 6:
			rows, err = r.varint()
			return rows, columns, err
		default:
			if err := r.skip(typ, 0); err != nil {
				return 0, nil, err
			}
		}
	}
}

// schemaNames reads the schema's list of SchemaElement, keeping each one's name (field 4).
func (r *thriftReader) schemaNames() ([]string, error) {
	h, err := r.byte()
	if err != nil {
		return nil, err
	}
	n := uint64(h >> 4)
	if n == 15 {
		if n, err = r.uvarint(); err != nil {
			return nil, err
		}
	}
	if h&0x0f != 12 || n > uint64(len(r.b)-r.i) {
		return nil, errParquet
	}
	var names []string
	for range n {
		var field int16
		name := ""
		for {
			id, t, err := r.fieldHeader(&field)
			if err != nil {
				return nil, err
			}
			if t == 0 {
				break
			}
			if id == 4 && t == 8 {
				l, err := r.uvarint()
				if err != nil || l > uint64(len(r.b)-r.i) {
					return nil, errParquet
				}
				name = string(r.b[r.i : r.i+int(l)])
				r.i += int(l)
				continue
			}
			if err := r.skip(t, 1); err != nil {
				return nil, err
			}
		}
		names = append(names, name)
	}
	return names, nil
}

var errParquet = errors.New("不是有效的 Parquet 文件")

// thriftReader reads the Thrift compact protocol, only as far as ParquetRows needs.
type thriftReader struct {
	b []byte
	i int
}

func (r *thriftReader) byte() (byte, error) {
	if r.i >= len(r.b) {
		return 0, errParquet
	}
	c := r.b[r.i]
	r.i++
	return c, nil
}

func (r *thriftReader) uvarint() (uint64, error) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c, err := r.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, nil
		}
	}
	return 0, errParquet
}

// varint reads a zigzag varint.
func (r *thriftReader) varint() (int64, error) {
	u, err := r.uvarint()
	return int64(u>>1) ^ -int64(u&1), err
}

// fieldHeader reads a struct field's header: its id (from the last one, *last) and type (0: stop).
func (r *thriftReader) fieldHeader(last *int16) (int16, byte, error) {
	c, err := r.byte()
	if err != nil || c == 0 {
		return 0, 0, err
	}
	typ := c & 0x0f
	if d := c >> 4; d != 0 {
		*last += int16(d)
	} else {
		v, err := r.varint()
		if err != nil {
			return 0, 0, err
		}
		*last = int16(v)
	}
	return *last, typ, nil
}

// skip passes over a value of the type, nested at most 64 deep.
func (r *thriftReader) skip(typ byte, depth int) error {
	if depth > 64 {
		return errParquet
	}
	switch typ {
	case 1, 2: // booleans in a field header
		return nil
	case 3:
		_, err := r.byte()
		return err
	case 4, 5, 6:
		_, err := r.uvarint()
		return err
	case 7:
		if r.i+8 > len(r.b) {
			return errParquet
		}
		r.i += 8
		return nil
	case 8:
		n, err := r.uvarint()
		if err != nil || n > uint64(len(r.b)-r.i) {
			return errParquet
		}
		r.i += int(n)
		return nil
	case 9, 10:
		h, err := r.byte()
		if err != nil {
			return err
		}
		n, elem := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = r.uvarint(); err != nil {
				return err
			}
		}
		if n > uint64(len(r.b)-r.i) { // every element takes a byte at least
			return errParquet
		}
		for range n {
			if elem == 1 || elem == 2 { // a boolean in a list is a byte
				elem = 3
			}
			if err := r.skip(elem, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 11:
		n, err := r.uvarint()
		if err != nil || n > uint64(len(r.b)-r.i) {
			return errParquet
		}
		if n == 0 {
			return nil
		}
		kv, err := r.byte()
		if err != nil {
			return err
		}
		for range n {
			if err := r.skip(kv>>4, depth+1); err != nil {
				return err
			}
			if err := r.skip(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 12:
		var field int16
		for {
			_, t, err := r.fieldHeader(&field)
			if err != nil {
				return err
			}
			if t == 0 {
				return nil
			}
			if err := r.skip(t, depth+1); err != nil {
				return err
			}
		}
	}
	return errParquet
}
