package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/jpeg"
	"runtime"
	"sync"
)

// Parallel JPEG encoding.
//
// image/jpeg encodes on one core, and encoding is the most expensive step of
// normalising a photo. The encoder always writes the same Huffman tables and,
// for a given quality, the same quantisation tables, so horizontal strips of
// an image can be encoded independently and joined into one baseline JPEG:
// the strips' entropy-coded data are separated by restart markers (RSTn)
// and a DRI segment sets the restart interval to the number of MCUs in one
// strip. Each strip starts with DC predictions of zero, which is exactly what
// a decoder assumes after a restart marker. Strip heights are multiples of
// the MCU height, so no strip but the last has padded blocks, and the
// decoded pixels are the same as those of a JPEG encoded in one piece.

const (
	// minStripPixels is the smallest strip worth its own goroutine.
	minStripPixels = 1 << 20
	// maxStrips bounds the number of strips (and goroutines) per image.
	maxStrips = 8
)

// encodeJPEG appends img encoded as JPEG with quality q to buf, in parallel
// strips when the image is large enough and more than one CPU is available.
func encodeJPEG(buf *bytes.Buffer, img image.Image, q int) error {
	b := img.Bounds()
	n := min(runtime.GOMAXPROCS(0), maxStrips, b.Dx()*b.Dy()/minStripPixels)
	return encodeJPEGStrips(buf, img, q, n)
}

// encodeJPEGStrips is encodeJPEG with at most n strips; n <= 1, or an image
// that cannot be cut, gives a plain single-piece encoding.
func encodeJPEGStrips(buf *bytes.Buffer, img image.Image, q, n int) error {
	opts := &jpeg.Options{Quality: q}
	plain := func() error { return jpeg.Encode(buf, img, opts) }

	sub, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	b := img.Bounds()
	if n <= 1 || !ok || b.Dx() >= 1<<16 || b.Dy() >= 1<<16 {
		return plain()
	}
	mcu := 16 // 4:2:0 colour: one MCU is 16×16 pixels
	if _, gray := img.(*image.Gray); gray {
		mcu = 8
	}
	mcusPerRow := (b.Dx() + mcu - 1) / mcu
	mcuRows := (b.Dy() + mcu - 1) / mcu
	rowsPerStrip := (mcuRows + n - 1) / n
	if rowsPerStrip*mcusPerRow > 0xFFFF { // the restart interval is 16 bits
		rowsPerStrip = 0xFFFF / mcusPerRow
	}
	if rowsPerStrip < 1 || rowsPerStrip >= mcuRows {
		return plain()
	}
	n = (mcuRows + rowsPerStrip - 1) / rowsPerStrip
	stripH := rowsPerStrip * mcu

	parts := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		r := image.Rect(b.Min.X, b.Min.Y+i*stripH, b.Max.X, min(b.Min.Y+(i+1)*stripH, b.Max.Y))
		wg.Go(func() {
			var pb bytes.Buffer
			pb.Grow(buf.Available()/n + 4096)
			errs[i] = jpeg.Encode(&pb, sub.SubImage(r), opts)
			parts[i] = pb.Bytes()
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}

	// Split every part into its headers (SOI to SOS) and entropy-coded data.
	head, sos, data0, ok := splitJPEG(parts[0])
	if !ok {
		return plain()
	}
	entropy := [][]byte{data0}
	for _, p := range parts[1:] {
		h, s, d, ok := splitJPEG(p)
		// All parts share their tables; only the height in SOF0 differs.
		if !ok || len(h) != len(head) || !bytes.Equal(s, sos) {
			return plain()
		}
		entropy = append(entropy, d)
	}
	head = bytes.Clone(head)
	if !setSOF0Height(head, b.Dy()) {
		return plain()
	}

	buf.Write(head)
	buf.Write([]byte{0xFF, 0xDD, 0x00, 0x04, byte(rowsPerStrip * mcusPerRow >> 8), byte(rowsPerStrip * mcusPerRow)}) // DRI
	buf.Write(sos)
	for i, d := range entropy {
		buf.Write(d)
		if i < len(entropy)-1 {
			buf.Write([]byte{0xFF, 0xD0 + byte(i%8)}) // RSTn
		}
	}
	buf.Write([]byte{0xFF, 0xD9}) // EOI
	return nil
}

// splitJPEG splits the output of jpeg.Encode into the segments before the
// SOS marker, the SOS segment, and the entropy-coded data between SOS and
// the final EOI marker.
func splitJPEG(p []byte) (head, sos, data []byte, ok bool) {
	if len(p) < 4 || p[0] != 0xFF || p[1] != 0xD8 || p[len(p)-2] != 0xFF || p[len(p)-1] != 0xD9 {
		return nil, nil, nil, false
	}
	for i := 2; i+4 <= len(p); {
		if p[i] != 0xFF {
			return nil, nil, nil, false
		}
		end := i + 2 + int(binary.BigEndian.Uint16(p[i+2:]))
		if end > len(p)-2 {
			return nil, nil, nil, false
		}
		if p[i+1] == 0xDA {
			return p[:i], p[i:end], p[end : len(p)-2], true
		}
		i = end
	}
	return nil, nil, nil, false
}

// setSOF0Height sets the image height in the SOF0 segment of JPEG headers.
func setSOF0Height(head []byte, h int) bool {
	for i := 2; i+4 <= len(head); {
		if head[i] != 0xFF {
			return false
		}
		end := i + 2 + int(binary.BigEndian.Uint16(head[i+2:]))
		if end > len(head) {
			return false
		}
		if head[i+1] == 0xC0 && end-i >= 9 {
			binary.BigEndian.PutUint16(head[i+5:], uint16(h))
			return true
		}
		i = end
	}
	return false
}
