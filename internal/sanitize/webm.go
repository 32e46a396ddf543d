package sanitize

import (
	"errors"
	"fmt"
)

// EBML element IDs (Matroska/WebM), with their length marker bits kept.
const (
	ebmlHeader  = 0x1A45DFA3
	mkvSegment  = 0x18538067
	mkvInfo     = 0x1549A966
	mkvCluster  = 0x1F43B675
	mkvTags     = 0x1254C367
	mkvAttach   = 0x1941A469
	mkvTitle    = 0x7BA9
	mkvMuxApp   = 0x4D80
	mkvWriteApp = 0x5741
	mkvDateUTC  = 0x4461
	ebmlVoid    = 0xEC
)

// mkvTopLevel are the children of a Segment: one of them ends a Cluster of unknown size.
var mkvTopLevel = map[uint32]bool{0x114D9B74: true, mkvInfo: true, 0x1654AE6B: true, mkvCluster: true,
	0x1C53BB6B: true, 0x1043A770: true, mkvTags: true, mkvAttach: true, ebmlHeader: true, mkvSegment: true}

// StripWebM blanks a WebM/Matroska file's metadata in place: every Tags and Attachments element and
// the Title, MuxingApp, WritingApp and DateUTC of the segment Info become Void elements of the same
// total size, filled with zeros, so Cues and SeekHead offsets still point where they did.
func StripWebM(b []byte) ([]byte, error) {
	out := append([]byte(nil), b...)
	if err := ebmlWalk(out, 0, len(out), 0, 0); err != nil {
		return nil, err
	}
	return out, nil
}

// ebmlID reads an element ID at i: 1 to 4 bytes, the count given by the leading zero bits.
func ebmlID(b []byte, i, end int) (id uint32, n int, err error) {
	if i >= end {
		return 0, 0, fmt.Errorf("truncated element at byte %d", i)
	}
	for n = 1; n <= 4 && b[i]&(0x80>>(n-1)) == 0; n++ {
	}
	if n > 4 || i+n > end {
		return 0, 0, fmt.Errorf("bad element ID at byte %d", i)
	}
	for _, c := range b[i : i+n] {
		id = id<<8 | uint32(c)
	}
	return id, n, nil
}

// ebmlSize reads an element's data size at i: 1 to 8 bytes; all value bits set means unknown (-1).
func ebmlSize(b []byte, i, end int) (size int64, n int, err error) {
	if i >= end || b[i] == 0 {
		return 0, 0, fmt.Errorf("bad element size at byte %d", i)
	}
	for n = 1; b[i]&(0x80>>(n-1)) == 0; n++ {
	}
	if i+n > end {
		return 0, 0, fmt.Errorf("truncated element size at byte %d", i)
	}
	v := uint64(b[i] & (0xFF >> n))
	all := v == uint64(0xFF>>n)
	for _, c := range b[i+1 : i+n] {
		v = v<<8 | uint64(c)
		all = all && c == 0xFF
	}
	if all {
		return -1, n, nil
	}
	if v > 1<<50 {
		return 0, 0, fmt.Errorf("element size at byte %d too large", i)
	}
	return int64(v), n, nil
}

// ebmlWalk walks the elements in [start, end) whose parent has the given ID. It returns an error
// for anything malformed, descends into Segment, Info and Cluster, and voids the metadata.
func ebmlWalk(b []byte, start, end int, parent uint32, depth int) error {
	if depth > 8 {
		return errors.New("elements nested too deep")
	}
	if parent == 0 && start < end {
		if id, _, err := ebmlID(b, start, end); err != nil || id != ebmlHeader {
			return errors.New("no EBML header")
		}
	}
	for i := start; i < end; {
		id, idn, err := ebmlID(b, i, end)
		if err != nil {
			return err
		}
		size, sn, err := ebmlSize(b, i+idn, end)
		if err != nil {
			return err
		}
		data := i + idn + sn
		var stop int
		switch {
		case size >= 0:
			if int64(end-data) < size {
				return fmt.Errorf("element %X at byte %d overruns its parent", id, i)
			}
			stop = data + int(size)
		case id == mkvSegment:
			stop = end
		case id == mkvCluster:
			stop, err = unknownCluster(b, data, end)
			if err != nil {
				return err
			}
		default:
			return fmt.Errorf("element %X at byte %d has an unknown size", id, i)
		}
		void := id == mkvTags || id == mkvAttach
		if parent == mkvInfo {
			void = id == mkvTitle || id == mkvMuxApp || id == mkvWriteApp || id == mkvDateUTC
		}
		switch {
		case void && size >= 0:
			writeVoid(b[i:stop])
		case id == mkvSegment && parent == 0, id == mkvInfo && parent == mkvSegment:
			if err := ebmlWalk(b, data, stop, id, depth+1); err != nil {
				return err
			}
		}
		i = stop
	}
	return nil
}

// unknownCluster finds where a Cluster of unknown size ends: at the next top-level element.
func unknownCluster(b []byte, i, end int) (int, error) {
	for i < end {
		id, idn, err := ebmlID(b, i, end)
		if err != nil {
			return 0, err
		}
		if mkvTopLevel[id] {
			return i, nil
		}
		size, sn, err := ebmlSize(b, i+idn, end)
		if err != nil {
			return 0, err
		}
		if size < 0 || int64(end-i-idn-sn) < size {
			return 0, fmt.Errorf("element %X at byte %d overruns the cluster", id, i)
		}
		i += idn + sn + int(size)
	}
	return end, nil
}

// writeVoid turns e, a whole element, into a Void element of the same length filled with zeros.
func writeVoid(e []byte) {
	clear(e)
	e[0] = ebmlVoid
	n := len(e) - 2 // data size with a one-byte size field
	if n <= 126 {
		e[1] = 0x80 | byte(n)
		return
	}
	n = len(e) - 9 // an eight-byte size field
	e[1] = 0x01
	for k := 0; k < 7; k++ {
		e[8-k] = byte(n >> (8 * k))
	}
}
