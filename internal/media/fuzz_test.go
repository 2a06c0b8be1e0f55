package media

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"github.com/townhall-portal/townhall/internal/media/mediatest"
	"testing"
)

// FuzzNormalize checks that arbitrary bytes never make Normalize panic and
// that every accepted result is consistent. Smaller limits than the defaults
// keep each run fast while still reaching the downscaling code.
func FuzzNormalize(f *testing.F) {
	f.Add(mediatest.ExifJPEG(f, mediatest.Halves(40, 20, mediatest.Red, mediatest.Blue), binary.LittleEndian, 6))
	f.Add(mediatest.ExifJPEG(f, mediatest.Quadrants(24, 16), binary.BigEndian, 7))
	f.Add(mediatest.StdJPEG(f, mediatest.Quadrants(64, 8), 50))
	f.Add(mediatest.MetadataPNG(f, mediatest.Halves(30, 20, mediatest.Green, mediatest.Blue)))
	f.Add(mediatest.StdPNG(f, mediatest.Halves(300, 10, mediatest.Red, mediatest.Blue)))
	f.Add(mediatest.BombPNG(100000, 100000))
	f.Add(mediatest.BombPNG(10, 10))
	f.Add(mediatest.SofJPEG(9000, 6000))
	f.Add(mediatest.LosslessWebP(16, 8, 0xFF))
	f.Add(mediatest.LosslessWebP(300, 2, 0x80))
	f.Add(mediatest.MinimalPDF(""))
	f.Add(mediatest.MinimalPDF(" /Encrypt 5 0 R"))
	f.Add([]byte("\x7fELF\x02\x01\x01\x00"))
	f.Add([]byte("MZ\x90\x00"))
	f.Add([]byte("<svg/>"))
	f.Add([]byte{})

	lim := Limits{MaxPixels: 1 << 20, MaxLongEdge: 256}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Normalize(data, lim)
		if err != nil {
			if res.Data != nil {
				t.Fatalf("error %v with data", err)
			}
			return
		}
		if len(res.Data) == 0 {
			t.Fatal("accepted with empty Data")
		}
		sum := sha256.Sum256(res.Data)
		if res.SHA256 != hex.EncodeToString(sum[:]) || res.Size != int64(len(res.Data)) {
			t.Fatal("SHA256/Size inconsistent")
		}
		switch res.ContentType {
		case "application/pdf":
			if Kind(res.Data) != "pdf" || res.Ext != ".pdf" {
				t.Fatal("PDF result is not a PDF")
			}
		case "image/jpeg", "image/png":
			k := Kind(res.Data)
			if k != "jpeg" && k != "png" || "image/"+k != res.ContentType {
				t.Fatalf("image result of kind %q as %s", k, res.ContentType)
			}
			if res.Width <= 0 || res.Height <= 0 || res.Width > lim.MaxLongEdge || res.Height > lim.MaxLongEdge {
				t.Fatalf("image result size %dx%d", res.Width, res.Height)
			}
		default:
			t.Fatalf("ContentType %q", res.ContentType)
		}
	})
}
