package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/spf13/cobra"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/demo"
)

// RegisterCommands adds Townhall's own commands to the command line.
func RegisterCommands(app *pocketbase.PocketBase, portal *hooks.Portal) {
	app.RootCmd.AddCommand(seedCommand(app, portal), healthCommand(), escalateCommand(app, portal), checkCommand(app, portal),
		restoreCommand(app, portal), maintenanceCommand(app, portal))
	app.RootCmd.AddCommand(importCommand(app, portal))
}

// seedCommand fills the data folder with the demo county.
func seedCommand(app *pocketbase.PocketBase, portal *hooks.Portal) *cobra.Command {
	var withDemo, withHistory bool
	c := &cobra.Command{
		Use:          "seed --demo",
		Short:        "Fill the data folder with a demo county (safe to run twice)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !withDemo {
				return errors.New("say what to seed: only --demo is available")
			}
			return seedDemo(app, portal, cmd.OutOrStdout(), withHistory)
		},
	}
	c.Flags().BoolVar(&withDemo, "demo", false, "add the demo departments, services, accounts and requests")
	c.Flags().BoolVar(&withHistory, "history", true, "with --demo, also write 18 months of past reports and applications (under a minute), so the director's figures show something")
	return c
}

func seedDemo(app core.App, portal *hooks.Portal, out io.Writer, withHistory bool) error {
	if err := app.RunAllMigrations(); err != nil {
		return fmt.Errorf("applying migrations: %w", err)
	}
	if err := demo.SeedWith(app, portal, out, demo.Options{History: withHistory}); err != nil {
		return fmt.Errorf("seeding the demo data: %w", err)
	}
	fmt.Fprintf(out, "\nDemo logins (password %q for all):\n", demo.Password)
	for _, l := range demo.Logins() {
		fmt.Fprintf(out, "  %-36s %-32s %s\n", l.Who, l.Email, l.Where)
	}
	return nil
}

// healthCommand asks a running server whether it is healthy; it needs no
// shell tools, so the container's HEALTHCHECK can use it.
func healthCommand() *cobra.Command {
	var url string
	var timeout time.Duration
	c := &cobra.Command{
		Use:          "health",
		Annotations:  map[string]string{noDataFolder: "true"},
		Short:        "Check that a running Townhall answers on /api/health (exit 1 if not)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return fmt.Errorf("not healthy: %w", err)
			}
			defer res.Body.Close()
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("not healthy: %s answered %s", url, res.Status)
			}
			fmt.Fprintln(cmd.OutOrStdout(), "healthy")
			return nil
		},
	}
	c.Flags().StringVar(&url, "url", "http://127.0.0.1:8090/api/health", "the health endpoint to check")
	c.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "how long to wait for an answer")
	return c
}

// wrapServe adds --demo and --public-url to serve: seed the demo county,
// save the public address (given, or https:// and the first domain of
// `serve <domain>`), then start.
func wrapServe(app *pocketbase.PocketBase, portal *hooks.Portal, serve *cobra.Command) {
	var withDemo, withHistory bool
	var publicURL string
	serve.Flags().BoolVar(&withDemo, "demo", false, "add the demo county (departments, services, accounts, requests) before starting")
	serve.Flags().BoolVar(&withHistory, "demo-history", true, "with --demo, also write 18 months of past requests (under a minute, once)")
	serve.Flags().StringVar(&publicURL, "public-url", "", "the `URL` residents use to reach the portal (behind a reverse proxy, for example https://permits.pinecounty.gov); "+
		"links in emails and QR codes start with it")
	run := serve.RunE
	serve.RunE = func(cmd *cobra.Command, args []string) error {
		switch {
		case publicURL != "":
			saved, err := portal.SetPublicURL(publicURL)
			if err != nil {
				return fmt.Errorf("--public-url: %w", err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Public address: %s\n", saved)
		case len(args) > 0 && portal.PublicURLIsLoopback():
			saved, err := portal.SetPublicURL("https://" + args[0])
			if err != nil {
				return fmt.Errorf("the domain %q: %w", args[0], err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Public address: %s\n", saved)
		default:
			if addr, _ := cmd.Flags().GetString("http"); hooks.ListensBeyondLoopback(addr) && portal.PublicURLIsLoopback() {
				fmt.Fprintf(cmd.ErrOrStderr(), "Warning: links in emails and QR codes point to %s; start with --public-url https://your.portal.address\n",
					app.Settings().Meta.AppURL)
			}
		}
		if withDemo {
			if err := seedDemo(app, portal, os.Stdout, withHistory); err != nil {
				return err
			}
			fmt.Println()
		}
		return run(cmd, args)
	}
}

// escalateCommand runs the escalation of overdue reports now. It may run next
// to a running server: each report's transaction waits (a few seconds at
// most) for the other process's writes, and a report still locked after
// that is left for the next run without failing the command.
func escalateCommand(app *pocketbase.PocketBase, portal *hooks.Portal) *cobra.Command {
	var dryRun bool
	c := &cobra.Command{
		Use:          "escalate [--dry-run]",
		Short:        "Escalate overdue problem reports now, one line per report (--dry-run: only say what would happen)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("applying migrations: %w", err)
			}
			out := cmd.OutOrStdout()
			done, err := portal.EscalateOverdue(dryRun)
			if err != nil {
				return err
			}
			failed, deferred := 0, 0
			for _, x := range done {
				prefix := ""
				if dryRun && x.Err == nil {
					prefix = "would escalate "
				}
				fmt.Fprintln(out, prefix+x.String())
				switch {
				case x.Deferred():
					deferred++
				case x.Err != nil:
					failed++
				}
			}
			if len(done) == 0 {
				fmt.Fprintln(out, "No report is due for escalation.")
			} else if !dryRun && len(done) > failed+deferred {
				fmt.Fprintln(out, "The emails are queued; the running server sends them within a minute.")
			}
			if deferred > 0 {
				// another process (the server's own escalation job, a backup)
				// held the database: those reports are still due and the
				// server's next run escalates them
				fmt.Fprintf(out, "%s left for the next run: the database stayed busy.\n", plural(deferred, "report", "reports"))
			}
			if failed > 0 {
				return fmt.Errorf("%s could not be escalated (see above)", plural(failed, "report", "reports"))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&dryRun, "dry-run", false, "print what would be escalated without changing anything")
	return c
}

// checkCommand reviews the configuration and prints what to fix; it exits 1
// when something is broken (warnings alone exit 0).
func checkCommand(app *pocketbase.PocketBase, portal *hooks.Portal) *cobra.Command {
	var sendTest string
	c := &cobra.Command{
		Use:          "check",
		Short:        "Check the configuration (mail, address, backups, calendar, departments, services, numbering) and say what to fix",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("applying migrations: %w", err)
			}
			out := cmd.OutOrStdout()
			failed, warned := 0, 0
			for _, f := range portal.CheckConfiguration() {
				mark := map[string]string{"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}[f.Level]
				fmt.Fprintf(out, "%s  %-28s %s\n", mark, f.Subject, f.Message)
				switch f.Level {
				case "fail":
					failed++
				case "warn":
					warned++
				}
			}
			if sendTest != "" {
				// through the configured server now, not the outbox, so the
				// answer (or the server's refusal) is seen here
				if err := portal.SendTestMail(sendTest); err != nil {
					fmt.Fprintf(out, "FAIL  %-28s %v\n", "test email", err)
					failed++
				} else {
					fmt.Fprintf(out, "ok    %-28s the mail server accepted a test message to %s: check that it arrived\n", "test email", sendTest)
				}
			}
			fmt.Fprintf(out, "\n%s, %s.\n", plural(failed, "problem", "problems"), plural(warned, "warning", "warnings"))
			if failed > 0 {
				return fmt.Errorf("%s to fix", plural(failed, "problem", "problems"))
			}
			return nil
		},
	}
	c.Flags().StringVar(&sendTest, "send-test", "", "also send a test email to this `ADDRESS` through the configured mail server and report the result")
	return c
}

// restoreCommand restores a backup from the command line, through
// PocketBase's RestoreBackup so that Townhall's restore hook carries the
// permit and report numbering across (no number is issued twice). It refuses
// to run next to a server on the same data folder: the restore moves the
// database from under the server, which would go on writing, and handing out
// numbers, into the discarded copy. Restore from that server's dashboard
// instead, or stop it first.
func restoreCommand(app *pocketbase.PocketBase, portal *hooks.Portal) *cobra.Command {
	var from string
	var replace bool
	c := &cobra.Command{
		Use:   "restore BACKUP.zip | restore --from BACKUP.zip [--dir FRESH_FOLDER] [--replace]",
		Short: "Restore a backup into a fresh data folder, or into this one (stop the server first); checks the database and says what was restored",
		Long: "restore --from BACKUP.zip restores a backup into an empty (or new) data folder (--dir), checks the\n" +
			"restored database (PRAGMA integrity_check and foreign_key_check) and prints what it holds: requests,\n" +
			"reports, documents, history, residents, and the newest record's time. A damaged zip or database is\n" +
			"refused and the folder is left empty. A folder that is not empty is refused unless --replace is given.\n" +
			"--from also takes a database file that Litestream restored (litestream restore -o FILE): it becomes the\n" +
			"folder's data.db (copy the uploaded files, pb_data/storage, separately).\n\n" +
			"restore BACKUP.zip (or --from with --replace) replaces the database and uploaded files of the data\n" +
			"folder with a backup's (the backups folder itself is kept). BACKUP.zip is a backup's name in the\n" +
			"backups folder (dashboard → Settings → Backups) or the path of a backup file, which is copied there first.\n" +
			"Permit and report numbers issued after the backup was taken are not issued again:\n" +
			"numbering continues after the highest number this data folder had reached.\n" +
			"Stop the server first; a running server is restored from its dashboard instead.",
		Example: "  townhall restore --from /mnt/usb/pb_backup_20261201.zip --dir /var/lib/townhall-restored\n" +
			"  townhall restore --from /tmp/litestream-restored.db --dir /var/lib/townhall-restored\n" +
			"  townhall restore pb_backup_20261201.zip",
		Args:         cobra.MaximumNArgs(1),
		SilenceUsage: true,
		// the command opens the data folder itself: a fresh one must stay empty until the backup is in it
		Annotations: map[string]string{noDataFolder: "true"},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			switch {
			case from != "" && len(args) > 0:
				return errors.New("name the backup once: either `restore BACKUP.zip` or `restore --from BACKUP.zip`")
			case from == "" && len(args) == 0:
				return errors.New("say which backup to restore: `townhall restore --from BACKUP.zip --dir FRESH_FOLDER`")
			case from == "" && replace:
				return errors.New("--replace goes with --from")
			}
			if from != "" {
				empty, err := folderIsEmpty(app.DataDir())
				if err != nil {
					return err
				}
				if empty {
					return restoreIntoFreshFolder(app, from, out)
				}
				if !replace {
					return fmt.Errorf("the data folder %s is not empty: restore into an empty or new folder (--dir), "+
						"or add --replace to replace its data with the backup's", app.DataDir())
				}
				args = []string{from}
			}
			if pid, addr, marker, running := hooks.RunningServer(app.DataDir()); running {
				return fmt.Errorf("a Townhall server (process %d, %s) is running on %s: stop it first, or restore from its dashboard "+
					"(Settings → Backups); if no server is running there, remove %s", pid, addr, app.DataDir(), marker)
			}
			if err := app.Bootstrap(); err != nil {
				return fmt.Errorf("opening the data folder: %w", err)
			}
			name, err := stageBackup(app, args[0], out)
			if err != nil {
				return err
			}

			// RestoreBackup ends by re-executing the process with the same
			// arguments (PocketBase's restart after a restore, meant for
			// serve): here that would restore again and again. Stop at that
			// restart, after Townhall's own restart hooks, and open the
			// restored data folder in this process instead.
			noRestart := app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
				Func: func(e *core.TerminateEvent) error {
					if e.IsRestart {
						return nil
					}
					return e.Next()
				},
			})
			err = app.RestoreBackup(context.Background(), name)
			app.OnTerminate().Unbind(noRestart)
			if err != nil {
				return fmt.Errorf("restoring %s (the data folder is unchanged): %w", name, err)
			}
			if err := app.ResetBootstrapState(); err != nil {
				return fmt.Errorf("closing the replaced database: %w", err)
			}
			if err := checkRestoredDatabase(app.DataDir()); err != nil {
				return err
			}
			if err := app.Bootstrap(); err != nil {
				return fmt.Errorf("opening the restored data folder: %w", err)
			}
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("applying migrations to the restored data: %w", err)
			}
			if _, err := portal.ApplyRestoredNumbering(); err != nil {
				return err
			}
			fmt.Fprintf(out, "Restored %s into %s.\n", name, app.DataDir())
			if err := printRestored(app, out); err != nil {
				return err
			}
			if last, err := portal.LastRestore(); err != nil {
				return err
			} else if last != nil {
				fmt.Fprintln(out, last.Summary()+".")
			}
			fmt.Fprintln(out, "Start the server again with `townhall serve`.")
			return nil
		},
	}
	c.Flags().StringVar(&from, "from", "", "the backup `ZIP` to restore into the data folder given by --dir (which must be empty or new)")
	c.Flags().BoolVar(&replace, "replace", false, "with --from: replace the data of a data folder that is not empty (as restore BACKUP.zip does)")
	return c
}

// stageBackup makes the backup named on the command line available to
// RestoreBackup, which restores by name from the backups storage
// (pb_data/backups, or S3 when backups are kept there): a backup already
// there is used as it is, a file elsewhere is copied in under its own name.
func stageBackup(app core.App, arg string, out io.Writer) (string, error) {
	fsys, err := app.NewBackupsFilesystem()
	if err != nil {
		return "", fmt.Errorf("opening the backups folder: %w", err)
	}
	defer fsys.Close()
	info, statErr := os.Stat(arg)
	if statErr != nil {
		if !strings.ContainsAny(arg, `/\`) {
			if ok, _ := fsys.Exists(arg); ok {
				return arg, nil
			}
		}
		return "", fmt.Errorf("no backup %q, neither a file nor a backup in %s: %w",
			arg, filepath.Join(app.DataDir(), core.LocalBackupsDirName), statErr)
	}
	if info.IsDir() {
		return "", fmt.Errorf("%s is a folder, not a backup file", arg)
	}
	name := filepath.Base(arg)
	if !app.Settings().Backups.S3.Enabled {
		if inFolder, err := os.Stat(filepath.Join(app.DataDir(), core.LocalBackupsDirName, name)); err == nil && os.SameFile(info, inFolder) {
			return name, nil
		}
	}
	if ok, _ := fsys.Exists(name); ok {
		return "", fmt.Errorf("another backup named %s is already in the backups folder: restore that one by name "+
			"(`townhall restore %s`) or rename your file", name, name)
	}
	f, err := filesystem.NewFileFromPath(arg)
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", arg, err)
	}
	f.Name, f.OriginalName = name, name
	if err := fsys.UploadFile(f, name); err != nil {
		return "", fmt.Errorf("copying %s into the backups folder: %w", arg, err)
	}
	fmt.Fprintf(out, "Copied %s into the backups folder as %s.\n", arg, name)
	return name, nil
}

// plural writes a number with its noun: "1 problem", "2 problems".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// maintenanceCommand switches maintenance mode: the running server refuses
// changes (503 with the message) within a few seconds; reads go on.
func maintenanceCommand(app core.App, portal *hooks.Portal) *cobra.Command {
	var message, messageES string
	c := &cobra.Command{
		Use:   "maintenance on|off|status",
		Short: "Switch maintenance mode: reads keep working, changes are refused with a message, scheduled jobs wait",
		Long: "Switch maintenance mode on the data folder. A running server picks it up within a few seconds: residents and staff\n" +
			"can still read and sign in; every change answers 503 with your message and a Retry-After; mail and other\n" +
			"scheduled jobs wait. Both sites show the message. The same switch is in the dashboard (town_settings → maintenance).",
		Example:      "  townhall maintenance on --message \"We are moving to a new server; back by 9 PM.\" --message-es \"Nos mudamos a un servidor nuevo; volvemos a las 9 p. m.\"\n  townhall maintenance off",
		Args:         cobra.ExactArgs(1),
		ValidArgs:    []string{"on", "off", "status"},
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("applying migrations: %w", err)
			}
			out := cmd.OutOrStdout()
			switch args[0] {
			case "on":
				if err := portal.SetMaintenance(true, strings.TrimSpace(message), strings.TrimSpace(messageES)); err != nil {
					return err
				}
				fmt.Fprintln(out, "Maintenance mode is on: changes are refused until `townhall maintenance off`.")
			case "off":
				if err := portal.SetMaintenance(false, "", ""); err != nil {
					return err
				}
				fmt.Fprintln(out, "Maintenance mode is off: the portal takes changes again.")
			case "status":
				if on, msg := portal.Maintenance(); on {
					fmt.Fprintf(out, "Maintenance mode is on: %q\n", msg)
				} else {
					fmt.Fprintln(out, "Maintenance mode is off.")
				}
			default:
				return fmt.Errorf("say on, off or status, not %q", args[0])
			}
			return nil
		},
	}
	c.Flags().StringVar(&message, "message", "", "what residents and staff are told (English)")
	c.Flags().StringVar(&messageES, "message-es", "", "the same in Spanish")
	return c
}
