package media

import (
	"github.com/townhall-portal/townhall/internal/media/mediatest"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// srcPoint returns the source pixel that ends up at (x, y) of the upright
// image for EXIF orientation o and a stored image of size w×h.
func srcPoint(o, x, y, w, h int) (int, int) {
	switch o {
	case 2:
		return w - 1 - x, y
	case 3:
		return w - 1 - x, h - 1 - y
	case 4:
		return x, h - 1 - y
	case 5:
		return y, x
	case 6:
		return y, h - 1 - x
	case 7:
		return w - 1 - y, h - 1 - x
	case 8:
		return w - 1 - y, x
	}
	return x, y
}

func colorDiff(a, b color.Color) int {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	d := 0
	for _, v := range []int{int(r1) - int(r2), int(g1) - int(g2), int(b1) - int(b2), int(a1) - int(a2)} {
		d = max(d, v>>8, -v>>8)
	}
	return d
}

func TestOrientYCbCrAndGray(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ratios := []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	}
	for _, ratio := range ratios {
		const w, h = 16, 6
		m := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
		for _, p := range [][]byte{m.Y, m.Cb, m.Cr} {
			for i := range p {
				p[i] = uint8(rng.UintN(256))
			}
		}
		for o := 1; o <= 8; o++ {
			out := orient(m, o)
			b := out.Bounds()
			if o >= 5 && (b.Dx() != h || b.Dy() != w) || o < 5 && (b.Dx() != w || b.Dy() != h) {
				t.Fatalf("%v o=%d: bounds %v", ratio, o, b)
			}
			// Exact for the plane-wise path; the imaging fallback (4:1:x)
			// converts to NRGBA with its own rounding.
			tol := 0
			if ratio == image.YCbCrSubsampleRatio411 || ratio == image.YCbCrSubsampleRatio410 {
				tol = 2
			}
			for y := 0; y < b.Dy(); y++ {
				for x := 0; x < b.Dx(); x++ {
					sx, sy := srcPoint(o, x, y, w, h)
					if d := colorDiff(out.At(x, y), m.At(sx, sy)); d > tol {
						t.Fatalf("%v o=%d: (%d,%d) = %v, want %v from (%d,%d)", ratio, o, x, y, out.At(x, y), m.At(sx, sy), sx, sy)
					}
				}
			}
		}
	}

	g := image.NewGray(image.Rect(0, 0, 5, 3))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 10)
	}
	for o := 1; o <= 8; o++ {
		out, ok := orient(g, o).(*image.Gray)
		if !ok {
			t.Fatalf("gray o=%d: type %T", o, orient(g, o))
		}
		b := out.Bounds()
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				sx, sy := srcPoint(o, x, y, 5, 3)
				if out.GrayAt(x, y) != g.GrayAt(sx, sy) {
					t.Fatalf("gray o=%d: (%d,%d)", o, x, y)
				}
			}
		}
	}
}

// TestOrientOddSizes turns odd-sized YCbCr images (chroma planes with a
// half-filled last row or column) and checks the luma plane exactly.
func TestOrientOddSizes(t *testing.T) {
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio440,
	} {
		const w, h = 7, 5
		m := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
		for i := range m.Y {
			m.Y[i] = uint8(i)
		}
		for o := 1; o <= 8; o++ {
			out, ok := orient(m, o).(*image.YCbCr)
			if !ok {
				t.Fatalf("%v o=%d: type %T", ratio, o, orient(m, o))
			}
			b := out.Bounds()
			for y := 0; y < b.Dy(); y++ {
				for x := 0; x < b.Dx(); x++ {
					sx, sy := srcPoint(o, x, y, w, h)
					if out.Y[out.YOffset(x, y)] != m.Y[m.YOffset(sx, sy)] {
						t.Fatalf("%v o=%d: luma (%d,%d)", ratio, o, x, y)
					}
				}
			}
		}
	}
}

func TestOrientOtherTypes(t *testing.T) {
	m := mediatest.Quadrants(6, 4)
	for o := 1; o <= 8; o++ {
		out := orient(m, o)
		b := out.Bounds()
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				sx, sy := srcPoint(o, x, y, 6, 4)
				if colorDiff(out.At(x, y), m.At(sx, sy)) != 0 {
					t.Fatalf("NRGBA o=%d: (%d,%d)", o, x, y)
				}
			}
		}
	}
	// Invalid orientation values leave the image alone.
	for _, o := range []int{0, 9, -1} {
		if orient(m, o) != image.Image(m) {
			t.Errorf("orientation %d changed the image", o)
		}
	}
}
