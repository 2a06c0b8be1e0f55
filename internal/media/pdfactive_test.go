package media_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/townhall-portal/townhall/internal/media"
	"github.com/townhall-portal/townhall/internal/media/mediatest"
)

// TestActivePDFsAreFlagged: scripts, automatic actions, launches, embedded
// files and form submission are found, written plainly, with #xx escapes or
// inside a compressed object stream; a page to open at is not an action.
func TestActivePDFsAreFlagged(t *testing.T) {
	catalog := "<< /Type /Catalog /Pages 2 0 R "
	cases := []struct {
		name string
		pdf  []byte
		want []string
	}{
		{"plain", mediatest.MinimalPDF(""), nil},
		{"open at page one", mediatest.PDFWithObjects(catalog + "/OpenAction [2 0 R /Fit] >>"), nil},
		{"script on open", mediatest.PDFWithObjects(catalog + "/OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"),
			[]string{media.ActiveAutoAction, media.ActiveScript}},
		{"open action by reference", mediatest.PDFWithObjects(catalog+"/OpenAction 3 0 R >>", "<< /S /URI /URI (http://x) >>"),
			[]string{media.ActiveAutoAction}},
		{"escaped names", mediatest.PDFWithObjects(catalog + "/Names << /J#61vaScript 3 0 R >> >>"), []string{media.ActiveScript}},
		{"additional actions", mediatest.PDFWithObjects(catalog + "/AA << /WC << /S /Named /N /Print >> >> >>"), []string{media.ActiveAutoAction}},
		{"launch", mediatest.PDFWithObjects(catalog+">>", "<< /S /Launch /F (cmd.exe) >>"), []string{media.ActiveLaunch}},
		{"embedded file", mediatest.PDFWithObjects(catalog+"/Names << /EmbeddedFiles 3 0 R >> >>", "<< /Names [] >>"), []string{media.ActiveEmbeddedFile}},
		{"form submission", mediatest.PDFWithObjects(catalog+">>", "<< /S /SubmitForm /F (http://x) >>"), []string{media.ActiveSubmitForm}},
		{"hidden in an object stream", mediatest.PDFWithObjects(catalog+">>", mediatest.FlateStream("<< /S /JavaScript /JS (this.print()) >>")),
			[]string{media.ActiveScript}},
		{"a name that only starts like one", mediatest.PDFWithObjects(catalog + "/JSON (x) /AAB 1 >>"), nil},
	}
	for _, c := range cases {
		res, err := media.Normalize(c.pdf, media.Limits{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !slices.Equal(res.Active, c.want) {
			t.Errorf("%s: active %v, want %v", c.name, res.Active, c.want)
		}
	}
}

// TestCompressedBombsCostLittle: a stream that inflates without end is read
// only up to the bound.
func TestCompressedBombsCostLittle(t *testing.T) {
	bomb := mediatest.FlateStream(strings.Repeat("0", 20<<20))
	res, err := media.Normalize(mediatest.PDFWithObjects("<< /Type /Catalog /Pages 2 0 R >>", bomb), media.Limits{})
	if err != nil || len(res.Active) != 0 {
		t.Fatalf("%v %v", res.Active, err)
	}
}
