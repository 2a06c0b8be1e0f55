package hooks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/townhall-portal/townhall/internal/i18n"
	"github.com/townhall-portal/townhall/internal/media"
	"github.com/townhall-portal/townhall/internal/media/spool"
	"github.com/townhall-portal/townhall/internal/workflow"
)

// uploadSlots is how many uploads are normalised at once; more wait their
// turn (their files spooled to disk, internal/media/spool), so twenty
// residents sending phone photos together cannot exhaust memory (one
// 40-megapixel JPEG needs about 110 MB while it is processed).
const uploadSlots = 2

// uploads bounds and measures the normalisation of uploads.
type uploads struct {
	limiter    *media.Limiter
	peak       atomic.Int64 // most normalisations seen running at once
	normalized sync.Map     // *core.Record -> true: normalised before its save
}

// registerDocuments makes every stored file safe: the uploader may attach it
// to that request in its current state, the content is a PDF or a picture
// whatever its name, pictures are upright, downscaled and stripped of all
// metadata, and nothing is half-saved when a file is refused. Files never
// change once stored: a new version is a new document.
func (p *Portal) registerDocuments() {
	// uploads wait for their turn on disk, not in memory
	p.app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		spool.Bind(se.Router)
		return se.Next()
	})

	p.app.OnRecordCreateRequest("documents").BindFunc(func(e *core.RecordRequestEvent) error {
		if e.Auth == nil || e.Auth.IsSuperuser() {
			return e.Next()
		}
		actor, err := actorOf(e.RequestEvent)
		if err != nil {
			return err
		}
		// refuse early, before the file costs anything
		if err := p.checkAttach(e.App, e.Record, actor); err != nil {
			return err
		}
		if err := p.normalizeUpload(e.App, e.Record, actor.Lang); err != nil {
			return err
		}
		p.uploads.normalized.Store(e.Record, true)
		defer p.uploads.normalized.Delete(e.Record)
		original := e.App
		defer func() { e.App = original }()
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			// again in the transaction that writes the row: an upload that
			// raced a submission must not land on the submitted application
			if err := p.checkAttach(tx, e.Record, actor); err != nil {
				return err
			}
			return e.Next()
		})
	})

	p.app.OnRecordCreate("documents").BindFunc(func(e *core.RecordEvent) error {
		// uploads through the API were normalised by the request hook; the
		// dashboard and Go code pass here
		if _, done := p.uploads.normalized.Load(e.Record); !done {
			lang := i18n.EN
			if _, parent := p.parentRecord(e.App, e.Record); parent != nil {
				lang = i18n.Parse(parent.GetString("language"))
			}
			if err := p.normalizeUpload(e.App, e.Record, lang); err != nil {
				return err
			}
		}
		original := e.App
		defer func() { e.App = original }()
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := e.Next(); err != nil {
				return err
			}
			return p.documentEvent(tx, e.Record, "document_added")
		})
	})

	// residents' files are private: never kept by a browser or a proxy, and
	// PDFs (which a viewer may run) always saved, never opened in the page
	p.app.OnFileDownloadRequest("documents").BindFunc(func(e *core.FileDownloadRequestEvent) error {
		h := e.Response.Header()
		if e.FileField.Protected {
			h.Set("Cache-Control", "private, no-store")
		}
		if !strings.HasPrefix(e.Record.GetString("content_type"), "image/") {
			h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.ServedName}))
		}
		return e.Next()
	})

	p.app.OnRecordUpdate("documents").BindFunc(func(e *core.RecordEvent) error {
		changed := e.Record.GetString("file") != e.Record.Original().GetString("file")
		for _, k := range p.kinds() {
			changed = changed || e.Record.GetString(k.parentField) != e.Record.Original().GetString(k.parentField)
		}
		if changed {
			return validationError("file", "immutable", i18n.EN.T("document.immutable"))
		}
		return e.Next()
	})

	p.app.OnRecordDeleteRequest("documents").BindFunc(func(e *core.RecordRequestEvent) error {
		original := e.App
		defer func() { e.App = original }()
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := p.documentEvent(tx, e.Record, "document_removed"); err != nil {
				return err
			}
			return e.Next()
		})
	})
}

// checkAttach decides whether actor may attach this document to its parent
// now, and says why not in the actor's language.
func (p *Portal) checkAttach(app core.App, doc *core.Record, actor Actor) error {
	lang := actor.Lang
	kind, id, parents := p.parentOf(doc)
	if parents != 1 {
		field := p.kinds()[0].parentField
		return validationError(field, "parent", lang.T("document.one_parent"))
	}
	parent, err := p.loadForActor(app, kind, id, actor)
	if err != nil {
		return err
	}
	status := parent.GetString("status")
	refused := apiError(http.StatusConflict, lang.T("document.state_"+kind.machine.Name, lang.State(kind.machine.Name, status)))
	if !kind.mayAttach(status, actor) {
		return refused
	}
	if actor.Kind == workflow.Resident {
		doc.Set("owner", actor.User.Id)
		doc.Set("uploaded_by", "")
	} else {
		if actor.Staff != nil {
			doc.Set("uploaded_by", actor.Staff.Id)
		}
		doc.Set("owner", parent.GetString(kind.ownerField))
	}
	if kind.checkDocument != nil {
		return kind.checkDocument(app, parent, doc, lang)
	}
	return nil
}

// normalizeUpload replaces the uploaded file with its safe version and
// records its hash, size and type; a refused file is explained.
func (p *Portal) normalizeUpload(app core.App, doc *core.Record, lang i18n.Lang) error {
	files := doc.GetUnsavedFiles("file")
	if len(files) != 1 {
		return validationError("file", "required", lang.T("document.no_file"))
	}
	f := files[0]
	town := p.townSettings(app)
	limitMB := town.MaxUploadMB
	if f.Size > int64(limitMB)<<20 {
		return validationError("file", "too_large", lang.T("document.too_large", megabytes(f.Size), limitMB))
	}
	// a file that cannot be stored is not processed first
	if err := p.checkFreeSpace(app, f.Size); err != nil {
		return err
	}
	var res media.Result
	var tooLarge int64
	err := p.uploads.limiter.Do(context.Background(), func() error {
		running := int64(p.uploads.limiter.InUse())
		for {
			peak := p.uploads.peak.Load()
			if running <= peak || p.uploads.peak.CompareAndSwap(peak, running) {
				break
			}
		}
		// read inside the limiter: twenty uploads waiting hold no copies
		data, err := readUpload(f, int64(limitMB)<<20)
		if err != nil {
			return err
		}
		if int64(len(data)) > int64(limitMB)<<20 {
			tooLarge = int64(len(data))
			return nil
		}
		res, err = media.Normalize(data, media.Limits{MaxPixels: town.MaxMegapixels * 1_000_000})
		return err
	})
	if tooLarge > 0 {
		return validationError("file", "too_large", lang.T("document.too_large", megabytes(tooLarge), limitMB))
	}
	if err != nil {
		if !isMediaRefusal(err) {
			return err // reading the upload failed: ours
		}
		return validationError("file", "refused", uploadRefusal(err, lang, town.MaxMegapixels))
	}
	name := strings.TrimSuffix(f.OriginalName, filepath.Ext(f.OriginalName))
	if name == "" {
		name = "document"
	}
	stored, err := filesystem.NewFileFromBytes(res.Data, name+res.Ext)
	if err != nil {
		return err
	}
	doc.Set("file", stored)
	if doc.GetString("original_name") == "" {
		doc.Set("original_name", truncate(f.OriginalName, 255))
	}
	doc.Set("active_content", res.Active)
	doc.Set("sha256", res.SHA256)
	doc.Set("size", res.Size)
	doc.Set("content_type", res.ContentType)
	return nil
}

// isMediaRefusal reports whether a normalisation error is about the file
// (the resident's to fix) rather than a fault of ours.
func isMediaRefusal(err error) bool {
	for _, e := range []error{media.ErrEmpty, media.ErrUnsupportedType, media.ErrTooLarge, media.ErrTooManyPixels,
		media.ErrBrokenImage, media.ErrBrokenPDF, media.ErrEncryptedPDF} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// readUpload reads an uploaded file, at most limit+1 bytes. The size of a
// multipart upload is known: it is read into one buffer of that size instead
// of one that grows (io.ReadAll allocates about twice the file on the way).
func readUpload(f *filesystem.File, limit int64) ([]byte, error) {
	rc, err := f.Reader.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	r := io.LimitReader(rc, limit+1)
	if f.Size <= 0 || f.Size > limit {
		return io.ReadAll(r)
	}
	data := make([]byte, f.Size)
	n, err := io.ReadFull(r, data)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF: // shorter than said
		return data[:n], nil
	case err != nil:
		return nil, err
	}
	rest, err := io.ReadAll(r) // longer than said: read on, within the limit
	if err != nil || len(rest) == 0 {
		return data, err
	}
	return append(data, rest...), nil
}

// uploadRefusal says why a file was refused, so the resident can fix it.
func uploadRefusal(err error, lang i18n.Lang, maxMegapixels int) string {
	switch {
	case errors.Is(err, media.ErrEmpty):
		return lang.T("document.empty")
	case errors.Is(err, media.ErrUnsupportedType):
		return lang.T("document.type")
	case errors.Is(err, media.ErrTooManyPixels):
		return lang.T("document.pixels", maxMegapixels)
	case errors.Is(err, media.ErrBrokenImage):
		return lang.T("document.broken_image")
	case errors.Is(err, media.ErrEncryptedPDF):
		return lang.T("document.encrypted_pdf")
	case errors.Is(err, media.ErrBrokenPDF):
		return lang.T("document.broken_pdf")
	}
	return lang.T("document.type")
}

// megabytes formats a byte count for people: 22.4.
func megabytes(n int64) string { return fmt.Sprintf("%.1f", float64(n)/(1<<20)) }

// documentEvent records an upload or removal in the parent's history.
func (p *Portal) documentEvent(tx core.App, doc *core.Record, action string) error {
	kind, parent := p.parentRecord(tx, doc)
	if parent == nil {
		return nil
	}
	actor := SystemActor()
	if id := doc.GetString("uploaded_by"); id != "" {
		if s, err := tx.FindRecordById("staff", id); err == nil {
			actor = StaffActor(s)
		}
	} else if id := doc.GetString("owner"); id != "" {
		if u, err := tx.FindRecordById("users", id); err == nil {
			actor = ResidentActor(u)
		}
	}
	return p.appendEvent(tx, kind, parent, event{Action: action, Public: true, Actor: actor, Data: map[string]any{
		"document": doc.Id, "kind": doc.GetString("kind"), "name": doc.GetString("original_name"),
		"sha256": doc.GetString("sha256"), "size": doc.GetInt("size"),
	}})
}
