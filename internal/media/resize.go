package media

import (
	"image"
	"math"
	"runtime"
	"sync"
)

// Downscaling decoded JPEGs plane by plane.
//
// A JPEG decodes to an *image.YCbCr (or *image.Gray): one byte of luma per
// pixel and two smaller chroma planes, 1.5 bytes per pixel for the 4:2:0
// chroma of phone photos. Resizing it with imaging converts it to NRGBA on
// the way (4 bytes per pixel, twice: after the horizontal and after the
// vertical pass), and the JPEG encoder then converts the RGB pixels back to
// YCbCr. resizeYCbCr filters each plane on its own instead and writes a
// 4:2:0 *image.YCbCr, which the encoder takes as it is. The filter is the
// one imaging.Linear uses (a triangle as wide as the reduction ratio, the
// same weights); the colour transform is linear, so filtering Y, Cb and Cr
// gives the same pixels as filtering R, G and B, up to rounding (the
// intermediate values are not rounded to bytes here).
//
// The vertical pass streams: it keeps only the few horizontally filtered
// rows the current output row needs, so besides the output the resize needs
// a few hundred kilobytes.

// resizeYCbCr returns m resized to dw×dh as a 4:2:0 image, or false when m
// does not start at (0, 0) or has an unknown subsampling ratio.
func resizeYCbCr(m *image.YCbCr, dw, dh int) (*image.YCbCr, bool) {
	sx, sy, ok := subsampling(m.SubsampleRatio)
	if !ok || m.Rect.Min != (image.Point{}) {
		return nil, false
	}
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	du, dv := float64(sw)/float64(dw), float64(sh)/float64(dh)
	dst := image.NewYCbCr(image.Rect(0, 0, dw, dh), image.YCbCrSubsampleRatio420)
	scw, sch := chromaSize(sw, sh, m.SubsampleRatio)
	dcw, dch := chromaSize(dw, dh, image.YCbCrSubsampleRatio420)
	// A chroma sample covers sx×sy source pixels and 2×2 output pixels.
	cu, cv := du*2/float64(sx), dv*2/float64(sy)
	resizePlane(dst.Y, dst.YStride, dw, dh, m.Y, m.YStride, sw, sh, du, dv)
	resizePlane(dst.Cb, dst.CStride, dcw, dch, m.Cb, m.CStride, scw, sch, cu, cv)
	resizePlane(dst.Cr, dst.CStride, dcw, dch, m.Cr, m.CStride, scw, sch, cu, cv)
	return dst, true
}

// resizeGray returns m resized to dw×dh, or false when m does not start at
// (0, 0).
func resizeGray(m *image.Gray, dw, dh int) (*image.Gray, bool) {
	if m.Rect.Min != (image.Point{}) {
		return nil, false
	}
	sw, sh := m.Rect.Dx(), m.Rect.Dy()
	dst := image.NewGray(image.Rect(0, 0, dw, dh))
	resizePlane(dst.Pix, dst.Stride, dw, dh, m.Pix, m.Stride, sw, sh, float64(sw)/float64(dw), float64(sh)/float64(dh))
	return dst, true
}

// subsampling returns how many pixels one chroma sample covers across and
// down.
func subsampling(r image.YCbCrSubsampleRatio) (x, y int, ok bool) {
	switch r {
	case image.YCbCrSubsampleRatio444:
		return 1, 1, true
	case image.YCbCrSubsampleRatio422:
		return 2, 1, true
	case image.YCbCrSubsampleRatio420:
		return 2, 2, true
	case image.YCbCrSubsampleRatio440:
		return 1, 2, true
	case image.YCbCrSubsampleRatio411:
		return 4, 1, true
	case image.YCbCrSubsampleRatio410:
		return 4, 2, true
	}
	return 0, 0, false
}

// filterWeights holds, for every output index, the source indexes
// first[i] .. first[i]+count[i]-1 and their weights (which sum to 1).
type filterWeights struct {
	first, count, offset []int
	w                    []float32
	maxCount             int
}

// linearWeights computes the weights of imaging.Linear for dstSize outputs
// from srcSize inputs, output i being centred on source position
// (i+0.5)*ratio - 0.5.
func linearWeights(dstSize, srcSize int, ratio float64) filterWeights {
	scale := max(ratio, 1)
	support := math.Ceil(scale) // imaging: ceil(scale * filter support), support 1
	fw := filterWeights{first: make([]int, dstSize), count: make([]int, dstSize), offset: make([]int, dstSize)}
	fw.w = make([]float32, 0, dstSize*(int(2*support)+1))
	ws := make([]float64, 0, int(2*support)+1)
	for i := range dstSize {
		centre := (float64(i)+0.5)*ratio - 0.5
		begin := max(int(math.Ceil(centre-support)), 0)
		end := min(int(math.Floor(centre+support)), srcSize-1)
		ws = ws[:0]
		var sum float64
		first := -1
		for u := begin; u <= end; u++ {
			w := 1 - math.Abs(float64(u)-centre)/scale
			if w <= 0 {
				if first < 0 {
					continue // leading zero
				}
				break // the triangle is over
			}
			if first < 0 {
				first = u
			}
			ws = append(ws, w)
			sum += w
		}
		if first < 0 { // cannot happen for a triangle at least one sample wide; be safe
			first, ws, sum = min(max(int(math.Round(centre)), 0), srcSize-1), append(ws, 1), 1
		}
		fw.first[i], fw.count[i], fw.offset[i] = first, len(ws), len(fw.w)
		for _, w := range ws {
			fw.w = append(fw.w, float32(w/sum))
		}
		fw.maxCount = max(fw.maxCount, len(ws))
	}
	return fw
}

// minBandRows is the fewest output rows worth a goroutine of their own.
const minBandRows = 128

// resizePlane writes to dst (dw×dh bytes, row stride ds) the source plane
// (sw×sh, stride ss) filtered with the triangle filter, output pixel (x, y)
// centred on source position ((x+0.5)*du - 0.5, (y+0.5)*dv - 0.5).
// Horizontal bands of the output are filtered in parallel.
func resizePlane(dst []byte, ds, dw, dh int, src []byte, ss, sw, sh int, du, dv float64) {
	if dw <= 0 || dh <= 0 || sw <= 0 || sh <= 0 {
		return
	}
	wx := linearWeights(dw, sw, du)
	wy := linearWeights(dh, sh, dv)
	bands := max(1, min(runtime.GOMAXPROCS(0), dh/minBandRows))
	per := (dh + bands - 1) / bands
	var wg sync.WaitGroup
	for y0 := 0; y0 < dh; y0 += per {
		wg.Go(func() { resizeBand(dst, ds, dw, y0, min(y0+per, dh), src, ss, &wx, &wy) })
	}
	wg.Wait()
}

// resizeBand computes output rows y0 to y1-1 of resizePlane. Source rows are
// filtered horizontally once each into a ring of wy.maxCount rows, which
// holds every row an output row needs because the rows needed only move
// down.
func resizeBand(dst []byte, ds, dw, y0, y1 int, src []byte, ss int, wx, wy *filterWeights) {
	n := wy.maxCount
	ring := make([]float32, n*dw)
	acc := make([]float32, dw)
	next := wy.first[y0] // the next source row to filter
	for y := y0; y < y1; y++ {
		first, count := wy.first[y], wy.count[y]
		next = max(next, first)
		for ; next < first+count; next++ {
			row := ring[(next%n)*dw : (next%n+1)*dw]
			srow := src[next*ss:]
			for x := range row {
				ws := wx.w[wx.offset[x] : wx.offset[x]+wx.count[x]]
				s := srow[wx.first[x]:]
				s = s[:len(ws)]
				var v float32
				for k, w := range ws {
					v += float32(s[k]) * w
				}
				row[x] = v
			}
		}
		ws := wy.w[wy.offset[y] : wy.offset[y]+count]
		for k, w := range ws {
			row := ring[((first+k)%n)*dw : ((first+k)%n+1)*dw]
			if k == 0 {
				for x, v := range row {
					acc[x] = v * w
				}
				continue
			}
			for x, v := range row {
				acc[x] += v * w
			}
		}
		out := dst[y*ds : y*ds+dw]
		for x, v := range acc {
			out[x] = uint8(min(max(v+0.5, 0), 255))
		}
	}
}
