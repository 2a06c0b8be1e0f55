// Package pb_public embeds the resident site and the staff console (static
// HTML, CSS and JavaScript modules, no build step) into the binary.
package pb_public

import "embed"

// FS holds every file of the site; Go source files are not part of it.
//
//go:embed *.html favicon.svg css js img staff vendor
var FS embed.FS
