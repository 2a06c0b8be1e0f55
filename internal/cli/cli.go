// Package cli builds the townhall application and runs its commands with exit
// codes that scripts and service managers can trust.
package cli

import (
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/cmd"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/osutils"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/townhall-portal/townhall/hooks"
)

// noDataFolder marks commands that must not open the data folder (the
// container health check runs as a user that may not write to it).
const noDataFolder = "townhall/no-data-folder"

// DefaultDataDir is where the database and uploaded files live unless --dir says otherwise.
// It is relative to the working directory, not to the binary.
const DefaultDataDir = "pb_data"

// NewApp returns the PocketBase application configured for Townhall.
func NewApp() *pocketbase.PocketBase {
	return newApp(DefaultDataDir)
}

// newApp is NewApp with another default data folder (for tests).
func newApp(dataDir string) *pocketbase.PocketBase {
	app := pocketbase.NewWithConfig(pocketbase.Config{
		DefaultDataDir:   dataDir,
		DBConnect:        connectDB,
		DataMaxOpenConns: dataMaxOpenConns,
		DataMaxIdleConns: dataMaxIdleConns,
	})
	app.RootCmd.Use = "townhall"
	app.RootCmd.Short = "Townhall: a citizen portal for a small county or town"
	app.RootCmd.Long = "Townhall is a citizen portal in one binary: a public site where residents apply for\n" +
		"permits and report problems, a staff console at /staff/ and an administration dashboard at /_/.\n\n" +
		"All data (database, uploads, backups) lives in one folder: ./pb_data in the working\n" +
		"directory unless --dir points elsewhere."
	app.RootCmd.Version = BuildVersion()
	app.RootCmd.SetVersionTemplate("townhall {{.Version}}\n")
	flagHelp(app.RootCmd.PersistentFlags(), map[string]string{
		"dir":           "the data folder (database, uploaded files, backups); relative paths start\nat the working directory",
		"dev":           "development mode: print logs and SQL statements to the console",
		"encryptionEnv": "the environment variable holding a 32-character key that encrypts the\nstored settings (default: settings are not encrypted)",
		"queryTimeout":  "how long a database query may run, in seconds",
	})
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		limitMemory()
		idleMemory.Do(func() { go returnIdleMemory(idleCheckEvery) })
		return se.Next()
	})
	return app
}

// serverMemoryLimit is the soft memory limit of the server (Go's
// runtime/debug.SetMemoryLimit) unless GOMEMLIMIT is set. Near it the
// garbage collector runs more often instead of letting the heap grow to
// twice what is live. Twenty photos uploaded at once keep about 100 MB live
// (two normalisations, bounded by hooks.uploadSlots); with this limit the
// burst of 24- or 40-megapixel photos peaks at about 280 MB instead of 300
// and 420 MB, no slower (BENCHMARKS.md, "Documents and photos"); 200 MiB
// made the 24-megapixel burst about 15 % slower. It is soft: when more is
// live, the heap grows past it and the collector uses at most about half of
// the CPU.
const serverMemoryLimit = 256 << 20

// limitMemory sets serverMemoryLimit unless GOMEMLIMIT is set (GOMEMLIMIT=off
// switches the limit off).
func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(serverMemoryLimit)
	}
}

// Returning memory after a burst.
//
// Go gives freed heap memory back to the system only gradually, sized by the
// heap goal of the last garbage collection, and an idle server collects only
// every two minutes: after a burst of uploads the process would keep
// hundreds of megabytes it no longer uses for minutes. returnIdleMemory
// watches the runtime and, once the server has been quiet for a whole
// interval while a lot of memory is reclaimable, collects and returns it at
// once (debug.FreeOSMemory, a few milliseconds for the heap of an idle
// server).
const (
	idleCheckEvery   = 5 * time.Second
	quietAllocations = 16 << 20 // bytes allocated in one interval that still count as quiet
	worthReturning   = 32 << 20 // reclaimable bytes worth a collection
)

var idleMemory sync.Once

func returnIdleMemory(every time.Duration) {
	samples := []metrics.Sample{
		{Name: "/gc/heap/allocs:bytes"},           // allocated so far
		{Name: "/memory/classes/heap/free:bytes"}, // free, not yet returned
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/live:bytes"}, // live at the last collection
	}
	var before uint64
	for range time.Tick(every) {
		metrics.Read(samples)
		allocs, free := samples[0].Value.Uint64(), samples[1].Value.Uint64()
		objects, live := samples[2].Value.Uint64(), samples[3].Value.Uint64()
		quiet := before != 0 && allocs-before < quietAllocations
		before = allocs
		if quiet && free+objects-min(live, objects) > worthReturning {
			debug.FreeOSMemory()
		}
	}
}

// Version is the release, set at build time with
// -ldflags "-X github.com/townhall-portal/townhall/internal/cli.Version=1.4.0";
// without it BuildVersion reads what Go recorded in the binary.
var Version = ""

// BuildVersion is the version --version prints: the release set at build
// time, the module version (go install …@v1.4.0), or the commit the binary
// was built from, with "-modified" when the work tree had changes.
func BuildVersion() string {
	if Version != "" {
		return Version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown (built without module information)"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, at, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-modified"
			}
		}
	}
	if rev == "" {
		return "development build (no version control information)"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "commit " + rev + modified
	if at != "" {
		v += " (" + at + ")"
	}
	return v
}

// flagHelp rewrites the help of flags PocketBase defines, in our words.
func flagHelp(flags *pflag.FlagSet, usage map[string]string) {
	for name, text := range usage {
		if f := flags.Lookup(name); f != nil {
			f.Usage = text
		}
	}
}

// IsGoRun reports whether the binary was started by `go run` (development).
func IsGoRun() bool {
	return osutils.IsProbablyGoRun()
}

// Execute registers PocketBase's own commands (serve, superuser), runs the
// command line and returns the process exit code: 0 on success, 1 when the
// command failed (unknown command, bad flag, port in use, ...).
//
// PocketBase v0.39's Start discards the command's error and exits 0; this
// replaces it with the same steps (bootstrap, signal handling, terminate hooks)
// while keeping the error.
func Execute(app *pocketbase.PocketBase, portal *hooks.Portal) int {
	return ExecuteArgs(app, portal, os.Args[1:])
}

// ExecuteArgs is Execute with explicit arguments.
func ExecuteArgs(app *pocketbase.PocketBase, portal *hooks.Portal, args []string) int {
	serve := cmd.NewServeCommand(app, true)
	serve.Short = "Start the portal (on 127.0.0.1:8090, or on ports 80 and 443 for a domain)"
	flagHelp(serve.PersistentFlags(), map[string]string{
		"http":    "the address and port to listen on for HTTP\n(default 127.0.0.1:8090; with a domain, 0.0.0.0:80)",
		"https":   "the address and port to listen on for HTTPS, with a Let's Encrypt certificate\n(default: none; with a domain, 0.0.0.0:443, and HTTP is redirected to HTTPS)",
		"origins": "the origins allowed to call the API from other sites (CORS)",
	})
	wrapServe(app, portal, serve)
	app.RootCmd.AddCommand(cmd.NewSuperuserCommand(app))
	app.RootCmd.AddCommand(serve)
	app.RootCmd.SetArgs(args)
	app.RootCmd.SilenceErrors = true

	if needsBootstrap(app.RootCmd, args) {
		if err := app.Bootstrap(); err != nil {
			fmt.Fprintln(os.Stderr, "Error: could not open the data folder:", err)
			return 1
		}
	}

	done := make(chan error, 1)
	go func() {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
		<-sig
		done <- nil
	}()
	go func() {
		done <- app.RootCmd.Execute()
	}()
	err := <-done

	event := new(core.TerminateEvent)
	event.App = app
	termErr := app.OnTerminate().Trigger(event, func(e *core.TerminateEvent) error {
		return e.App.ResetBootstrapState()
	})

	if err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		if strings.HasPrefix(err.Error(), "unknown command") || strings.Contains(err.Error(), "flag") {
			fmt.Fprintf(os.Stderr, "Run '%s --help' for the list of commands and flags.\n", app.RootCmd.Name())
		}
		return 1
	}
	if termErr != nil {
		fmt.Fprintln(os.Stderr, "Error while shutting down:", termErr)
		return 1
	}
	return 0
}

// needsBootstrap reports whether the command line asks for a real command
// (not help, version or an unknown command) that needs the data folder open.
func needsBootstrap(root *cobra.Command, args []string) bool {
	c, _, err := root.Find(args)
	if err != nil || c == root || c.Annotations[noDataFolder] == "true" {
		return false
	}
	for _, a := range args {
		if slices.Contains([]string{"-h", "--help", "-v", "--version"}, a) {
			return false
		}
	}
	return true
}
