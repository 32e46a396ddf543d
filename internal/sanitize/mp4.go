package sanitize

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// StripMP4 blanks the metadata boxes of an MP4/QuickTime file in place: udta (with ©xyz GPS
// positions, camera make and model), meta, XMP uuid boxes. Each becomes a free box of the same size
// filled with zeros, so no sample offset moves and the video still plays.
func StripMP4(b []byte) ([]byte, error) {
	out := append([]byte(nil), b...)
	if err := blankBoxes(out, 0, len(out), 0); err != nil {
		return nil, err
	}
	return out, nil
}

// containers are the boxes descended into; metadata can sit in moov, trak and their children.
var mp4Containers = map[string]bool{"moov": true, "trak": true, "mdia": true, "minf": true, "edts": true}

// mp4Meta are blanked wherever they appear in a container walked.
var mp4Meta = map[string]bool{"udta": true, "meta": true, "uuid": true, "XMP_": true, "ilst": true}

func blankBoxes(b []byte, start, end, depth int) error {
	if depth > 8 {
		return errors.New("boxes nested too deep")
	}
	for i := start; i < end; {
		if i+8 > end {
			return fmt.Errorf("truncated box at byte %d", i)
		}
		size := int(binary.BigEndian.Uint32(b[i:]))
		typ := string(b[i+4 : i+8])
		hdr := 8
		switch size {
		case 0: // to the end of the file
			size = end - i
		case 1: // 64-bit size
			if i+16 > end {
				return fmt.Errorf("truncated box at byte %d", i)
			}
			s64 := binary.BigEndian.Uint64(b[i+8:])
			if s64 > uint64(end-i) {
				return fmt.Errorf("box %q at byte %d overruns the file", typ, i)
			}
			size, hdr = int(s64), 16
		}
		if size < hdr || i+size > end {
			return fmt.Errorf("box %q at byte %d overruns the file", typ, i)
		}
		switch {
		case mp4Meta[typ]:
			copy(b[i+4:], "free")
			clear(b[i+hdr : i+size])
		case mp4Containers[typ]:
			if err := blankBoxes(b, i+hdr, i+size, depth+1); err != nil {
				return err
			}
		}
		i += size
	}
	return nil
}
