package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/townhall-portal/townhall/hooks"
	"github.com/townhall-portal/townhall/internal/demo"
)

// RegisterCommands adds Townhall's own commands to the command line.
func RegisterCommands(app *pocketbase.PocketBase, portal *hooks.Portal) {
	app.RootCmd.AddCommand(seedCommand(app, portal), healthCommand(), escalateCommand(app, portal), checkCommand(app, portal))
}

// seedCommand fills the data folder with the demo county.
func seedCommand(app *pocketbase.PocketBase, portal *hooks.Portal) *cobra.Command {
	var withDemo bool
	c := &cobra.Command{
		Use:          "seed --demo",
		Short:        "Fill the data folder with a demo county (safe to run twice)",
		SilenceUsage: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !withDemo {
				return errors.New("say what to seed: only --demo is available")
			}
			return seedDemo(app, portal, cmd.OutOrStdout())
		},
	}
	c.Flags().BoolVar(&withDemo, "demo", false, "add the demo departments, services, accounts and requests")
	return c
}

func seedDemo(app core.App, portal *hooks.Portal, out io.Writer) error {
	if err := app.RunAllMigrations(); err != nil {
		return fmt.Errorf("applying migrations: %w", err)
	}
	if err := demo.Seed(app, portal, out); err != nil {
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

// wrapServe adds --demo to serve: seed the demo county, then start.
func wrapServe(app *pocketbase.PocketBase, portal *hooks.Portal, serve *cobra.Command) {
	var withDemo bool
	serve.Flags().BoolVar(&withDemo, "demo", false, "add the demo county (departments, services, accounts, requests) before starting")
	run := serve.RunE
	serve.RunE = func(cmd *cobra.Command, args []string) error {
		if withDemo {
			if err := seedDemo(app, portal, os.Stdout); err != nil {
				return err
			}
			fmt.Println()
		}
		return run(cmd, args)
	}
}

// escalateCommand runs the escalation of overdue reports now.
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
			failed := 0
			for _, x := range done {
				prefix := ""
				if dryRun && x.Err == nil {
					prefix = "would escalate "
				}
				fmt.Fprintln(out, prefix+x.String())
				if x.Err != nil {
					failed++
				}
			}
			if len(done) == 0 {
				fmt.Fprintln(out, "No report is due for escalation.")
			} else if !dryRun {
				fmt.Fprintln(out, "The emails are queued; the running server sends them within a minute.")
			}
			if failed > 0 {
				return fmt.Errorf("%d report(s) could not be escalated (see above)", failed)
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
	return &cobra.Command{
		Use:          "check",
		Short:        "Check the configuration (mail, address, backups, calendar, departments, services) and say what to fix",
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
			fmt.Fprintf(out, "\n%d problem(s), %d warning(s).\n", failed, warned)
			if failed > 0 {
				return fmt.Errorf("%d problem(s) need fixing", failed)
			}
			return nil
		},
	}
}
