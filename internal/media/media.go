// Package media normalises files uploaded by residents (photos and documents)
// before they are stored.
//
// The type of a file is decided by its content (magic bytes), never by its
// name. Accepted are JPEG, PNG and WebP images and PDF documents:
//
//   - Images are decoded, turned upright (EXIF orientation of JPEG files),
//     downscaled to a maximum long edge and re-encoded from pixels only, so
//     that no metadata (EXIF, GPS, camera serial numbers, XMP, ICC profiles,
//     comments, PNG text chunks) survives. JPEG stays JPEG, PNG stays PNG and
//     WebP becomes JPEG when it is fully opaque or PNG when it has
//     transparency.
//   - PDFs are checked (header, end-of-file marker, no encryption) and kept
//     byte for byte. Active content (scripts, automatic actions, launches,
//     embedded files, form submission) is looked for in the file and in its
//     compressed streams and reported in [Result].Active, so that staff are
//     warned; document metadata is not examined.
//
// Images are refused from their header, before any pixel is decoded, when
// width×height exceeds [Limits].MaxPixels or an edge is longer than 65535
// pixels. Decoding a large photo still needs tens of megabytes (1.5 bytes
// per pixel for a 4:2:0 JPEG; a progressive JPEG needs 6 more for its
// coefficients while it decodes); use a [Limiter] to bound how many
// normalisations run at the same time. Decoded JPEGs are downscaled plane by
// plane without a conversion to RGB (resize.go).
//
// EXIF orientation is applied to JPEG files only: it is where phones write
// it. An orientation in WebP or PNG metadata is dropped with the rest of the
// metadata.
package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
)

// Defaults used when a field of [Limits] is zero (or negative).
const (
	defaultMaxPixels   = 40_000_000
	defaultMaxLongEdge = 4096
	defaultJPEGQuality = 85
)

// maxEncodableEdge is the longest edge image/jpeg can encode.
const maxEncodableEdge = 1<<16 - 1

// Limits configures [Normalize]. The zero value uses the defaults.
type Limits struct {
	MaxPixels   int   // largest accepted width*height of an image (16-bit colour PNGs count double); default 40_000_000 when 0
	MaxLongEdge int   // images with a longer edge are downscaled to this; default 4096 when 0, at most 65535
	JPEGQuality int   // quality of re-encoded JPEGs (1..100); default 85 when 0
	MaxBytes    int64 // 0 = no check here (the caller checks size); if >0, refuse larger input with ErrTooLarge
}

// withDefaults returns l with zero or negative fields replaced by defaults
// and the JPEG quality clamped to 1..100.
func (l Limits) withDefaults() Limits {
	if l.MaxPixels <= 0 {
		l.MaxPixels = defaultMaxPixels
	}
	if l.MaxLongEdge <= 0 {
		l.MaxLongEdge = defaultMaxLongEdge
	}
	if l.MaxLongEdge > maxEncodableEdge {
		l.MaxLongEdge = maxEncodableEdge
	}
	if l.JPEGQuality <= 0 {
		l.JPEGQuality = defaultJPEGQuality
	}
	if l.JPEGQuality > 100 {
		l.JPEGQuality = 100
	}
	return l
}

// Result is what [Normalize] returns for an accepted file: the bytes to store
// and facts about them.
type Result struct {
	Data          []byte
	ContentType   string // "image/jpeg", "image/png", "application/pdf"
	Ext           string // ".jpg", ".png", ".pdf" — extension matching the stored content
	Width, Height int    // 0 for PDF
	SHA256        string // hex of Data
	Size          int64  // len(Data)
	// Active lists the active content of a PDF (Active* values, sorted):
	// scripts, automatic actions, launches, embedded files. Empty for images
	// and for plain documents.
	Active []string
}

// Error codes (compare with errors.Is); each has a resident-facing message in
// the hooks layer. Returned errors may wrap these with technical detail.
var (
	ErrEmpty           = errors.New("media: empty file")
	ErrUnsupportedType = errors.New("media: unsupported file type")
	ErrTooLarge        = errors.New("media: file too large")
	ErrTooManyPixels   = errors.New("media: image has too many pixels")
	ErrBrokenImage     = errors.New("media: image cannot be read")
	ErrBrokenPDF       = errors.New("media: PDF is incomplete or damaged")
	ErrEncryptedPDF    = errors.New("media: PDF is password-protected")
)

// Kind names returned by [Kind].
const (
	kindJPEG = "jpeg"
	kindPNG  = "png"
	kindWebP = "webp"
	kindPDF  = "pdf"
)

// Content types and extensions of stored files.
const (
	typeJPEG = "image/jpeg"
	typePNG  = "image/png"
	typePDF  = "application/pdf"
	extJPEG  = ".jpg"
	extPNG   = ".png"
	extPDF   = ".pdf"
)

var (
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicPNG  = []byte("\x89PNG\r\n\x1a\n")
	magicPDF  = []byte("%PDF-")
)

// Kind reports what the content is by its bytes: "jpeg", "png", "webp", "pdf"
// or "" (anything else). Only the leading magic bytes are looked at; whether
// the rest of the file is valid is decided by [Normalize].
func Kind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, magicJPEG):
		return kindJPEG
	case bytes.HasPrefix(data, magicPNG):
		return kindPNG
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return kindWebP
	case bytes.HasPrefix(data, magicPDF):
		return kindPDF
	}
	return ""
}

// Normalize checks data and returns what to store. Images are decoded,
// upright, downscaled and re-encoded without metadata; PDFs are checked and
// kept as they are (Result.Data is then data itself, not a copy).
//
// Errors match (errors.Is) one of the Err* values of this package. Normalize
// does not panic on arbitrary input.
func Normalize(data []byte, lim Limits) (Result, error) {
	if len(data) == 0 {
		return Result{}, ErrEmpty
	}
	lim = lim.withDefaults()
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return Result{}, ErrTooLarge
	}

	var res Result
	switch kind := Kind(data); kind {
	case kindPDF:
		if err := checkPDF(data); err != nil {
			return Result{}, err
		}
		res = Result{Data: data, ContentType: typePDF, Ext: extPDF, Active: pdfActiveContent(data)}
	case kindJPEG, kindPNG, kindWebP:
		var err error
		res, err = normalizeImage(data, kind, lim)
		if err != nil {
			return Result{}, err
		}
	default:
		return Result{}, ErrUnsupportedType
	}

	sum := sha256.Sum256(res.Data)
	res.SHA256 = hex.EncodeToString(sum[:])
	res.Size = int64(len(res.Data))
	return res, nil
}
