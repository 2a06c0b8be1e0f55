package media

import (
	"bytes"
	"encoding/binary"
)

// EXIF orientation values (TIFF tag 0x0112). The name says what has to be
// done to the stored pixels to show them upright.
const (
	orientNormal     = 1
	orientFlipH      = 2
	orientRotate180  = 3
	orientFlipV      = 4
	orientTranspose  = 5
	orientRotate90CW = 6
	orientTransverse = 7
	orientRotate90CC = 8
)

var exifHeader = []byte("Exif\x00\x00")

// jpegOrientation returns the EXIF orientation (1..8) of a JPEG file, or 1
// when there is none or it cannot be read. It walks the marker segments up
// to the first scan and uses the first APP1 segment holding EXIF data.
func jpegOrientation(data []byte) int {
	i := 2 // after SOI
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return orientNormal
		}
		marker := data[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0xD8 || marker == 0x01 || 0xD0 <= marker && marker <= 0xD7:
			i += 2 // markers without a length
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image
			return orientNormal
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return orientNormal
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, exifHeader) {
			return tiffOrientation(seg[len(exifHeader):])
		}
		i += 2 + n
	}
	return orientNormal
}

// tiffOrientation returns the Orientation tag of IFD0 of a TIFF structure
// (the body of an EXIF segment), or 1 when it is missing or invalid.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return orientNormal
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return orientNormal
	}
	if bo.Uint16(t[2:]) != 42 {
		return orientNormal
	}
	off := uint64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return orientNormal
	}
	count := uint64(bo.Uint16(t[off:]))
	for k := uint64(0); k < count; k++ {
		e := off + 2 + 12*k
		if e+12 > uint64(len(t)) {
			break
		}
		entry := t[e : e+12]
		if bo.Uint16(entry) != 0x0112 {
			continue
		}
		var v uint32
		switch typ := bo.Uint16(entry[2:]); typ {
		case 3: // SHORT, the type the standard asks for
			v = uint32(bo.Uint16(entry[8:]))
		case 4: // LONG, written by a few tools
			v = bo.Uint32(entry[8:])
		default:
			return orientNormal
		}
		if bo.Uint32(entry[4:]) < 1 || v < 1 || v > 8 {
			return orientNormal
		}
		return int(v)
	}
	return orientNormal
}
