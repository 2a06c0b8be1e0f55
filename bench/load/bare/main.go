// Command bare is a bare PocketBase, of the same version as Townhall, with
// Townhall's schema and access rules but none of its hooks or routes: the
// yardstick of the load benchmark (bench/load).
//
// It serves the records API by the collections' rules alone, and the site's
// files from the embedded pb_public as PocketBase's examples/base serves a
// public folder (apis.Static, no compression).
//
//	go run ./bench/load/bare --dir pb_data serve --http 127.0.0.1:8091
package main

import (
	"log"
	"net/http"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	_ "github.com/townhall-portal/townhall/pb_migrations"
	"github.com/townhall-portal/townhall/pb_public"
)

func main() {
	// not pocketbase.New(): a binary in the temporary folder looks like
	// `go run` to it, and development mode logs every SQL statement
	app := pocketbase.NewWithConfig(pocketbase.Config{DefaultDev: false})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if !se.Router.HasRoute(http.MethodGet, "/{path...}") {
			se.Router.GET("/{path...}", apis.Static(pb_public.FS, false))
		}
		return se.Next()
	})
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
