package media

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"testing"

	"github.com/disintegration/imaging"
)

// psnr returns the peak signal-to-noise ratio of b against a over the R, G
// and B channels, in dB (+Inf when equal).
func psnr(t testing.TB, a, b image.Image) float64 {
	t.Helper()
	if a.Bounds() != b.Bounds() {
		t.Fatalf("sizes differ: %v and %v", a.Bounds(), b.Bounds())
	}
	na, nb := toNRGBA(a), toNRGBA(b)
	var sum float64
	for i := range na.Pix {
		if i%4 == 3 {
			continue
		}
		d := float64(na.Pix[i]) - float64(nb.Pix[i])
		sum += d * d
	}
	mse := sum / float64(len(na.Pix)/4*3)
	return 10 * math.Log10(255*255/mse)
}

func toNRGBA(m image.Image) *image.NRGBA {
	if n, ok := m.(*image.NRGBA); ok && n.Rect.Min == (image.Point{}) {
		return n
	}
	b := m.Bounds()
	n := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(n, n.Rect, m, b.Min, draw.Src)
	return n
}

// oldDownscale is the downscale of the first version: imaging in NRGBA.
func oldDownscale(img image.Image, maxEdge int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w >= h {
		return imaging.Resize(img, maxEdge, scaleEdge(h, maxEdge, w), resizeFilter)
	}
	return imaging.Resize(img, scaleEdge(w, maxEdge, h), maxEdge, resizeFilter)
}

func decodeJPEG(t testing.TB, data []byte) image.Image {
	t.Helper()
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPlaneResizeKeepsQuality compares the stored photo of the plane-by-plane
// downscale with the one of the first version (imaging in NRGBA) for a
// 24-megapixel phone-like photo. Both are compared with the first version's
// resized pixels before JPEG encoding: the JPEG encoding at quality 85 loses
// more than the change of method, and the two stored photos are as close to
// each other as JPEG allows.
func TestPlaneResizeKeepsQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("24-megapixel images")
	}
	in := jpeg24MP()
	src := decodeJPEG(t, in)
	if _, ok := src.(*image.YCbCr); !ok {
		t.Fatalf("decoded %T", src)
	}
	oldPixels := oldDownscale(src, defaultMaxLongEdge)
	var oldOut bytes.Buffer
	if err := encodeJPEG(&oldOut, jpegSource(oldPixels), defaultJPEGQuality); err != nil {
		t.Fatal(err)
	}
	res, err := Normalize(in, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	oldImg, newImg := decodeJPEG(t, oldOut.Bytes()), decodeJPEG(t, res.Data)
	pOld, pNew, pBetween := psnr(t, oldPixels, oldImg), psnr(t, oldPixels, newImg), psnr(t, oldImg, newImg)
	t.Logf("PSNR against the first version's resized pixels: its stored photo %.2f dB, the new stored photo %.2f dB; between the two stored photos %.2f dB (sizes %d and %d bytes)",
		pOld, pNew, pBetween, oldOut.Len(), len(res.Data))
	if pNew < pOld-0.5 || pBetween < 38 {
		t.Errorf("quality changed: %.2f dB instead of %.2f dB, %.2f dB between the photos", pNew, pOld, pBetween)
	}
}

// TestPlaneResizeMatchesImaging resizes planes of several shapes and
// subsampling ratios and compares the pixels with imaging.Linear's.
func TestPlaneResizeMatchesImaging(t *testing.T) {
	for _, tc := range []struct {
		name  string
		w, h  int
		ratio image.YCbCrSubsampleRatio
		gray  bool
		min   float64 // dB
	}{
		{"4:2:0 landscape", 1500, 1000, image.YCbCrSubsampleRatio420, false, 40},
		{"4:2:0 odd sizes", 1413, 1061, image.YCbCrSubsampleRatio420, false, 40},
		{"4:2:0 portrait", 700, 1301, image.YCbCrSubsampleRatio420, false, 40},
		{"4:4:4", 1200, 900, image.YCbCrSubsampleRatio444, false, 38},
		{"4:2:2", 1200, 900, image.YCbCrSubsampleRatio422, false, 38},
		{"4:4:0", 1200, 900, image.YCbCrSubsampleRatio440, false, 38},
		{"4:1:1", 1200, 900, image.YCbCrSubsampleRatio411, false, 36},
		{"gray", 1333, 1000, 0, true, 50},
		{"a 16× reduction", 4096, 300, image.YCbCrSubsampleRatio420, false, 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rgb := photo(tc.w, tc.h)
			var src image.Image
			if tc.gray {
				g := image.NewGray(rgb.Rect)
				draw.Draw(g, g.Rect, rgb, image.Point{}, draw.Src)
				src = g
			} else {
				src = toYCbCr(rgb, tc.ratio)
			}
			const edge = 256
			want := oldDownscale(src, edge)
			got := downscale(src, edge)
			switch got.(type) {
			case *image.YCbCr, *image.Gray:
			default:
				t.Fatalf("resized to %T", got)
			}
			if got.Bounds() != want.Bounds() {
				t.Fatalf("size %v, want %v", got.Bounds(), want.Bounds())
			}
			// compare after the chroma subsampling every stored JPEG gets
			p := psnr(t, decodeJPEG(t, encode(t, want)), decodeJPEG(t, encode(t, got)))
			t.Logf("%.2f dB", p)
			if p < tc.min {
				t.Errorf("PSNR %.2f dB against imaging, want at least %.0f dB", p, tc.min)
			}
		})
	}
}

func encode(t testing.TB, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, jpegSource(m), &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// toYCbCr converts m to a YCbCr image with the given subsampling, each
// chroma sample the mean of the pixels it covers.
func toYCbCr(m *image.RGBA, ratio image.YCbCrSubsampleRatio) *image.YCbCr {
	b := m.Bounds()
	dst := image.NewYCbCr(b, ratio)
	sx, sy, _ := subsampling(ratio)
	cw, ch := chromaSize(b.Dx(), b.Dy(), ratio)
	for y := range b.Dy() {
		for x := range b.Dx() {
			c := m.RGBAAt(x, y)
			dst.Y[y*dst.YStride+x], _, _ = color.RGBToYCbCr(c.R, c.G, c.B)
		}
	}
	for cy := range ch {
		for cx := range cw {
			var cb, cr, n int
			for y := cy * sy; y < min((cy+1)*sy, b.Dy()); y++ {
				for x := cx * sx; x < min((cx+1)*sx, b.Dx()); x++ {
					c := m.RGBAAt(x, y)
					_, b, r := color.RGBToYCbCr(c.R, c.G, c.B)
					cb, cr, n = cb+int(b), cr+int(r), n+1
				}
			}
			dst.Cb[cy*dst.CStride+cx] = uint8((cb + n/2) / n)
			dst.Cr[cy*dst.CStride+cx] = uint8((cr + n/2) / n)
		}
	}
	return dst
}

// TestLinearWeightsLikeImaging checks the weights against imaging's
// precomputeWeights for imaging.Linear (restated here: it is unexported).
func TestLinearWeightsLikeImaging(t *testing.T) {
	for _, c := range [][2]int{{4096, 5657}, {2048, 2829}, {100, 1600}, {10, 11}, {7, 7}, {1, 9}, {9, 1}, {2048, 1415}} {
		dst, src := c[0], c[1]
		ratio := float64(src) / float64(dst)
		fw := linearWeights(dst, src, ratio)
		scale := max(ratio, 1)
		ru := math.Ceil(scale * resizeFilter.Support)
		for v := range dst {
			fu := (float64(v)+0.5)*ratio - 0.5
			want := map[int]float64{}
			var sum float64
			for u := max(int(math.Ceil(fu-ru)), 0); u <= min(int(math.Floor(fu+ru)), src-1); u++ {
				if w := resizeFilter.Kernel((float64(u) - fu) / scale); w != 0 {
					want[u] = w
					sum += w
				}
			}
			if len(want) != fw.count[v] {
				t.Fatalf("%d from %d, output %d: %d weights, imaging has %d", dst, src, v, fw.count[v], len(want))
			}
			for k := range fw.count[v] {
				u := fw.first[v] + k
				if got := float64(fw.w[fw.offset[v]+k]); math.Abs(got-want[u]/sum) > 1e-6 {
					t.Fatalf("%d from %d, output %d, source %d: weight %v, imaging %v", dst, src, v, u, got, want[u]/sum)
				}
			}
		}
	}
}
