package media

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// TestJPEGStripsDecodeIdentically encodes images in strips joined by restart
// markers and checks that they decode to exactly the same pixels as the
// single-piece encoding, and that the markers are in place.
func TestJPEGStripsDecodeIdentically(t *testing.T) {
	ycc := image.NewYCbCr(image.Rect(0, 0, 203, 157), image.YCbCrSubsampleRatio420)
	src := photo(203, 157)
	for y := 0; y < 157; y++ {
		for x := 0; x < 203; x++ {
			r, g, b, _ := src.At(x, y).RGBA()
			yy, cb, cr := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(b>>8))
			ycc.Y[ycc.YOffset(x, y)] = yy
			ycc.Cb[ycc.COffset(x, y)] = cb
			ycc.Cr[ycc.COffset(x, y)] = cr
		}
	}
	gray := image.NewGray(src.Bounds())
	for i := range gray.Pix {
		gray.Pix[i] = src.Pix[4*i+1]
	}
	offset := src.SubImage(image.Rect(3, 5, 200, 150)) // bounds not at (0, 0)
	images := map[string]image.Image{"RGBA": src, "YCbCr": ycc, "Gray": gray, "RGBA with offset": offset}

	for name, img := range images {
		var plain bytes.Buffer
		if err := jpeg.Encode(&plain, img, &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
		want, err := jpeg.Decode(&plain)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{2, 3, 7, 100} {
			var buf bytes.Buffer
			if err := encodeJPEGStrips(&buf, img, 85, n); err != nil {
				t.Fatalf("%s n=%d: %v", name, n, err)
			}
			out := buf.Bytes()
			if !bytes.Contains(out, []byte{0xFF, 0xDD}) || !bytes.Contains(out, []byte{0xFF, 0xD0}) {
				t.Errorf("%s n=%d: no DRI or RST0 marker", name, n)
			}
			got, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatalf("%s n=%d: decoding: %v", name, n, err)
			}
			if got.Bounds().Size() != want.Bounds().Size() {
				t.Fatalf("%s n=%d: size %v, want %v", name, n, got.Bounds(), want.Bounds())
			}
			wb, gb := want.Bounds(), got.Bounds()
			for y := 0; y < wb.Dy(); y++ {
				for x := 0; x < wb.Dx(); x++ {
					if colorDiff(got.At(gb.Min.X+x, gb.Min.Y+y), want.At(wb.Min.X+x, wb.Min.Y+y)) != 0 {
						t.Fatalf("%s n=%d: pixel (%d,%d) differs", name, n, x, y)
					}
				}
			}
		}
	}
}

// TestJPEGStripsFallBack checks the cases that are encoded in one piece.
func TestJPEGStripsFallBack(t *testing.T) {
	small := photo(40, 16) // a single MCU row
	for _, n := range []int{0, 1, 2} {
		var buf bytes.Buffer
		if err := encodeJPEGStrips(&buf, small, 85, n); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(buf.Bytes(), []byte{0xFF, 0xDD}) {
			t.Errorf("n=%d: 40x16 image was cut into strips", n)
		}
		if _, err := jpeg.Decode(&buf); err != nil {
			t.Fatal(err)
		}
	}
}
