// Package hooks adapts Townhall's rules to PocketBase: record hooks that every
// save passes through, request hooks for the API, our own routes and jobs.
// Register installs all of them; each concern lives in its own file.
package hooks

import "github.com/pocketbase/pocketbase/core"

// Register installs every Townhall hook, route and scheduled job on app.
func Register(app core.App) {
	registerGuards(app)
	registerDefaults(app)
}
