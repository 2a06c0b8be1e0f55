package media

import "bytes"

// pdfTailWindow is how far from the end of a PDF the %%EOF marker is looked for.
const pdfTailWindow = 2048

// checkPDF accepts data (which starts with "%PDF-") if it has an end-of-file
// marker "%%EOF" within its last 2 KiB and is not encrypted. Whatever follows
// the marker inside that window (line ends, white space, padding) is
// allowed; a file cut off before its final %%EOF is refused.
func checkPDF(data []byte) error {
	if !bytes.HasPrefix(data, magicPDF) {
		return ErrBrokenPDF
	}
	tail := data
	if len(tail) > pdfTailWindow {
		tail = tail[len(tail)-pdfTailWindow:]
	}
	// The marker has to come after the header line, so that a file such as
	// "%PDF-%%EOF" does not count as complete.
	i := bytes.LastIndex(tail, []byte("%%EOF"))
	headerEnd := bytes.IndexAny(data, "\r\n")
	if i < 0 || headerEnd < 0 || len(data)-len(tail)+i <= headerEnd {
		return ErrBrokenPDF
	}
	if hasEncryptName(data) {
		return ErrEncryptedPDF
	}
	return nil
}

// hasEncryptName reports whether data contains the PDF name token /Encrypt,
// also when written with #xx escapes (e.g. /Encr#79pt). Longer names such as
// /EncryptMetadata do not count.
func hasEncryptName(data []byte) bool {
	const want = "Encrypt"
	for i := 0; i < len(data); {
		j := bytes.IndexByte(data[i:], '/')
		if j < 0 {
			return false
		}
		i += j + 1
		// Decode the name that follows the slash, giving up as soon as it
		// cannot be "Encrypt".
		n := 0
		k := i
		for k < len(data) && !pdfDelimiterOrSpace(data[k]) {
			c := data[k]
			k++
			if c == '#' && k+1 < len(data) && isHex(data[k]) && isHex(data[k+1]) {
				c = unhex(data[k])<<4 | unhex(data[k+1])
				k += 2
			}
			if n >= len(want) || c != want[n] {
				n = -1
				break
			}
			n++
		}
		if n == len(want) {
			return true
		}
	}
	return false
}

// pdfDelimiterOrSpace reports whether c ends a PDF name token.
func pdfDelimiterOrSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', // white-space characters
		'(', ')', '<', '>', '[', ']', '{', '}', '/', '%': // delimiters
		return true
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
