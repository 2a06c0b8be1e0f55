package media

import (
	"bytes"
	"compress/zlib"
	"io"
	"slices"
)

// Active content found in a PDF, as [Result].Active lists it. A viewer may
// run or open these without asking: staff are warned before opening such a
// file, and it is only ever served as a download.
const (
	ActiveScript       = "script"        // /JavaScript, /JS
	ActiveAutoAction   = "auto_action"   // /AA, or an /OpenAction that is an action, not a page to open at
	ActiveLaunch       = "launch"        // /Launch: starts a program or opens a file
	ActiveEmbeddedFile = "embedded_file" // /EmbeddedFile(s): files carried inside
	ActiveSubmitForm   = "submit_form"   // /SubmitForm, /ImportData: sends or loads form data
	ActiveRichMedia    = "rich_media"    // /RichMedia: embedded Flash or video
)

// activeNames maps PDF name tokens to what they mean.
var activeNames = map[string]string{
	"JavaScript":    ActiveScript,
	"JS":            ActiveScript,
	"AA":            ActiveAutoAction,
	"Launch":        ActiveLaunch,
	"EmbeddedFile":  ActiveEmbeddedFile,
	"EmbeddedFiles": ActiveEmbeddedFile,
	"SubmitForm":    ActiveSubmitForm,
	"ImportData":    ActiveSubmitForm,
	"RichMedia":     ActiveRichMedia,
}

// Bounds of the look inside compressed streams (object streams can hide
// dictionaries there): enough for any real application document, small
// enough that a compression bomb costs little.
const (
	maxInflatedPerStream = 8 << 20
	maxInflatedTotal     = 64 << 20
)

// pdfActiveContent lists the kinds of active content in a PDF, sorted, in
// its plain text and in its Flate-compressed streams.
func pdfActiveContent(data []byte) []string {
	found := map[string]bool{}
	scanPDFNames(data, found)
	budget := maxInflatedTotal
	for rest := data; budget > 0; {
		i := bytes.Index(rest, []byte("stream"))
		if i < 0 {
			break
		}
		body := rest[i+len("stream"):]
		rest = body
		switch {
		case bytes.HasPrefix(body, []byte("\r\n")):
			body = body[2:]
		case bytes.HasPrefix(body, []byte("\n")):
			body = body[1:]
		default:
			continue // "endstream", or a word that merely contains it
		}
		if end := bytes.Index(body, []byte("endstream")); end >= 0 {
			body = body[:end]
		}
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			continue // not Flate (images, fonts in other encodings)
		}
		inflated, _ := io.ReadAll(io.LimitReader(zr, int64(min(maxInflatedPerStream, budget))))
		_ = zr.Close()
		budget -= len(inflated)
		scanPDFNames(inflated, found)
	}
	var out []string
	for k := range found {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// scanPDFNames records the active-content names of data in found, decoding
// #xx escapes (/J#53 is /JS).
func scanPDFNames(data []byte, found map[string]bool) {
	var name []byte
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '/')
		if j < 0 {
			return
		}
		i += j + 1
		name = name[:0]
		for i < len(data) && !pdfDelimiterOrSpace(data[i]) && len(name) < 32 {
			c := data[i]
			i++
			if c == '#' && i+1 < len(data) && isHex(data[i]) && isHex(data[i+1]) {
				c = unhex(data[i])<<4 | unhex(data[i+1])
				i += 2
			}
			name = append(name, c)
		}
		if kind, ok := activeNames[string(name)]; ok {
			found[kind] = true
		}
		if string(name) == "OpenAction" && openActionIsAction(data[i:]) {
			found[ActiveAutoAction] = true
		}
	}
}

// openActionIsAction reports whether the value after /OpenAction is an
// action (a dictionary or a reference to one) rather than a destination
// (an array: the page and zoom to open at, which most PDFs carry).
func openActionIsAction(rest []byte) bool {
	for _, c := range rest {
		switch c {
		case 0, '\t', '\n', '\f', '\r', ' ':
			continue
		case '[':
			return false
		}
		return true
	}
	return false
}
