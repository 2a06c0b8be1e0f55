package media

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"github.com/disintegration/imaging"
	"golang.org/x/image/webp"
)

// resizeFilter is the resampling filter used for downscaling. Linear
// (a triangle filter scaled to the reduction ratio) averages all source
// pixels, so it does not alias, and it is several times cheaper than Lanczos.
var resizeFilter = imaging.Linear

// pngEncoder re-encodes PNG images. BestSpeed halves the encoding time of a
// 2560×1600 screenshot compared with the default level (0.25 s instead of
// 0.47 s) for files about 20 % larger.
var pngEncoder = png.Encoder{CompressionLevel: png.BestSpeed}

// maxImageEdge is the longest accepted width or height, whatever the pixel
// count: the largest size a JPEG can have. Much longer edges (a PNG may
// declare 40 million × 1 pixels) would make the resampling weights of the
// downscaler need gigabytes.
const maxImageEdge = 1<<16 - 1

// normalizeImage decodes an image of the given kind, checks its pixel count
// from the header first, and re-encodes it upright, downscaled and without
// metadata.
func normalizeImage(data []byte, kind string, lim Limits) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			res = Result{}
			err = fmt.Errorf("%w: decoder failed: %v", ErrBrokenImage, r)
		}
	}()

	cfg, err := decodeConfig(data, kind)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrBrokenImage, err)
	}
	if err := checkPixels(cfg, lim.MaxPixels); err != nil {
		return Result{}, err
	}

	img, err := decode(data, kind)
	if err != nil {
		return Result{}, fmt.Errorf("%w: %v", ErrBrokenImage, err)
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Result{}, fmt.Errorf("%w: size %dx%d differs from header %dx%d",
			ErrBrokenImage, b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}

	img = simplify(img)
	// JPEG stays JPEG and PNG stays PNG; WebP becomes JPEG unless it has
	// transparency, which JPEG cannot store.
	toPNG := kind == kindPNG || kind == kindWebP && !isOpaque(img)
	img = downscale(img, lim.MaxLongEdge)
	if kind == kindJPEG {
		img = orient(img, jpegOrientation(data))
	}

	// A bytes.Buffer that starts near the expected output size avoids
	// copying the output several times while it grows: about the input's
	// bytes per pixel (re-encoding at quality 85 rarely makes a photo
	// larger) for the pixels that remain.
	expected := int64(len(data))
	if b := img.Bounds(); b.Dx()*b.Dy() < cfg.Width*cfg.Height {
		expected = expected * int64(b.Dx()*b.Dy()) / int64(cfg.Width*cfg.Height)
	}
	var buf bytes.Buffer
	buf.Grow(int(expected) + 4096)
	if toPNG {
		if err := pngEncoder.Encode(&buf, img); err != nil {
			return Result{}, fmt.Errorf("%w: encoding PNG: %v", ErrBrokenImage, err)
		}
		res = Result{ContentType: typePNG, Ext: extPNG}
	} else {
		if err := encodeJPEG(&buf, jpegSource(img), lim.JPEGQuality); err != nil {
			return Result{}, fmt.Errorf("%w: encoding JPEG: %v", ErrBrokenImage, err)
		}
		res = Result{ContentType: typeJPEG, Ext: extJPEG}
	}
	b := img.Bounds()
	res.Data = buf.Bytes()
	if cap(res.Data) > 2*len(res.Data)+1<<20 {
		// Do not keep a large, mostly unused buffer alive (a big photo
		// downscaled to a small file).
		res.Data = bytes.Clone(res.Data)
	}
	res.Width, res.Height = b.Dx(), b.Dy()
	return res, nil
}

// checkPixels refuses header dimensions that are not positive, an edge
// longer than maxImageEdge, or more than maxPixels pixels. The product is
// computed in int64 so that it cannot overflow. Images with 16 bits per
// colour channel (PNG) decode to 8 bytes per pixel, twice as much as other
// images, and count double so that they cannot need twice the memory.
func checkPixels(cfg image.Config, maxPixels int) error {
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: invalid size %dx%d", ErrBrokenImage, w, h)
	}
	pixels := int64(w) * int64(h)
	if cfg.ColorModel == color.RGBA64Model || cfg.ColorModel == color.NRGBA64Model {
		pixels *= 2
	}
	if pixels > int64(maxPixels) || w > maxImageEdge || h > maxImageEdge {
		return fmt.Errorf("%w: %dx%d", ErrTooManyPixels, w, h)
	}
	return nil
}

// decodeConfig reads the header of an image with the decoder for kind. The
// decoders are called directly instead of through image.DecodeConfig so that
// no other registered format (GIF, BMP, TIFF, …) can slip in.
func decodeConfig(data []byte, kind string) (image.Config, error) {
	r := bytes.NewReader(data)
	switch kind {
	case kindJPEG:
		return jpeg.DecodeConfig(r)
	case kindPNG:
		return png.DecodeConfig(r)
	case kindWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, ErrUnsupportedType
}

// decode decodes an image with the decoder for kind.
func decode(data []byte, kind string) (image.Image, error) {
	r := bytes.NewReader(data)
	switch kind {
	case kindJPEG:
		return jpeg.Decode(r)
	case kindPNG:
		return png.Decode(r)
	case kindWebP:
		return webp.Decode(r)
	}
	return nil, ErrUnsupportedType
}

// simplify converts image types that the resizer and the encoders can only
// handle pixel by pixel through interfaces (slow, one allocation per pixel)
// into types with fast paths: CMYK JPEGs become RGBA, WebPs with alpha
// become NRGBA (or YCbCr when the alpha channel is fully opaque).
func simplify(img image.Image) image.Image {
	switch m := img.(type) {
	case *image.CMYK:
		b := m.Bounds()
		dst := image.NewRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			si := m.PixOffset(b.Min.X, y)
			di := dst.PixOffset(b.Min.X, y)
			for x := b.Min.X; x < b.Max.X; x, si, di = x+1, si+4, di+4 {
				s := m.Pix[si : si+4 : si+4]
				r, g, bb := color.CMYKToRGB(s[0], s[1], s[2], s[3])
				d := dst.Pix[di : di+4 : di+4]
				d[0], d[1], d[2], d[3] = r, g, bb, 0xFF
			}
		}
		return dst
	case *image.NYCbCrA:
		if m.Opaque() {
			return &m.YCbCr
		}
		b := m.Bounds()
		dst := image.NewNRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			di := dst.PixOffset(b.Min.X, y)
			for x := b.Min.X; x < b.Max.X; x, di = x+1, di+4 {
				yi := m.YOffset(x, y)
				ci := m.COffset(x, y)
				r, g, bb := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				d := dst.Pix[di : di+4 : di+4]
				d[0], d[1], d[2], d[3] = r, g, bb, m.A[m.AOffset(x, y)]
			}
		}
		return dst
	}
	return img
}

// isOpaque reports whether every pixel of img is fully opaque.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// downscale shrinks img so that its longer edge is at most maxEdge, keeping
// the aspect ratio. Images that already fit are returned unchanged. Decoded
// JPEGs (YCbCr, Gray) are resized plane by plane (resize.go); other images
// go through imaging and become NRGBA.
func downscale(img image.Image, maxEdge int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= maxEdge && h <= maxEdge {
		return img
	}
	var nw, nh int
	if w >= h {
		nw, nh = maxEdge, scaleEdge(h, maxEdge, w)
	} else {
		nw, nh = scaleEdge(w, maxEdge, h), maxEdge
	}
	switch m := img.(type) {
	case *image.YCbCr:
		if r, ok := resizeYCbCr(m, nw, nh); ok {
			return r
		}
	case *image.Gray:
		if r, ok := resizeGray(m, nw, nh); ok {
			return r
		}
	}
	return imaging.Resize(img, nw, nh, resizeFilter)
}

// scaleEdge returns round(edge*num/den), at least 1.
func scaleEdge(edge, num, den int) int {
	v := (int64(edge)*int64(num)*2 + int64(den)) / (2 * int64(den))
	if v < 1 {
		v = 1
	}
	return int(v)
}

// orient turns img upright according to an EXIF orientation value.
// YCbCr and Gray images (what JPEG decoding gives) are transformed plane by
// plane and keep their type, which costs a third of the memory of a
// conversion to NRGBA and keeps the JPEG encoder on its fast path; other
// images go through imaging and become NRGBA.
func orient(img image.Image, o int) image.Image {
	if o < orientFlipH || o > orientRotate90CC {
		return img
	}
	if m, ok := orientPlanes(img, o); ok {
		return m
	}
	switch o {
	case orientFlipH:
		return imaging.FlipH(img)
	case orientRotate180:
		return imaging.Rotate180(img)
	case orientFlipV:
		return imaging.FlipV(img)
	case orientTranspose:
		return imaging.Transpose(img)
	case orientRotate90CW:
		return imaging.Rotate270(img) // imaging rotates counter-clockwise
	case orientTransverse:
		return imaging.Transverse(img)
	default: // orientRotate90CC
		return imaging.Rotate90(img)
	}
}

// orientPlanes applies orientation o (2..8) to *image.Gray and
// *image.YCbCr images whose bounds start at (0, 0). It reports false for
// other images and for chroma subsampling ratios (4:1:1, 4:1:0) that have no
// counterpart with the axes swapped.
func orientPlanes(img image.Image, o int) (image.Image, bool) {
	swap := o >= orientTranspose
	switch m := img.(type) {
	case *image.Gray:
		if m.Rect.Min != (image.Point{}) {
			return nil, false
		}
		w, h := m.Rect.Dx(), m.Rect.Dy()
		if swap {
			w, h = h, w
		}
		dst := image.NewGray(image.Rect(0, 0, w, h))
		transformPlane(dst.Pix, dst.Stride, w, h, m.Pix, m.Stride, m.Rect.Dx(), m.Rect.Dy(), o)
		return dst, true
	case *image.YCbCr:
		if m.Rect.Min != (image.Point{}) {
			return nil, false
		}
		ratio := m.SubsampleRatio
		if swap {
			switch ratio {
			case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio420:
			case image.YCbCrSubsampleRatio422:
				ratio = image.YCbCrSubsampleRatio440
			case image.YCbCrSubsampleRatio440:
				ratio = image.YCbCrSubsampleRatio422
			default:
				return nil, false
			}
		}
		sw, sh := m.Rect.Dx(), m.Rect.Dy()
		w, h := sw, sh
		if swap {
			w, h = h, w
		}
		dst := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
		transformPlane(dst.Y, dst.YStride, w, h, m.Y, m.YStride, sw, sh, o)
		// A chroma plane is a small image of its own; turning it the same
		// way gives exactly the chroma plane of the turned image.
		scw, sch := chromaSize(sw, sh, m.SubsampleRatio)
		dcw, dch := chromaSize(w, h, ratio)
		if swap && (dcw != sch || dch != scw) || !swap && (dcw != scw || dch != sch) {
			return nil, false
		}
		transformPlane(dst.Cb, dst.CStride, dcw, dch, m.Cb, m.CStride, scw, sch, o)
		transformPlane(dst.Cr, dst.CStride, dcw, dch, m.Cr, m.CStride, scw, sch, o)
		return dst, true
	}
	return nil, false
}

// chromaSize returns the size of a chroma plane of a w×h image starting at
// (0, 0) with subsampling ratio r.
func chromaSize(w, h int, r image.YCbCrSubsampleRatio) (int, int) {
	switch r {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// transformPlane writes to dst (dw×dh bytes, row stride ds) the source plane
// (sw×sh, stride ss) with orientation o applied. dw×dh must be sw×sh, or
// sh×sw for the orientations that swap the axes (5..8).
func transformPlane(dst []byte, ds, dw, dh int, src []byte, ss, sw, sh int, o int) {
	// Destination pixel (x, y) comes from source index start(y) + x*step.
	var start func(y int) int
	var step int
	switch o {
	case orientFlipH:
		start, step = func(y int) int { return y*ss + sw - 1 }, -1
	case orientRotate180:
		start, step = func(y int) int { return (sh-1-y)*ss + sw - 1 }, -1
	case orientFlipV:
		start, step = func(y int) int { return (sh - 1 - y) * ss }, 1
	case orientTranspose:
		start, step = func(y int) int { return y }, ss
	case orientRotate90CW:
		start, step = func(y int) int { return (sh-1)*ss + y }, -ss
	case orientTransverse:
		start, step = func(y int) int { return (sh-1)*ss + sw - 1 - y }, -ss
	case orientRotate90CC:
		start, step = func(y int) int { return sw - 1 - y }, ss
	default:
		start, step = func(y int) int { return y * ss }, 1
	}
	for y := 0; y < dh; y++ {
		row := dst[y*ds : y*ds+dw]
		j := start(y)
		for x := range row {
			row[x] = src[j]
			j += step
		}
	}
}

// jpegSource returns img in a form the JPEG encoder converts quickly. The
// encoder has fast paths for *image.YCbCr, *image.Gray and *image.RGBA but
// reads any other type pixel by pixel through interfaces. An opaque NRGBA
// image has the same bytes as the RGBA image of the same colours (alpha
// premultiplication by 255 changes nothing), and the encoder ignores alpha,
// so the pixels are shared instead of converted.
func jpegSource(img image.Image) image.Image {
	if m, ok := img.(*image.NRGBA); ok {
		return &image.RGBA{Pix: m.Pix, Stride: m.Stride, Rect: m.Rect}
	}
	return img
}
