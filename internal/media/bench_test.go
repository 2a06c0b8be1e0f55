package media

import (
	"bytes"
	"encoding/binary"
	"github.com/townhall-portal/townhall/internal/media/mediatest"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/disintegration/imaging"
)

// photo returns a w×h image that compresses like a photo: smooth gradients
// with per-pixel noise, so the JPEG is neither trivial nor pure noise.
func photo(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 0; x < w; x++ {
			n := rng.Uint32()
			noise := func(shift uint) int { return int(n>>shift&31) - 16 }
			clamp := func(v int) uint8 { return uint8(max(0, min(255, v))) }
			row[4*x+0] = clamp(x*255/w + noise(0))
			row[4*x+1] = clamp(y*255/h + noise(5))
			row[4*x+2] = clamp((x+y)*255/(w+h) + 64*((x/200+y/200)%2) + noise(10))
			row[4*x+3] = 255
		}
	}
	return m
}

var (
	jpeg12MP = sync.OnceValue(func() []byte { return benchJPEG(4000, 3000) })
	jpeg24MP = sync.OnceValue(func() []byte { return benchJPEG(6000, 4000) })
)

func benchJPEG(w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, photo(w, h), &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func benchNormalize(b *testing.B, in []byte) {
	b.Helper()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		if _, err := Normalize(in, Limits{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}

// reportCPU adds the metric cpu-ms/op: process CPU time (all threads,
// including the garbage collector) per operation since cpu0. Unlike ns/op it
// hardly depends on other load on a shared machine.
func reportCPU(b *testing.B, cpu0 int64) {
	if cpu0 < 0 || b.N == 0 {
		return
	}
	b.ReportMetric(float64(processCPU()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
}

// BenchmarkNormalize12MPJPEG normalises a 4000×3000 photo (no resize needed,
// orientation 1): decode and re-encode.
func BenchmarkNormalize12MPJPEG(b *testing.B) {
	in := jpeg12MP()
	b.Logf("input %d bytes", len(in))
	benchNormalize(b, in)
}

// BenchmarkNormalize12MPJPEGOrient6 is the typical portrait phone photo: the
// same 12 MP image with EXIF orientation 6, so it has to be rotated.
func BenchmarkNormalize12MPJPEGOrient6(b *testing.B) {
	benchNormalize(b, mediatest.InsertAfterSOI(jpeg12MP(), mediatest.ExifSegment(binary.LittleEndian, 6)))
}

// BenchmarkNormalize24MPJPEGDownscale normalises a 6000×4000 photo, which is
// downscaled to 4096×2731.
func BenchmarkNormalize24MPJPEGDownscale(b *testing.B) {
	benchNormalize(b, jpeg24MP())
}

// BenchmarkNormalize24MPJPEGOrient6 is the 24-megapixel photo taken upright:
// downscaled, then rotated (the upload-burst case, bench/uploadburst).
func BenchmarkNormalize24MPJPEGOrient6(b *testing.B) {
	benchNormalize(b, mediatest.InsertAfterSOI(jpeg24MP(), mediatest.ExifSegment(binary.LittleEndian, 6)))
}

// BenchmarkRefuseBombHeader measures refusing a PNG whose header declares
// 100000×100000 pixels.
func BenchmarkRefuseBombHeader(b *testing.B) {
	in := mediatest.BombPNG(100000, 100000)
	b.ReportAllocs()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := Normalize(in, Limits{}); err == nil {
			b.Fatal("bomb accepted")
		}
	}
}

// BenchmarkStages12MP splits the cost of a 12 MP JPEG into its stages.
func BenchmarkStages12MP(b *testing.B) {
	in := jpeg12MP()
	img, err := jpeg.Decode(bytes.NewReader(in))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			jpeg.Decode(bytes.NewReader(in))
		}
	})
	b.Run("decode-imaging-autoorient", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			imaging.Decode(bytes.NewReader(in), imaging.AutoOrientation(true))
		}
	})
	b.Run("orient6", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			orient(img, orientRotate90CW)
		}
	})
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			var buf bytes.Buffer
			buf.Grow(len(in))
			jpeg.Encode(&buf, img, &jpeg.Options{Quality: defaultJPEGQuality})
		}
	})
	b.Run("encode-strips", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			var buf bytes.Buffer
			buf.Grow(len(in))
			encodeJPEG(&buf, img, defaultJPEGQuality)
		}
	})
	b.Run("encode-rotated", func(b *testing.B) {
		r := jpegSource(orient(img, orientRotate90CW))
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			var buf bytes.Buffer
			buf.Grow(len(in))
			jpeg.Encode(&buf, r, &jpeg.Options{Quality: defaultJPEGQuality})
		}
	})
	b.Run("resize-to-2048-planes", func(b *testing.B) {
		b.ReportAllocs()
		defer reportCPU(b, processCPU())
		for b.Loop() {
			downscale(img, 2048)
		}
	})
	for _, f := range []struct {
		name string
		f    imaging.ResampleFilter
	}{{"box", imaging.Box}, {"linear", imaging.Linear}, {"catmullrom", imaging.CatmullRom}, {"lanczos", imaging.Lanczos}} {
		b.Run("resize-to-2048-"+f.name, func(b *testing.B) {
			b.ReportAllocs()
			defer reportCPU(b, processCPU())
			for b.Loop() {
				imaging.Resize(img, 2048, 1536, f.f)
			}
		})
	}
}

// screenshot returns a w×h image like a screenshot of a web form: flat
// areas, lines of "text" and a photo in one corner.
func screenshot(w, h int) *image.RGBA {
	m := photo(w, h)
	rng := rand.New(rand.NewPCG(5, 6))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if x < w/3 && y < h/3 {
				continue // the photo
			}
			i := m.PixOffset(x, y)
			v := uint8(245)
			if y%24 < 12 && x%400 < 300 && rng.IntN(3) == 0 {
				v = 40 // text
			}
			m.Pix[i], m.Pix[i+1], m.Pix[i+2] = v, v, v
		}
	}
	return m
}

// BenchmarkNormalizeScreenshotPNG normalises a 2560×1600 screenshot PNG
// (re-encoded as PNG, no resize).
func BenchmarkNormalizeScreenshotPNG(b *testing.B) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, screenshot(2560, 1600)); err != nil {
		b.Fatal(err)
	}
	b.Logf("input %d bytes", buf.Len())
	benchNormalize(b, buf.Bytes())
}
