package hooks

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"math/rand"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/townhall-portal/townhall/internal/media/mediatest"
)

// upload posts a document for permitA (or fields given) as role.
func upload(t testing.TB, e *testEnv, role string, fields map[string]string, name string, data []byte) response {
	t.Helper()
	if fields == nil {
		fields = map[string]string{"permit": permitA, "kind": "site_plan"}
	}
	return e.doMultipart(t, http.MethodPost, "/api/collections/documents/records", fields, "file", name, data, role)
}

// storedFile reads a document's stored bytes from the storage folder.
func storedFile(t *testing.T, e *testEnv, id string) []byte {
	t.Helper()
	doc := e.record(t, "documents", id)
	fsys, err := e.app.NewFilesystem()
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	r, err := fsys.GetReader(doc.BaseFilesPath() + "/" + doc.GetString("file"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// storedFiles counts the files in the storage folder.
func storedFiles(t *testing.T, e *testEnv) int {
	t.Helper()
	n := 0
	_ = filepath.WalkDir(filepath.Join(e.app.DataDir(), "storage"), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

func docID(t testing.TB, res response) string {
	t.Helper()
	var r struct {
		ID string `json:"id"`
	}
	res.JSON(t, &r)
	return r.ID
}

func TestPhotoComesBackUprightWithoutMetadata(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	red, blue := color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 0, 255, 255}
	photo := mediatest.ExifJPEG(t, mediatest.Halves(40, 20, red, blue), binary.LittleEndian, 6)
	res := upload(t, e, roleResA, nil, "IMG_2041.jpg", photo)
	if res.Status != 200 {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	id := docID(t, res)
	stored := storedFile(t, e, id)

	for _, m := range mediatest.JpegMarkers(t, stored) {
		if m == 0xE1 || m == 0xED || m == 0xE2 || m == 0xFE {
			t.Errorf("metadata segment 0xFF%02X survived", m)
		}
	}
	for _, secret := range [][]byte{mediatest.GpsLatitude, []byte(mediatest.SecretSerial), []byte("Exif")} {
		if bytes.Contains(stored, secret) {
			t.Errorf("stored file still contains %q", secret)
		}
	}
	img, _, err := image.Decode(bytes.NewReader(stored))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 20 || b.Dy() != 40 {
		t.Fatalf("stored %dx%d, want 20x40 (upright)", b.Dx(), b.Dy())
	}
	if r, _, bl, _ := img.At(10, 5).RGBA(); r < 0xc000 || bl > 0x4000 {
		t.Errorf("the top of the upright photo is not red: %v", img.At(10, 5))
	}
	doc := e.record(t, "documents", id)
	sum := sha256.Sum256(stored)
	if doc.GetString("sha256") != hex.EncodeToString(sum[:]) || doc.GetInt("size") != len(stored) || doc.GetString("content_type") != "image/jpeg" {
		t.Errorf("recorded %s %d %s", doc.GetString("sha256"), doc.GetInt("size"), doc.GetString("content_type"))
	}
	if doc.GetString("original_name") != "IMG_2041.jpg" || doc.GetString("owner") != resA {
		t.Errorf("name %q owner %q", doc.GetString("original_name"), doc.GetString("owner"))
	}
	if n := e.count(t, "events", "permit = {:p} && action = 'document_added' && public = true", map[string]any{"p": permitA}); n != 1 {
		t.Errorf("%d upload events", n)
	}
}

func TestPNGTextChunksAreRemoved(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	png := mediatest.MetadataPNG(t, mediatest.Quadrants(16, 16))
	res := upload(t, e, roleResA, nil, "plan.png", png)
	if res.Status != 200 {
		t.Fatalf("upload: %d %s", res.Status, res.Body)
	}
	stored := storedFile(t, e, docID(t, res))
	for _, c := range mediatest.PngChunkTypes(t, stored) {
		switch c {
		case "IHDR", "PLTE", "tRNS", "IDAT", "IEND":
		default:
			t.Errorf("chunk %s survived", c)
		}
	}
	if bytes.Contains(stored, []byte(mediatest.SecretPNGText)) {
		t.Error("the text chunk's secret survived")
	}
}

// TestRefusedUploadsLeaveNothingBehind checks every refusal's message and
// that no record and no file remain.
func TestRefusedUploadsLeaveNothingBehind(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0x90}, 2000)...)
	mz := append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 1000)...)
	big := make([]byte, 2<<20)
	rand.New(rand.NewSource(1)).Read(big)
	big = append(mediatest.MinimalPDF(""), big...)
	cases := []struct {
		name, role, file string
		fields           map[string]string
		data             []byte
		status           int
		want             string
	}{
		{"decompression bomb", roleResA, "huge.png", nil, mediatest.BombPNG(100000, 100000), 400, "too large (over 40 megapixels)"},
		{"renamed executable", roleResA, "photo.jpg", nil, elf, 400, "We accept PDF documents and JPEG, PNG or WebP pictures"},
		{"renamed Windows program", roleResA, "plan.pdf", nil, mz, 400, "We accept PDF documents"},
		{"password-protected PDF", roleResA, "plan.pdf", nil, mediatest.MinimalPDF("/Encrypt 5 0 R"), 400, "This PDF is password-protected; please upload an unprotected copy."},
		{"broken PDF", roleResA, "plan.pdf", nil, []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"), 400, "incomplete or damaged"},
		{"broken picture", roleResA, "photo.jpg", nil, mediatest.StdJPEG(t, mediatest.Quadrants(64, 64), 80)[:200], 400, "couldn't read this picture"},
		{"over the size limit", roleResA, "plan.pdf", nil, big, 400, "files can be at most 1 MB"},
		{"another resident's application", roleResB, "plan.pdf", nil, mediatest.MinimalPDF(""), 404, "No encontramos"},
		{"staff, to a resident's draft", roleClerkX, "plan.pdf", nil, mediatest.MinimalPDF(""), 404, "couldn't find that application"},
		{"no parent", roleResA, "plan.pdf", map[string]string{"kind": "site_plan"}, mediatest.MinimalPDF(""), 400, "one application or one report"},
		{"two parents", roleResA, "plan.pdf", map[string]string{"permit": permitA, "complaint": complaintA, "kind": "x"}, mediatest.MinimalPDF(""), 400, "one application or one report"},
		{"unknown document kind", roleResA, "plan.pdf", map[string]string{"permit": permitA, "kind": "tax_return"}, mediatest.MinimalPDF(""), 400, "which of the requested documents"},
		{"anonymous", roleAnon, "plan.pdf", nil, mediatest.MinimalPDF(""), 400, ""},
	}
	settings := e.record(t, "town_settings", settingsID)
	settings.Set("max_upload_mb", 1)
	if err := e.app.Save(settings); err != nil {
		t.Fatal(err)
	}
	records, files := e.count(t, "documents", "", nil), storedFiles(t, e)
	for _, c := range cases {
		res := upload(t, e, c.role, c.fields, c.file, c.data)
		if res.Status != c.status || !strings.Contains(res.Body, c.want) {
			t.Errorf("%s: %d %.300s", c.name, res.Status, res.Body)
		}
		if n := e.count(t, "documents", "", nil); n != records {
			t.Errorf("%s: %d document records, want %d", c.name, n, records)
		}
		if n := storedFiles(t, e); n != files {
			t.Errorf("%s: %d stored files, want %d", c.name, n, files)
		}
	}

	// after submission the resident can no longer add, replace or delete
	e.setStatus(t, "permits", permitA, "submitted", nil)
	res := upload(t, e, roleResA, nil, "plan.pdf", mediatest.MinimalPDF(""))
	if res.Status != 409 || !strings.Contains(res.Body, "documents can't be added or changed now") {
		t.Errorf("upload after submission: %d %s", res.Status, res.Body)
	}
	if res := e.do(t, http.MethodDelete, "/api/collections/documents/records/"+docA, nil, roleResA); res.Status != 404 {
		t.Errorf("delete after submission: %d", res.Status)
	}
	if res := e.doMultipart(t, http.MethodPatch, "/api/collections/documents/records/"+docA, nil, "file", "new.pdf", mediatest.MinimalPDF(""), roleSuperuser); res.Status != 400 {
		t.Errorf("replacing a stored file: %d %s", res.Status, res.Body)
	}
	// staff can still add a document (e.g. an inspection report) to a submitted application
	if res := upload(t, e, roleClerkX, map[string]string{"permit": permitA, "kind": "other"}, "inspection.pdf", mediatest.MinimalPDF("")); res.Status != 200 {
		t.Errorf("staff upload: %d %s", res.Status, res.Body)
	}
	if res := upload(t, e, roleClerkY, map[string]string{"permit": permitA, "kind": "other"}, "inspection.pdf", mediatest.MinimalPDF("")); res.Status != 403 || !strings.Contains(res.Body, "another department") {
		t.Errorf("another department's clerk: %d %s", res.Status, res.Body)
	}
}

func TestDraftDocumentsCanBeRemovedAndVersionsKept(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for range 2 { // two versions of the same kind
		if res := upload(t, e, roleResA, nil, "plan.pdf", mediatest.MinimalPDF("")); res.Status != 200 {
			t.Fatalf("upload: %d %s", res.Status, res.Body)
		}
	}
	if n := e.count(t, "documents", "permit = {:p} && kind = 'site_plan'", map[string]any{"p": permitA}); n != 3 {
		t.Errorf("%d versions kept, want 3", n)
	}
	if res := e.do(t, http.MethodDelete, "/api/collections/documents/records/"+docA, nil, roleResA); res.Status != 204 {
		t.Fatalf("delete from a draft: %d %s", res.Status, res.Body)
	}
	if n := e.count(t, "events", "permit = {:p} && action = 'document_removed'", map[string]any{"p": permitA}); n != 1 {
		t.Errorf("%d removal events", n)
	}
}

// TestFilesArePrivate downloads a document as every role, with a file
// token where the role can get one: while the application is a draft only
// its owner (and administrators), once submitted its department's staff too.
func TestFilesArePrivate(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	doc := e.record(t, "documents", docA)
	url := "/api/files/" + doc.Collection().Id + "/" + docA + "/" + doc.GetString("file")
	draft := map[string]int{roleAnon: 404, roleResA: 200, roleResB: 404, roleClerkX: 404, roleClerkY: 404, roleDirector: 404, roleSuperuser: 200}
	checkDownloads(t, e, url, draft)
	e.setStatus(t, "permits", permitA, "submitted", nil)
	submitted := map[string]int{roleAnon: 404, roleResA: 200, roleResB: 404, roleClerkX: 200, roleClerkY: 404, roleDirector: 200, roleSuperuser: 200}
	checkDownloads(t, e, url, submitted)
}

// checkDownloads downloads url (and its thumbnail) as every role of want.
func checkDownloads(t *testing.T, e *testEnv, url string, want map[string]int) {
	t.Helper()
	for role, status := range want {
		token := ""
		if role != roleAnon {
			res := e.do(t, http.MethodPost, "/api/files/token", nil, role)
			var tok struct {
				Token string `json:"token"`
			}
			res.JSON(t, &tok)
			token = tok.Token
		}
		res := e.do(t, http.MethodGet, url+"?token="+token, nil, roleAnon)
		if res.Status != status {
			t.Errorf("%s downloading: %d, want %d", role, res.Status, status)
		}
		// the thumbnail obeys the same rule and has the declared size
		res = e.do(t, http.MethodGet, url+"?thumb=96x96&token="+token, nil, roleAnon)
		if res.Status != status {
			t.Errorf("%s thumbnail: %d, want %d", role, res.Status, status)
		}
		if status == 200 {
			cfg, _, err := image.DecodeConfig(strings.NewReader(res.Body))
			if err != nil || cfg.Width != 96 || cfg.Height != 96 {
				t.Errorf("%s thumbnail is %dx%d (%v)", role, cfg.Width, cfg.Height, err)
			}
		}
	}
}

// TestConcurrentUploadsAreBounded sends 20 photos at once: all are stored,
// and no more than uploadSlots are normalised at the same time.
func TestConcurrentUploadsAreBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	photo := mediatest.StdJPEG(t, mediatest.Quadrants(1200, 900), 90)
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := upload(t, e, roleResA, map[string]string{"complaint": complaintA, "kind": "photo"}, "photo.jpg", photo)
			statuses <- res.Status
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 200 {
			t.Errorf("an upload answered %d", s)
		}
	}
	peak := e.portal.uploads.peak.Load()
	if peak < 1 || peak > uploadSlots {
		t.Errorf("%d normalisations ran at once, the bound is %d", peak, uploadSlots)
	}
	if n := e.count(t, "documents", "complaint = {:c}", map[string]any{"c": complaintA}); n != 20 {
		t.Errorf("%d photos stored", n)
	}
}

// BenchmarkUploadPhoto uploads a 12-megapixel phone photo through the API
// (multipart parsing, normalisation, storage, audit event).
func BenchmarkUploadPhoto(b *testing.B) {
	e := newEnv(b)
	e.app.Settings().RateLimits.Enabled = false
	img := image.NewNRGBA(image.Rect(0, 0, 4000, 3000))
	rng := rand.New(rand.NewSource(7))
	for y := 0; y < 3000; y++ {
		for x := 0; x < 4000; x++ {
			img.Pix[img.PixOffset(x, y)+0] = uint8(x/16 + rng.Intn(24))
			img.Pix[img.PixOffset(x, y)+1] = uint8(y/12 + rng.Intn(24))
			img.Pix[img.PixOffset(x, y)+2] = uint8((x + y) / 28)
			img.Pix[img.PixOffset(x, y)+3] = 255
		}
	}
	photo := mediatest.StdJPEG(b, img, 90)
	b.ReportAllocs()
	b.SetBytes(int64(len(photo)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := upload(b, e, roleResA, map[string]string{"complaint": complaintA, "kind": "photo"}, "IMG_0001.jpg", photo)
		if res.Status != 200 {
			b.Fatalf("upload: %d %s", res.Status, res.Body)
		}
	}
}

// TestPrivateFilesAreNeverCachedAndPDFsAreDownloads: protected files carry
// Cache-Control: private, no-store; a PDF is always sent as an attachment
// (a viewer in the page could run its scripts), and one with active content
// is recorded so that staff are warned.
func TestPrivateFilesAreNeverCachedAndPDFsAreDownloads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	active := mediatest.PDFWithObjects("<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>")
	res := upload(t, e, roleResA, nil, "plan.pdf", active)
	if res.Status != 200 {
		t.Fatalf("uploading an active PDF: %d %s", res.Status, res.Body)
	}
	pdfID := docID(t, res)
	if got := e.record(t, "documents", pdfID).GetString("active_content"); got != `["auto_action","script"]` {
		t.Errorf("active content recorded as %s", got)
	}
	plain := upload(t, e, roleResA, nil, "plan.pdf", mediatest.MinimalPDF(""))
	if got := e.record(t, "documents", docID(t, plain)).GetString("active_content"); got != "null" && got != "[]" && got != "" {
		t.Errorf("a plain PDF is flagged: %s", got)
	}
	// a resident cannot write the flag
	if res := e.do(t, http.MethodPatch, "/api/collections/documents/records/"+pdfID, `{"active_content":[]}`, roleClerkX); res.Status == 200 {
		t.Errorf("staff cleared the flag: %s", res.Body)
	}
	e.setStatus(t, "permits", permitA, "submitted", nil)
	for _, c := range []struct {
		id, thumb, disposition string
	}{
		{pdfID, "", "attachment"},
		{docA, "", "inline"},
		{docA, "96x96", "inline"},
	} {
		doc := e.record(t, "documents", c.id)
		tok := e.do(t, http.MethodPost, "/api/files/token", nil, roleClerkX)
		var body struct {
			Token string `json:"token"`
		}
		tok.JSON(t, &body)
		url := "/api/files/" + doc.Collection().Id + "/" + c.id + "/" + doc.GetString("file") + "?token=" + body.Token
		if c.thumb != "" {
			url += "&thumb=" + c.thumb
		}
		res := e.do(t, http.MethodGet, url, nil, roleAnon)
		if res.Status != 200 {
			t.Fatalf("%s: %d", c.id, res.Status)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("%s %s: Cache-Control %q", c.id, c.thumb, cc)
		}
		if d := res.Header.Get("Content-Disposition"); !strings.HasPrefix(d, c.disposition+";") {
			t.Errorf("%s %s: Content-Disposition %q, want %s", c.id, c.thumb, d, c.disposition)
		}
	}
}
