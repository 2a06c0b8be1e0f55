// Package mediatest builds test inputs for uploads: JPEGs with EXIF, GPS and
// serial-number metadata, PNGs with text chunks, decompression bombs, PDFs
// and WebPs, all constructed in code.
package mediatest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

var (
	Red    = color.NRGBA{255, 0, 0, 255}
	Blue   = color.NRGBA{0, 0, 255, 255}
	Green  = color.NRGBA{0, 255, 0, 255}
	Yellow = color.NRGBA{255, 255, 0, 255}
)

// Secrets planted in metadata; none of them may appear in normalised output.
const (
	SecretSerial  = "SN-4821-TOWNHALL-CAM"
	SecretMake    = "SecretCamMaker"
	SecretXMP     = "xmp-secret-location-Main-Street-12"
	SecretComment = "jpeg-comment-secret"
	SecretICC     = "icc-profile-secret"
	SecretIPTC    = "iptc-secret-byline"
	SecretPNGText = "GPS 41.88,-87.63 secret"
	SecretPNGIntl = "itxt-secret-Elm-Road"
	SecretPNGZ    = "ztxt-secret-Oak-Avenue"
	SecretPNGExif = "png-exif-secret"
)

// GpsLatitude is the GPSLatitude value (41° 52' 48.00") as three RATIONALs in
// little-endian order, exactly as it is stored in the EXIF fixture.
var GpsLatitude = []byte{
	41, 0, 0, 0, 1, 0, 0, 0,
	52, 0, 0, 0, 1, 0, 0, 0,
	0xC0, 0x12, 0, 0, 100, 0, 0, 0, // 4800/100
}

// Halves returns a w×h image whose left half is left and right half right.
func Halves(w, h int, left, right color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if x < w/2 {
				m.SetNRGBA(x, y, left)
			} else {
				m.SetNRGBA(x, y, right)
			}
		}
	}
	return m
}

// Quadrants returns a w×h image with four coloured Quadrants:
// Red top-left, Blue top-right, Green bottom-left, Yellow bottom-right.
func Quadrants(w, h int) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			switch {
			case x < w/2 && y < h/2:
				m.SetNRGBA(x, y, Red)
			case y < h/2:
				m.SetNRGBA(x, y, Blue)
			case x < w/2:
				m.SetNRGBA(x, y, Green)
			default:
				m.SetNRGBA(x, y, Yellow)
			}
		}
	}
	return m
}

func StdJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func StdPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ---- JPEG marker segments -------------------------------------------------

// JpegSegment returns a marker segment: 0xFF, marker, 16-bit length, payload.
func JpegSegment(marker byte, payload []byte) []byte {
	n := len(payload) + 2
	if n > 0xFFFF {
		panic("segment too long")
	}
	return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
}

// InsertAfterSOI puts segments right after the SOI marker of a JPEG file.
func InsertAfterSOI(jpg []byte, segments ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segments {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// JpegMarkers walks the marker segments of a JPEG file up to (and including)
// the first SOS and returns the marker bytes seen (without SOI).
func JpegMarkers(t testing.TB, data []byte) []byte {
	t.Helper()
	if !bytes.HasPrefix(data, []byte{0xFF, 0xD8}) {
		t.Fatalf("output does not start with SOI")
	}
	var markers []byte
	i := 2
	for {
		if i+4 > len(data) || data[i] != 0xFF {
			t.Fatalf("bad JPEG marker structure at offset %d", i)
		}
		m := data[i+1]
		markers = append(markers, m)
		if m == 0xDA {
			return markers
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		i += 2 + n
	}
}

// ---- EXIF / TIFF -------------------------------------------------------------

// TiffEntry is one IFD entry: tag, type, count and the raw value bytes
// (already in the byte order of the file). Values of up to four bytes are
// stored in the entry, longer ones in the data area.
type TiffEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte
	// sub, if set, makes this entry a pointer (LONG) to the IFD with this
	// index in the list given to BuildTIFF.
	sub int
}

// BuildTIFF lays out IFDs (the first is IFD0) followed by a data area for
// long values, in byte order bo, and returns the TIFF bytes.
func BuildTIFF(bo binary.ByteOrder, ifds [][]TiffEntry) []byte {
	ifdOff := make([]uint32, len(ifds))
	off := uint32(8)
	for i, ifd := range ifds {
		ifdOff[i] = off
		off += 2 + 12*uint32(len(ifd)) + 4
	}
	dataOff := off

	var head, data bytes.Buffer
	if bo == binary.ByteOrder(binary.LittleEndian) {
		head.WriteString("II")
	} else {
		head.WriteString("MM")
	}
	abo := bo.(binary.AppendByteOrder)
	w16 := func(b *bytes.Buffer, v uint16) { b.Write(abo.AppendUint16(nil, v)) }
	w32 := func(b *bytes.Buffer, v uint32) { b.Write(abo.AppendUint32(nil, v)) }
	w16(&head, 42)
	w32(&head, ifdOff[0])
	for _, ifd := range ifds {
		w16(&head, uint16(len(ifd)))
		for _, e := range ifd {
			w16(&head, e.tag)
			if e.sub > 0 {
				w16(&head, 4) // LONG
				w32(&head, 1)
				w32(&head, ifdOff[e.sub])
				continue
			}
			w16(&head, e.typ)
			w32(&head, e.count)
			if len(e.value) <= 4 {
				v := append(append([]byte{}, e.value...), make([]byte, 4-len(e.value))...)
				head.Write(v)
			} else {
				w32(&head, dataOff+uint32(data.Len()))
				data.Write(e.value)
				if data.Len()%2 == 1 {
					data.WriteByte(0)
				}
			}
		}
		w32(&head, 0) // no next IFD
	}
	return append(head.Bytes(), data.Bytes()...)
}

// ExifSegment returns an APP1 segment with EXIF data: the given orientation
// in IFD0 plus camera make, an EXIF IFD with a body serial number and a GPS
// IFD with latitude and longitude.
func ExifSegment(bo binary.ByteOrder, orientation uint16) []byte {
	abo := bo.(binary.AppendByteOrder)
	short := func(v uint16) []byte { return abo.AppendUint16(nil, v) }
	ascii := func(s string) []byte { return append([]byte(s), 0) }
	rationals := func(v ...uint32) []byte {
		var b []byte
		for _, x := range v {
			b = abo.AppendUint32(b, x)
		}
		return b
	}
	lat := rationals(41, 1, 52, 1, 4800, 100)
	if bo == binary.ByteOrder(binary.LittleEndian) && !bytes.Equal(lat, GpsLatitude) {
		panic("GpsLatitude out of sync")
	}
	ifd0 := []TiffEntry{
		{tag: 0x010F, typ: 2, count: uint32(len(SecretMake) + 1), value: ascii(SecretMake)}, // Make
		{tag: 0x0112, typ: 3, count: 1, value: short(orientation)},                          // Orientation
		{tag: 0x8769, sub: 1}, // ExifIFDPointer
		{tag: 0x8825, sub: 2}, // GPSInfoIFDPointer
	}
	exifIFD := []TiffEntry{
		{tag: 0xA431, typ: 2, count: uint32(len(SecretSerial) + 1), value: ascii(SecretSerial)}, // BodySerialNumber
	}
	gpsIFD := []TiffEntry{
		{tag: 0x0000, typ: 1, count: 4, value: []byte{2, 3, 0, 0}}, // GPSVersionID
		{tag: 0x0001, typ: 2, count: 2, value: ascii("N")},         // GPSLatitudeRef
		{tag: 0x0002, typ: 5, count: 3, value: lat},                // GPSLatitude
		{tag: 0x0003, typ: 2, count: 2, value: ascii("W")},         // GPSLongitudeRef
		{tag: 0x0004, typ: 5, count: 3, value: rationals(87, 1, 37, 1, 4800, 100)},
	}
	tiff := BuildTIFF(bo, [][]TiffEntry{ifd0, exifIFD, gpsIFD})
	return JpegSegment(0xE1, append([]byte("Exif\x00\x00"), tiff...))
}

// OtherMetadataSegments returns XMP (APP1), ICC (APP2), IPTC (APP13), Adobe
// (APP14) and comment (COM) segments, each carrying a secret.
func OtherMetadataSegments() [][]byte {
	adobe := []byte("Adobe\x00\x64\x00\x00\x00\x00\x01") // version 100, transform 1 = YCbCr
	return [][]byte{
		JpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><rdf:Description exif:GPSLatitude=\""+SecretXMP+"\"/></x:xmpmeta>")),
		JpegSegment(0xE2, []byte("ICC_PROFILE\x00\x01\x01"+SecretICC)),
		JpegSegment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x14\x1c\x02\x50\x00\x12"+SecretIPTC)),
		JpegSegment(0xEE, adobe),
		JpegSegment(0xFE, []byte(SecretComment)),
	}
}

// ExifJPEG returns a JPEG of img carrying EXIF (with the orientation, GPS
// and serial number) and all other kinds of metadata.
func ExifJPEG(t testing.TB, img image.Image, bo binary.ByteOrder, orientation uint16) []byte {
	t.Helper()
	segs := append([][]byte{ExifSegment(bo, orientation)}, OtherMetadataSegments()...)
	return InsertAfterSOI(StdJPEG(t, img, 95), segs...)
}

// SofJPEG returns the start of a baseline JPEG whose SOF0 declares w×h and
// three components, followed by EOI. DecodeConfig accepts it; Decode does not.
func SofJPEG(w, h int) []byte {
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3,
		1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	out := []byte{0xFF, 0xD8}
	out = append(out, JpegSegment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))...)
	out = append(out, JpegSegment(0xC0, sof)...)
	return append(out, 0xFF, 0xD9)
}

// ---- PNG chunks ------------------------------------------------------------

// PngChunk returns a PNG chunk with length, type, data and CRC.
func PngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	return binary.BigEndian.AppendUint32(out, crc.Sum32())
}

// SpliceAfterIHDR inserts chunks right after the IHDR chunk of a PNG file.
func SpliceAfterIHDR(p []byte, chunks ...[]byte) []byte {
	const ihdrEnd = 8 + 4 + 4 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[ihdrEnd:]...)
}

// PngChunkTypes walks a PNG file and returns its chunk types in order.
func PngChunkTypes(t testing.TB, data []byte) []string {
	t.Helper()
	if !bytes.HasPrefix(data, pngSignature) {
		t.Fatalf("output is not a PNG")
	}
	var types []string
	for i := len(pngSignature); i < len(data); {
		if i+12 > len(data) {
			t.Fatalf("truncated chunk at %d", i)
		}
		n := int(binary.BigEndian.Uint32(data[i:]))
		types = append(types, string(data[i+4:i+8]))
		i += 12 + n
	}
	return types
}

// MetadataPNG returns a PNG of img with tEXt, zTXt, iTXt, eXIf and tIME chunks.
func MetadataPNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(SecretPNGZ))
	zw.Close()
	exif := BuildTIFF(binary.BigEndian, [][]TiffEntry{{
		{tag: 0x010F, typ: 2, count: uint32(len(SecretPNGExif) + 1), value: append([]byte(SecretPNGExif), 0)},
	}})
	return SpliceAfterIHDR(StdPNG(t, img),
		PngChunk("tEXt", []byte("Comment\x00"+SecretPNGText)),
		PngChunk("zTXt", append([]byte("Location\x00\x00"), z.Bytes()...)),
		PngChunk("iTXt", []byte("Description\x00\x00\x00en\x00Beschreibung\x00"+SecretPNGIntl)),
		PngChunk("eXIf", exif),
		PngChunk("tIME", []byte{0x07, 0xE9, 1, 2, 3, 4, 5}),
	)
}

// BombPNG returns a PNG with only a signature, an IHDR declaring w×h RGBA
// pixels and IEND.
func BombPNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8 bit, RGBA, deflate, no filter, no interlace
	out := append([]byte{}, pngSignature...)
	out = append(out, PngChunk("IHDR", ihdr)...)
	return append(out, PngChunk("IEND", nil)...)
}

// ---- PDF -------------------------------------------------------------------

// MinimalPDF writes a small valid PDF with a catalog, an empty page tree, a
// cross-reference table with correct offsets and a trailer. extraTrailer is
// added to the trailer dictionary.
func MinimalPDF(extraTrailer string) []byte {
	return pdfOf(extraTrailer, "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>")
}

// PDFWithObjects is a small valid PDF whose objects are catalog (object 1,
// e.g. "<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>"), an empty
// page tree (object 2) and then extra, numbered from 3. An extra object may
// hold a stream ("<< /Length 5 >>\nstream\n...\nendstream").
func PDFWithObjects(catalog string, extra ...string) []byte {
	return pdfOf("", append([]string{catalog, "<< /Type /Pages /Kids [] /Count 0 >>"}, extra...)...)
}

// FlateStream is a PDF stream object holding data compressed with
// FlateDecode (zlib), as object streams hide dictionaries.
func FlateStream(data string) string {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write([]byte(data))
	_ = w.Close()
	return fmt.Sprintf("<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", z.Len(), z.String())
}

func pdfOf(extraTrailer string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, extraTrailer, xref)
	return b.Bytes()
}

// ---- WebP (lossless, VP8L) -------------------------------------------------

// BitWriter writes bits least-significant first, as VP8L expects.
type BitWriter struct {
	buf  []byte
	nbit uint
}

func (w *BitWriter) write(v uint32, n uint) {
	for i := uint(0); i < n; i++ {
		if w.nbit%8 == 0 {
			w.buf = append(w.buf, 0)
		}
		if v>>i&1 != 0 {
			w.buf[len(w.buf)-1] |= 1 << (w.nbit % 8)
		}
		w.nbit++
	}
}

// simpleCode writes a "simple" prefix code with one or two 8-bit symbols.
func (w *BitWriter) simpleCode(symbols ...uint32) {
	w.write(1, 1)                      // simple code
	w.write(uint32(len(symbols)-1), 1) // number of symbols - 1
	w.write(1, 1)                      // first symbol uses 8 bits
	for _, s := range symbols {
		w.write(s, 8)
	}
}

// LosslessWebP returns a w×h lossless WebP whose pixels have Red 255, Blue
// 0 and the given alpha; Green is 0 in the left half and 255 in the right
// half (Red | Yellow). Only simple prefix codes are used: Green has two
// one-bit codes (0 → Green 0, 1 → Green 255), the other channels one
// zero-bit code each.
func LosslessWebP(w, h int, alpha uint8) []byte {
	var bw BitWriter
	bw.write(0x2F, 8) // VP8L signature
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	if alpha != 0xFF {
		bw.write(1, 1) // alpha is used
	} else {
		bw.write(0, 1)
	}
	bw.write(0, 3)               // version
	bw.write(0, 1)               // no transform
	bw.write(0, 1)               // no colour cache
	bw.write(0, 1)               // no meta prefix codes
	bw.simpleCode(0, 255)        // Green (+ length prefixes)
	bw.simpleCode(255)           // Red
	bw.simpleCode(0)             // Blue
	bw.simpleCode(uint32(alpha)) // alpha
	bw.simpleCode(0)             // distance
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if x < w/2 {
				bw.write(0, 1)
			} else {
				bw.write(1, 1)
			}
		}
	}
	chunk := append([]byte("VP8L"), binary.LittleEndian.AppendUint32(nil, uint32(len(bw.buf)))...)
	chunk = append(chunk, bw.buf...)
	if len(bw.buf)%2 == 1 {
		chunk = append(chunk, 0)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(chunk)))...)
	out = append(out, "WEBP"...)
	return append(out, chunk...)
}

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")
