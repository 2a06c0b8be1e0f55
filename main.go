// Command townhall is the citizen portal of a small county or town: one binary
// with an embedded database, a resident site, a staff console and PocketBase's
// administration dashboard.
package main

import (
	"os"

	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/cli"
	"github.com/townhall-portal/townhall/pb_public"

	_ "github.com/townhall-portal/townhall/pb_migrations"
)

func main() {
	app := cli.NewApp()

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{
		Dir:         "pb_migrations",
		Automigrate: cli.IsGoRun(),
	})

	portal := hooks.Register(app)
	hooks.ServeSite(app, pb_public.FS)
	cli.RegisterCommands(app, portal)

	os.Exit(cli.Execute(app, portal))
}
