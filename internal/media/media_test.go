package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"github.com/townhall-portal/townhall/internal/media/mediatest"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

// checkResult verifies the invariants of every accepted result and returns
// the decoded output image (nil for PDF).
func checkResult(t *testing.T, res Result) image.Image {
	t.Helper()
	if len(res.Data) == 0 {
		t.Fatal("empty Data")
	}
	sum := sha256.Sum256(res.Data)
	if res.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want %x", res.SHA256, sum)
	}
	if res.Size != int64(len(res.Data)) {
		t.Errorf("Size = %d, want %d", res.Size, len(res.Data))
	}
	var img image.Image
	var err error
	switch res.ContentType {
	case "image/jpeg":
		if res.Ext != ".jpg" || Kind(res.Data) != "jpeg" {
			t.Errorf("Ext %q, Kind %q for JPEG", res.Ext, Kind(res.Data))
		}
		img, err = jpeg.Decode(bytes.NewReader(res.Data))
	case "image/png":
		if res.Ext != ".png" || Kind(res.Data) != "png" {
			t.Errorf("Ext %q, Kind %q for PNG", res.Ext, Kind(res.Data))
		}
		img, err = png.Decode(bytes.NewReader(res.Data))
	case "application/pdf":
		if res.Ext != ".pdf" || res.Width != 0 || res.Height != 0 {
			t.Errorf("PDF result: Ext %q, %dx%d", res.Ext, res.Width, res.Height)
		}
		return nil
	default:
		t.Fatalf("unexpected ContentType %q", res.ContentType)
	}
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if b := img.Bounds(); b.Dx() != res.Width || b.Dy() != res.Height {
		t.Errorf("output is %dx%d, Result says %dx%d", b.Dx(), b.Dy(), res.Width, res.Height)
	}
	return img
}

// near reports whether c is within tol of want in every colour channel.
func near(c color.Color, want color.NRGBA, tol int) bool {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	d := func(a, b uint8) bool { return int(a)-int(b) <= tol && int(b)-int(a) <= tol }
	return d(n.R, want.R) && d(n.G, want.G) && d(n.B, want.B) && d(n.A, want.A)
}

func assertNoSecrets(t *testing.T, out []byte, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("output contains %q", s)
		}
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0}, "jpeg"},
		{"png", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "png"},
		{"webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8L"), "webp"},
		{"pdf", []byte("%PDF-1.7\n"), "pdf"},
		{"riff avi", []byte("RIFF\x10\x00\x00\x00AVI LIST"), ""},
		{"short riff", []byte("RIFF\x10\x00\x00\x00WEB"), ""},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), ""},
		{"elf", []byte("\x7fELF\x02\x01\x01"), ""},
		{"mz", []byte("MZ\x90\x00\x03\x00"), ""},
		{"html", []byte("<!DOCTYPE html><html>"), ""},
		{"svg", []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), ""},
		{"pdf not at start", []byte(" %PDF-1.7"), ""},
		{"two jpeg bytes", []byte{0xFF, 0xD8}, ""},
		{"empty", nil, ""},
	}
	for _, tt := range tests {
		if got := Kind(tt.data); got != tt.want {
			t.Errorf("%s: Kind = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestJPEGExifStripped is the main privacy test: a photo with orientation 6,
// GPS position, camera serial number, XMP, ICC, IPTC and a comment.
func TestJPEGExifStripped(t *testing.T) {
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		t.Run(bo.String(), func(t *testing.T) {
			in := mediatest.ExifJPEG(t, mediatest.Halves(40, 20, mediatest.Red, mediatest.Blue), bo, 6)
			// The fixture really carries what the output must not.
			for _, s := range []string{mediatest.SecretSerial, mediatest.SecretMake, mediatest.SecretXMP, mediatest.SecretComment, mediatest.SecretICC, mediatest.SecretIPTC} {
				if !bytes.Contains(in, []byte(s)) {
					t.Fatalf("fixture lacks %q", s)
				}
			}
			if bo == binary.ByteOrder(binary.LittleEndian) && !bytes.Contains(in, mediatest.GpsLatitude) {
				t.Fatal("fixture lacks GPS latitude bytes")
			}

			res, err := Normalize(in, Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if res.ContentType != "image/jpeg" || res.Ext != ".jpg" {
				t.Fatalf("got %s %s", res.ContentType, res.Ext)
			}
			img := checkResult(t, res)

			for _, m := range mediatest.JpegMarkers(t, res.Data) {
				if 0xE0 <= m && m <= 0xEF || m == 0xFE {
					t.Errorf("output has marker 0xFF%02X (APPn/COM)", m)
				}
			}
			assertNoSecrets(t, res.Data, mediatest.SecretSerial, mediatest.SecretMake, mediatest.SecretXMP, mediatest.SecretComment,
				mediatest.SecretICC, mediatest.SecretIPTC, "Exif", "http://ns.adobe.com", "ICC_PROFILE", "Photoshop", "Adobe")
			if bytes.Contains(res.Data, mediatest.GpsLatitude) {
				t.Error("output contains the GPS latitude bytes")
			}

			// Orientation 6: turn 90° clockwise. 40×20 becomes 20×40 and
			// the left (mediatest.Red) half ends up on top.
			if res.Width != 20 || res.Height != 40 {
				t.Fatalf("size %dx%d, want 20x40", res.Width, res.Height)
			}
			if c := img.At(10, 8); !near(c, mediatest.Red, 40) {
				t.Errorf("top is %v, want mediatest.Red", c)
			}
			if c := img.At(10, 31); !near(c, mediatest.Blue, 40) {
				t.Errorf("bottom is %v, want mediatest.Blue", c)
			}
		})
	}
}

// TestJPEGAllOrientations checks the eight EXIF orientations against the
// expected quadrant layout and against imaging's own EXIF handling.
func TestJPEGAllOrientations(t *testing.T) {
	// Colours of the output's top-left, top-right, bottom-left, bottom-right
	// quadrant for a stored image with mediatest.Red|mediatest.Blue over mediatest.Green|mediatest.Yellow.
	want := map[uint16][4]color.NRGBA{
		1: {mediatest.Red, mediatest.Blue, mediatest.Green, mediatest.Yellow},
		2: {mediatest.Blue, mediatest.Red, mediatest.Yellow, mediatest.Green},
		3: {mediatest.Yellow, mediatest.Green, mediatest.Blue, mediatest.Red},
		4: {mediatest.Green, mediatest.Yellow, mediatest.Red, mediatest.Blue},
		5: {mediatest.Red, mediatest.Green, mediatest.Blue, mediatest.Yellow},
		6: {mediatest.Green, mediatest.Red, mediatest.Yellow, mediatest.Blue},
		7: {mediatest.Yellow, mediatest.Blue, mediatest.Green, mediatest.Red},
		8: {mediatest.Blue, mediatest.Yellow, mediatest.Red, mediatest.Green},
	}
	for o := uint16(1); o <= 8; o++ {
		in := mediatest.ExifJPEG(t, mediatest.Quadrants(48, 24), binary.LittleEndian, o)
		res, err := Normalize(in, Limits{})
		if err != nil {
			t.Fatalf("orientation %d: %v", o, err)
		}
		img := checkResult(t, res)
		w, h := 48, 24
		if o >= 5 {
			w, h = h, w
		}
		if res.Width != w || res.Height != h {
			t.Errorf("orientation %d: size %dx%d, want %dx%d", o, res.Width, res.Height, w, h)
			continue
		}
		ref, err := imaging.Decode(bytes.NewReader(in), imaging.AutoOrientation(true))
		if err != nil {
			t.Fatal(err)
		}
		pts := [4]image.Point{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}}
		for i, p := range pts {
			if c := img.At(p.X, p.Y); !near(c, want[o][i], 40) {
				t.Errorf("orientation %d: pixel %v is %v, want %v", o, p, c, want[o][i])
			}
			if c := ref.At(p.X, p.Y); !near(c, want[o][i], 40) {
				t.Errorf("orientation %d: imaging reference pixel %v is %v, want %v (fixture or table wrong)", o, p, c, want[o][i])
			}
		}
	}
}

func TestJPEGOrientationParsing(t *testing.T) {
	base := mediatest.StdJPEG(t, mediatest.Halves(16, 8, mediatest.Red, mediatest.Blue), 90)
	xmp := mediatest.JpegSegment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>"))
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"none", base, 1},
		{"le 6", mediatest.InsertAfterSOI(base, mediatest.ExifSegment(binary.LittleEndian, 6)), 6},
		{"be 8", mediatest.InsertAfterSOI(base, mediatest.ExifSegment(binary.BigEndian, 8)), 8},
		{"exif after xmp", mediatest.InsertAfterSOI(base, xmp, mediatest.ExifSegment(binary.BigEndian, 3)), 3},
		{"out of range", mediatest.InsertAfterSOI(base, mediatest.ExifSegment(binary.LittleEndian, 9)), 1},
		{"zero", mediatest.InsertAfterSOI(base, mediatest.ExifSegment(binary.LittleEndian, 0)), 1},
		{"bad tiff", mediatest.InsertAfterSOI(base, mediatest.JpegSegment(0xE1, []byte("Exif\x00\x00XX\x00\x2a"))), 1},
		{"ifd offset past end", mediatest.InsertAfterSOI(base, mediatest.JpegSegment(0xE1, []byte("Exif\x00\x00II\x2a\x00\xff\xff\xff\xff"))), 1},
		{"entry count past end", mediatest.InsertAfterSOI(base, mediatest.JpegSegment(0xE1, []byte("Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\xff\xff"))), 1},
		{"segment length past end", []byte{0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF, 'E'}, 1},
	}
	for _, tt := range tests {
		if got := jpegOrientation(tt.data); got != tt.want {
			t.Errorf("%s: orientation %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestJPEGDownscaleThenOrient(t *testing.T) {
	in := mediatest.ExifJPEG(t, mediatest.Halves(40, 20, mediatest.Red, mediatest.Blue), binary.LittleEndian, 6)
	res, err := Normalize(in, Limits{MaxLongEdge: 20})
	if err != nil {
		t.Fatal(err)
	}
	img := checkResult(t, res)
	if res.Width != 10 || res.Height != 20 {
		t.Fatalf("size %dx%d, want 10x20", res.Width, res.Height)
	}
	if c := img.At(5, 3); !near(c, mediatest.Red, 50) {
		t.Errorf("top is %v, want mediatest.Red", c)
	}
	assertNoSecrets(t, res.Data, mediatest.SecretSerial, "Exif")
}

func TestPNGMetadataStripped(t *testing.T) {
	src := mediatest.Halves(30, 20, mediatest.Green, mediatest.Blue)
	in := mediatest.MetadataPNG(t, src)
	for _, s := range []string{mediatest.SecretPNGText, mediatest.SecretPNGIntl, mediatest.SecretPNGExif} {
		if !bytes.Contains(in, []byte(s)) {
			t.Fatalf("fixture lacks %q", s)
		}
	}
	if types := strings.Join(mediatest.PngChunkTypes(t, in), " "); !strings.Contains(types, "tEXt zTXt iTXt eXIf tIME") {
		t.Fatalf("fixture chunks: %s", types)
	}

	res, err := Normalize(in, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if res.ContentType != "image/png" || res.Ext != ".png" {
		t.Fatalf("got %s %s", res.ContentType, res.Ext)
	}
	img := checkResult(t, res)
	allowed := map[string]bool{"IHDR": true, "PLTE": true, "tRNS": true, "IDAT": true, "IEND": true}
	for _, typ := range mediatest.PngChunkTypes(t, res.Data) {
		if !allowed[typ] {
			t.Errorf("output has chunk %s", typ)
		}
	}
	assertNoSecrets(t, res.Data, mediatest.SecretPNGText, mediatest.SecretPNGIntl, mediatest.SecretPNGZ, mediatest.SecretPNGExif, "Comment", "Location")

	// PNG is lossless: the pixels are unchanged.
	if res.Width != 30 || res.Height != 20 {
		t.Fatalf("size %dx%d", res.Width, res.Height)
	}
	for y := 0; y < 20; y++ {
		for x := 0; x < 30; x++ {
			if !near(img.At(x, y), src.NRGBAAt(x, y), 0) {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, img.At(x, y), src.NRGBAAt(x, y))
			}
		}
	}
}

func TestPNGKeepsTransparencyAndPalette(t *testing.T) {
	pal := color.Palette{color.NRGBA{0, 0, 0, 0}, mediatest.Red, color.NRGBA{0, 0, 255, 128}}
	src := image.NewPaletted(image.Rect(0, 0, 8, 4), pal)
	for i := range src.Pix {
		src.Pix[i] = uint8(i % 3)
	}
	res, err := Normalize(mediatest.MetadataPNG(t, src), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	img := checkResult(t, res)
	if res.ContentType != "image/png" {
		t.Fatalf("ContentType %s", res.ContentType)
	}
	for i := range src.Pix {
		x, y := i%8, i/8
		if !near(img.At(x, y), color.NRGBAModel.Convert(pal[i%3]).(color.NRGBA), 0) {
			t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, img.At(x, y), pal[i%3])
		}
	}
}

func TestPNGDecompressionBomb(t *testing.T) {
	in := mediatest.BombPNG(100000, 100000)
	if cfg, err := png.DecodeConfig(bytes.NewReader(in)); err != nil || cfg.Width != 100000 {
		t.Fatalf("fixture header not readable: %v %+v", err, cfg)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Normalize(in, Limits{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooManyPixels) {
		t.Fatalf("err = %v, want ErrTooManyPixels", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusing the header allocated %d bytes", alloc)
	}
}

// TestExtremeAspectRatio refuses a PNG declaring 40000000×1 pixels: within
// the pixel limit, but downscaling it would need gigabytes for the
// resampling weights.
func TestExtremeAspectRatio(t *testing.T) {
	for _, in := range [][]byte{mediatest.BombPNG(40_000_000, 1), mediatest.BombPNG(1, 40_000_000)} {
		if _, err := Normalize(in, Limits{}); !errors.Is(err, ErrTooManyPixels) {
			t.Errorf("err = %v, want ErrTooManyPixels", err)
		}
	}
}

func TestPixelLimit(t *testing.T) {
	in := mediatest.SofJPEG(9000, 6000) // 54 MP
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(in)); err != nil || cfg.Width != 9000 || cfg.Height != 6000 {
		t.Fatalf("fixture header not readable: %v %+v", err, cfg)
	}
	if _, err := Normalize(in, Limits{}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("default limit: err = %v, want ErrTooManyPixels", err)
	}
	// With a higher limit the pixel check passes; the header-only file then
	// fails to decode.
	_, err := Normalize(in, Limits{MaxPixels: 100_000_000})
	if errors.Is(err, ErrTooManyPixels) || !errors.Is(err, ErrBrokenImage) {
		t.Errorf("100 MP limit: err = %v, want ErrBrokenImage", err)
	}

	// Exactly at the limit is allowed, one pixel more is not.
	small := mediatest.StdPNG(t, mediatest.Halves(10, 10, mediatest.Red, mediatest.Blue))
	if _, err := Normalize(small, Limits{MaxPixels: 100}); err != nil {
		t.Errorf("100 px at limit 100: %v", err)
	}
	if _, err := Normalize(small, Limits{MaxPixels: 99}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("100 px at limit 99: err = %v", err)
	}
}

func TestCheckPixels(t *testing.T) {
	tests := []struct {
		w, h, max int
		model     color.Model
		want      error
	}{
		{1, 1, 1, color.RGBAModel, nil},
		{0, 10, 100, color.RGBAModel, ErrBrokenImage},
		{10, -1, 100, color.RGBAModel, ErrBrokenImage},
		{1 << 31, 1 << 31, 40_000_000, color.RGBAModel, ErrTooManyPixels}, // would overflow int32 math
		{65535, 65535, 40_000_000, color.YCbCrModel, ErrTooManyPixels},
		{6325, 6324, 40_000_000, color.YCbCrModel, nil},
		{65535, 600, 40_000_000, color.NRGBAModel, nil},
		{65536, 1, 40_000_000, color.GrayModel, ErrTooManyPixels}, // edge longer than any JPEG
		{1, 40_000_000, 40_000_000, color.GrayModel, ErrTooManyPixels},
		{5000, 4000, 40_000_000, color.NRGBA64Model, nil},              // 20 MP at 16 bits
		{5000, 4001, 40_000_000, color.NRGBA64Model, ErrTooManyPixels}, // counts as 40.01 MP
		{5000, 4001, 40_000_000, color.RGBA64Model, ErrTooManyPixels},
		{5000, 4001, 40_000_000, color.Gray16Model, nil},
	}
	for _, tt := range tests {
		err := checkPixels(image.Config{ColorModel: tt.model, Width: tt.w, Height: tt.h}, tt.max)
		if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("checkPixels(%d, %d, %d) = %v, want %v", tt.w, tt.h, tt.max, err, tt.want)
		}
	}
}

// Test16BitPNGCountsDouble refuses, from the header, a 16-bit RGBA PNG whose
// decoded pixels would need as much memory as an 8-bit image twice its size.
func Test16BitPNGCountsDouble(t *testing.T) {
	ihdr := binary.BigEndian.AppendUint32(nil, 7000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 4000)
	ihdr = append(ihdr, 16, 6, 0, 0, 0) // 16 bit RGBA: 28 MP count as 56 MP
	in := append(append(append([]byte{}, magicPNG...), mediatest.PngChunk("IHDR", ihdr)...), mediatest.PngChunk("IEND", nil)...)
	if _, err := Normalize(in, Limits{}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("err = %v, want ErrTooManyPixels", err)
	}
	src := image.NewNRGBA64(image.Rect(0, 0, 10, 10))
	if _, err := Normalize(mediatest.StdPNG(t, src), Limits{MaxPixels: 200}); err != nil {
		t.Errorf("10x10 16-bit at 200: %v", err)
	}
	if _, err := Normalize(mediatest.StdPNG(t, src), Limits{MaxPixels: 199}); !errors.Is(err, ErrTooManyPixels) {
		t.Errorf("10x10 16-bit at 199: err = %v", err)
	}
}

func TestUnsupportedTypes(t *testing.T) {
	var gifBuf bytes.Buffer
	pal := image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White})
	if err := gif.Encode(&gifBuf, pal, nil); err != nil {
		t.Fatal(err)
	}
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 56)...)
	mz := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 54)...)
	inputs := map[string][]byte{
		"ELF named photo.jpg": elf,
		"MZ named photo.jpg":  mz,
		"HTML":                []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"),
		"SVG":                 []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`),
		"GIF":                 gifBuf.Bytes(),
		"text":                []byte("just text"),
		"one byte":            {0xFF},
		"zip":                 []byte("PK\x03\x04\x14\x00"),
	}
	for name, in := range inputs {
		if _, err := Normalize(in, Limits{}); !errors.Is(err, ErrUnsupportedType) {
			t.Errorf("%s: err = %v, want ErrUnsupportedType", name, err)
		}
	}
}

func TestEmptyAndTooLarge(t *testing.T) {
	if _, err := Normalize(nil, Limits{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("nil: err = %v", err)
	}
	if _, err := Normalize([]byte{}, Limits{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: err = %v", err)
	}
	pdf := mediatest.MinimalPDF("")
	if _, err := Normalize(pdf, Limits{MaxBytes: int64(len(pdf)) - 1}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over MaxBytes: err = %v", err)
	}
	if _, err := Normalize(pdf, Limits{MaxBytes: int64(len(pdf))}); err != nil {
		t.Errorf("at MaxBytes: err = %v", err)
	}
}

func TestBrokenImages(t *testing.T) {
	full := mediatest.StdJPEG(t, mediatest.Quadrants(64, 64), 90)
	webp := mediatest.LosslessWebP(16, 8, 0xFF)
	inputs := map[string][]byte{
		"truncated JPEG (200 bytes)":   full[:200],
		"JPEG cut before EOI":          full[:len(full)*3/4],
		"JPEG magic only":              {0xFF, 0xD8, 0xFF},
		"garbage after PNG signature":  append(append([]byte{}, magicPNG...), "this is not a chunk at all, just garbage"...),
		"PNG header only":              mediatest.BombPNG(10, 10)[:8+25],
		"PNG without IDAT":             mediatest.BombPNG(10, 10),
		"PNG zero width":               mediatest.BombPNG(0, 10),
		"WebP header only":             []byte("RIFF\x04\x00\x00\x00WEBP"),
		"WebP truncated":               webp[:len(webp)-3],
		"WebP garbage chunk":           []byte("RIFF\x0c\x00\x00\x00WEBPVP8 \x00\x00\x00\x00"),
		"WebP VP8L with bad signature": append(append([]byte{}, webp[:20]...), append([]byte{0x2E}, webp[21:]...)...),
	}
	for name, in := range inputs {
		_, err := Normalize(in, Limits{})
		if !errors.Is(err, ErrBrokenImage) {
			t.Errorf("%s: err = %v, want ErrBrokenImage", name, err)
		}
	}
}

func TestPDF(t *testing.T) {
	valid := mediatest.MinimalPDF("")
	res, err := Normalize(valid, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	if !bytes.Equal(res.Data, valid) || res.ContentType != "application/pdf" || res.Ext != ".pdf" {
		t.Errorf("valid PDF not kept unchanged: %s %s", res.ContentType, res.Ext)
	}

	withTrailingSpace := append(append([]byte{}, valid...), "\r\n  \n\x00"...)
	if _, err := Normalize(withTrailingSpace, Limits{}); err != nil {
		t.Errorf("trailing white space: %v", err)
	}
	// A long file whose marker is close to the end (the 2 KiB window is
	// measured from the end, not the start).
	long := append([]byte("%PDF-1.4\n% "+strings.Repeat("x", 100_000)+"\n"), valid[9:]...)
	if _, err := Normalize(long, Limits{}); err != nil {
		t.Errorf("long PDF: %v", err)
	}

	broken := map[string][]byte{
		"no %%EOF":            bytes.TrimSuffix(valid, []byte("%%EOF\n")),
		"truncated":           valid[:len(valid)/2],
		"%%EOF far from end":  append(append([]byte{}, valid...), strings.Repeat("junk ", 500)...),
		"header only":         []byte("%PDF-1.7\n"),
		"header is the EOF":   []byte("%PDF-%%EOF"),
		"%%EOF at header end": []byte("%PDF%%EOF"), // not even a PDF header
	}
	for name, in := range broken {
		_, err := Normalize(in, Limits{})
		want := ErrBrokenPDF
		if Kind(in) != "pdf" {
			want = ErrUnsupportedType
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", name, err, want)
		}
	}

	encrypted := map[string][]byte{
		"/Encrypt in trailer":  mediatest.MinimalPDF(" /Encrypt 5 0 R"),
		"/Encrypt dict inline": mediatest.MinimalPDF("/Encrypt<</Filter/Standard/V 2>>"),
		"escaped name":         mediatest.MinimalPDF(" /Encr#79pt 5 0 R"),
		"at end of file":       append(append([]byte{}, valid...), "/Encrypt"...),
	}
	for name, in := range encrypted {
		if _, err := Normalize(in, Limits{}); !errors.Is(err, ErrEncryptedPDF) {
			t.Errorf("%s: err = %v, want ErrEncryptedPDF", name, err)
		}
	}
	notEncrypted := map[string][]byte{
		"/EncryptMetadata": mediatest.MinimalPDF(" /EncryptMetadata false"),
		"/Encrypted":       mediatest.MinimalPDF(" /Encrypted true"),
		"/Encryp":          mediatest.MinimalPDF(" /Encryp 1"),
		"word Encrypt":     mediatest.MinimalPDF(" /Title (Encrypt)"),
	}
	for name, in := range notEncrypted {
		if _, err := Normalize(in, Limits{}); err != nil {
			t.Errorf("%s: err = %v, want nil", name, err)
		}
	}
}

func TestDownscalePNG(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 5000, 1000))
	for y := 0; y < 1000; y++ {
		for x := 0; x < 5000; x++ {
			c := mediatest.Red
			if x >= 2500 {
				c = mediatest.Blue
			}
			src.SetNRGBA(x, y, c)
		}
	}
	res, err := Normalize(mediatest.StdPNG(t, src), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	img := checkResult(t, res)
	if res.ContentType != "image/png" {
		t.Errorf("ContentType %s", res.ContentType)
	}
	if res.Width != 4096 || (res.Height != 819 && res.Height != 820) {
		t.Fatalf("size %dx%d, want 4096x819", res.Width, res.Height)
	}
	if !near(img.At(100, 400), mediatest.Red, 2) || !near(img.At(4000, 400), mediatest.Blue, 2) {
		t.Errorf("colours moved: %v %v", img.At(100, 400), img.At(4000, 400))
	}

	// Portrait, custom edge.
	res, err = Normalize(mediatest.StdPNG(t, mediatest.Halves(30, 90, mediatest.Red, mediatest.Blue)), Limits{MaxLongEdge: 45})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	if res.Width != 15 || res.Height != 45 {
		t.Errorf("portrait: size %dx%d, want 15x45", res.Width, res.Height)
	}

	// Within the limit: same size.
	res, err = Normalize(mediatest.StdPNG(t, mediatest.Halves(30, 90, mediatest.Red, mediatest.Blue)), Limits{MaxLongEdge: 90})
	if err != nil {
		t.Fatal(err)
	}
	if res.Width != 30 || res.Height != 90 {
		t.Errorf("no resize expected: %dx%d", res.Width, res.Height)
	}
}

func TestScaleEdge(t *testing.T) {
	tests := []struct{ edge, num, den, want int }{
		{1000, 4096, 5000, 819},
		{3000, 4096, 4000, 3072},
		{1, 4096, 100000, 1},
		{3, 2, 4, 2}, // 1.5 rounds up
	}
	for _, tt := range tests {
		if got := scaleEdge(tt.edge, tt.num, tt.den); got != tt.want {
			t.Errorf("scaleEdge(%d, %d, %d) = %d, want %d", tt.edge, tt.num, tt.den, got, tt.want)
		}
	}
}

func TestWebP(t *testing.T) {
	opaque := mediatest.LosslessWebP(16, 8, 0xFF)
	if Kind(opaque) != "webp" {
		t.Fatalf("Kind = %q", Kind(opaque))
	}
	res, err := Normalize(opaque, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	img := checkResult(t, res)
	if res.ContentType != "image/jpeg" || res.Width != 16 || res.Height != 8 {
		t.Fatalf("opaque WebP: %s %dx%d, want image/jpeg 16x8", res.ContentType, res.Width, res.Height)
	}
	if !near(img.At(2, 4), mediatest.Red, 40) || !near(img.At(13, 4), mediatest.Yellow, 40) {
		t.Errorf("opaque WebP colours: %v %v", img.At(2, 4), img.At(13, 4))
	}

	translucent := mediatest.LosslessWebP(16, 8, 0x80)
	res, err = Normalize(translucent, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	img = checkResult(t, res)
	if res.ContentType != "image/png" || res.Width != 16 || res.Height != 8 {
		t.Fatalf("translucent WebP: %s %dx%d, want image/png 16x8", res.ContentType, res.Width, res.Height)
	}
	if !near(img.At(2, 4), color.NRGBA{255, 0, 0, 0x80}, 0) || !near(img.At(13, 4), color.NRGBA{255, 255, 0, 0x80}, 0) {
		t.Errorf("translucent WebP pixels: %v %v", img.At(2, 4), img.At(13, 4))
	}

	// Downscaled WebP.
	res, err = Normalize(mediatest.LosslessWebP(64, 16, 0xFF), Limits{MaxLongEdge: 32})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, res)
	if res.Width != 32 || res.Height != 8 {
		t.Errorf("downscaled WebP: %dx%d", res.Width, res.Height)
	}
}

func TestSimplify(t *testing.T) {
	// CMYK (as decoded from Adobe CMYK JPEGs) becomes RGBA with the same colours.
	cmyk := image.NewCMYK(image.Rect(0, 0, 2, 1))
	cmyk.SetCMYK(0, 0, color.CMYK{0, 255, 255, 0}) // mediatest.Red
	cmyk.SetCMYK(1, 0, color.CMYK{255, 255, 0, 0}) // mediatest.Blue
	s := simplify(cmyk)
	if _, ok := s.(*image.RGBA); !ok {
		t.Fatalf("CMYK simplified to %T", s)
	}
	if !near(s.At(0, 0), mediatest.Red, 0) || !near(s.At(1, 0), mediatest.Blue, 0) {
		t.Errorf("CMYK colours: %v %v", s.At(0, 0), s.At(1, 0))
	}

	// NYCbCrA with alpha becomes NRGBA; fully opaque becomes its YCbCr.
	a := image.NewNYCbCrA(image.Rect(0, 0, 2, 2), image.YCbCrSubsampleRatio420)
	for i := range a.Y {
		a.Y[i] = 76 // about mediatest.Red with Cb 85, Cr 255
	}
	a.Cb[0], a.Cr[0] = 85, 255
	a.A[0], a.A[1], a.A[2], a.A[3] = 255, 128, 0, 255
	s = simplify(a)
	n, ok := s.(*image.NRGBA)
	if !ok {
		t.Fatalf("NYCbCrA simplified to %T", s)
	}
	for i, p := range []image.Point{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		// Compare premultiplied values: the colour of a fully transparent
		// pixel does not matter.
		r1, g1, b1, a1 := n.At(p.X, p.Y).RGBA()
		r2, g2, b2, a2 := a.At(p.X, p.Y).RGBA()
		for _, d := range []int64{int64(r1) - int64(r2), int64(g1) - int64(g2), int64(b1) - int64(b2), int64(a1) - int64(a2)} {
			if d < -257 || d > 257 {
				t.Errorf("pixel %d: %v, want %v", i, n.At(p.X, p.Y), a.At(p.X, p.Y))
				break
			}
		}
	}
	for i := range a.A {
		a.A[i] = 255
	}
	if _, ok := simplify(a).(*image.YCbCr); !ok {
		t.Errorf("opaque NYCbCrA simplified to %T", simplify(a))
	}
}

func TestGrayJPEG(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 30, 10))
	for x := 0; x < 15; x++ {
		for y := 0; y < 10; y++ {
			g.SetGray(x, y, color.Gray{255})
		}
	}
	in := mediatest.InsertAfterSOI(mediatest.StdJPEG(t, g, 90), mediatest.ExifSegment(binary.BigEndian, 8))
	res, err := Normalize(in, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	img := checkResult(t, res)
	// Orientation 8: turn 90° counter-clockwise; the white left half goes to the bottom.
	if res.Width != 10 || res.Height != 30 {
		t.Fatalf("size %dx%d", res.Width, res.Height)
	}
	if !near(img.At(5, 25), color.NRGBA{255, 255, 255, 255}, 30) || !near(img.At(5, 4), color.NRGBA{0, 0, 0, 255}, 30) {
		t.Errorf("gray orientation: bottom %v top %v", img.At(5, 25), img.At(5, 4))
	}
	assertNoSecrets(t, res.Data, mediatest.SecretSerial, "Exif")
}

func TestSHA256AndSize(t *testing.T) {
	inputs := [][]byte{
		mediatest.MinimalPDF(""),
		mediatest.ExifJPEG(t, mediatest.Halves(40, 20, mediatest.Red, mediatest.Blue), binary.LittleEndian, 1),
		mediatest.MetadataPNG(t, mediatest.Halves(8, 8, mediatest.Red, mediatest.Blue)),
		mediatest.LosslessWebP(4, 4, 0xFF),
	}
	for _, in := range inputs {
		res, err := Normalize(in, Limits{})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, res)
		// Deterministic: the same input gives the same stored bytes.
		again, _ := Normalize(in, Limits{})
		if again.SHA256 != res.SHA256 {
			t.Errorf("%s output not deterministic", res.ContentType)
		}
	}
}

func TestJPEGQuality(t *testing.T) {
	in := mediatest.StdJPEG(t, mediatest.Quadrants(256, 256), 100)
	lo, err := Normalize(in, Limits{JPEGQuality: 30})
	if err != nil {
		t.Fatal(err)
	}
	hi, err := Normalize(in, Limits{JPEGQuality: 500}) // clamped to 100
	if err != nil {
		t.Fatal(err)
	}
	if lo.Size >= hi.Size {
		t.Errorf("quality 30 gave %d bytes, quality 100 gave %d", lo.Size, hi.Size)
	}
}
