package open311

import (
	"bytes"
	"encoding/xml"
	"math"
	"strconv"
	"unicode/utf8"
)

// A document is written once as JSON and once as XML from the same tree, so
// the two formats can never say different things. The tree is made of:
//
//   - nil (JSON null, an empty XML element),
//   - string, bool, int, float64,
//   - Object: named fields in order (a JSON object, XML child elements),
//   - List: items of one element name (a JSON array, repeated XML elements).
//
// This is the Spark convention the specification asks for: the JSON is the
// XML with the list item elements dropped.

// Field is one named value of an Object.
type Field struct {
	Name  string
	Value any
}

// Object is a JSON object / XML element with children, fields in order.
type Object []Field

// List is a JSON array / an XML element holding one Item element per value.
type List struct {
	Item  string
	Items []any
}

// Document is a whole answer: its XML root element and its body (an Object
// or a List).
type Document struct {
	Root string
	Body any
}

// Format is how an answer is written: JSON or XML.
type Format string

// The formats every endpoint answers in.
const (
	JSON Format = "json"
	XML  Format = "xml"
)

// ContentType is the HTTP Content-Type of a format.
func (f Format) ContentType() string {
	if f == XML {
		return "text/xml; charset=utf-8"
	}
	return "application/json; charset=utf-8"
}

// Encode writes the document in format f.
func (d Document) Encode(f Format) []byte {
	if f == XML {
		return d.XML()
	}
	return d.JSON()
}

// JSON writes the document as JSON.
func (d Document) JSON() []byte {
	b := make([]byte, 0, d.sizeHint())
	b = appendJSON(b, d.Body)
	return append(b, '\n')
}

// XML writes the document as XML, with its declaration.
func (d Document) XML() []byte {
	var buf bytes.Buffer
	buf.Grow(2 * d.sizeHint())
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	writeXML(&buf, d.Root, d.Body)
	buf.WriteByte('\n')
	return buf.Bytes()
}

// sizeHint guesses the length of a document, so that a list of a thousand
// requests is written without growing its buffer many times.
func (d Document) sizeHint() int {
	if l, ok := d.Body.(List); ok {
		return 1024 + 768*len(l.Items)
	}
	return 1024
}

func appendJSON(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendJSONString(b, x)
	case bool:
		return strconv.AppendBool(b, x)
	case int:
		return strconv.AppendInt(b, int64(x), 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return append(b, "null"...)
		}
		return strconv.AppendFloat(b, x, 'f', -1, 64)
	case Object:
		b = append(b, '{')
		for i, f := range x {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, f.Name)
			b = append(b, ':')
			b = appendJSON(b, f.Value)
		}
		return append(b, '}')
	case List:
		b = append(b, '[')
		for i, it := range x.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, it)
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, `\u202`...)
			b = append(b, hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

func writeXML(buf *bytes.Buffer, name string, v any) {
	open := func() { buf.WriteByte('<'); buf.WriteString(name); buf.WriteByte('>') }
	empty := func() { buf.WriteByte('<'); buf.WriteString(name); buf.WriteString("/>") }
	switch x := v.(type) {
	case nil:
		empty()
		return
	case Object:
		open()
		for _, f := range x {
			writeXML(buf, f.Name, f.Value)
		}
	case List:
		if len(x.Items) == 0 {
			empty()
			return
		}
		open()
		for _, it := range x.Items {
			writeXML(buf, x.Item, it)
		}
	default:
		text := scalarText(v)
		if text == "" {
			empty()
			return
		}
		open()
		escapeXML(buf, text)
	}
	buf.WriteString("</")
	buf.WriteString(name)
	buf.WriteByte('>')
}

// escapeXML writes s as XML text: markup characters escaped, characters XML
// cannot hold replaced by U+FFFD (as encoding/xml does).
func escapeXML(buf *bytes.Buffer, s string) {
	plain := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		buf.WriteString(s)
		return
	}
	_ = xml.EscapeText(buf, []byte(s)) // writes to a buffer: cannot fail
}

// scalarText is the XML text of a string, bool or number.
func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}
