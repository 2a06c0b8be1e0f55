// Package demo fills a data folder with a believable small county: departments,
// a service catalogue, staff of every role, two residents and requests in
// several states. Every demo record has a fixed id, so seeding twice changes
// nothing.
package demo

import (
	"errors"
	"fmt"
	"io"

	"github.com/pocketbase/pocketbase/core"

	"github.com/townhall-portal/townhall/hooks"
)

// Password is the password of every demo account.
const Password = "demo-lantern-harbor"

// Login is one demo account.
type Login struct {
	Who, Email, Where string
}

// Logins lists the demo accounts, for printing.
func Logins() []Login {
	out := []Login{{"Administrator (dashboard)", adminEmail, "/_/"}}
	for _, s := range staff {
		out = append(out, Login{s["name"].(string) + " (" + s["role"].(string) + ")", s["email"].(string), "/staff/"})
	}
	for _, r := range residents {
		out = append(out, Login{r["name"].(string) + " (resident)", r["email"].(string), "/"})
	}
	return out
}

const adminEmail = "admin@pinecounty.example"

var staff = []m{
	{"id": "demostaffclk001", "email": "clerk@pinecounty.example", "name": "Carla Jensen", "role": "clerk",
		"department": "demodeptplan001"},
	{"id": "demostaffwrk001", "email": "works@pinecounty.example", "name": "Dev Patel", "role": "clerk",
		"department": "demodeptwork001"},
	{"id": "demostaffsup001", "email": "supervisor@pinecounty.example", "name": "Sam Okafor", "role": "supervisor",
		"department": "demodeptplan001"},
	{"id": "demostaffcty001", "email": "countyclerk@pinecounty.example", "name": "Rosa Alvarez", "role": "clerk",
		"department": "demodeptclrk001"},
	{"id": "demostaffdir001", "email": "director@pinecounty.example", "name": "Diane Moreau", "role": "director"},
}

var residents = []m{
	{"id": "demoresident001", "email": "maria@example.com", "name": "María García", "phone": "(555) 014-2231",
		"address": "118 Oak Street, Pine Falls", "language": "es"},
	{"id": "demoresident002", "email": "john@example.com", "name": "John Miller", "phone": "(555) 019-8870",
		"address": "42 Lakeview Drive, Pine Falls", "language": "en"},
}

// Seed adds every demo record that is missing and reports what it did on out.
// Requests are filed and moved through the same actions residents and staff
// use, through portal.
func Seed(app core.App, portal *hooks.Portal, out io.Writer) error {
	return SeedWith(app, portal, out, Options{History: true})
}

// Options say what Seed adds besides the county itself.
type Options struct {
	// History adds 18 months of past reports and applications (about
	// 6,000 requests, half a minute): what the director's figures show.
	History bool
	// HistoryShare writes that share of the history's daily volume (0: all
	// of it); the browser tests use a tenth, a few seconds instead of 40.
	HistoryShare float64
}

// SeedWith is Seed with options.
func SeedWith(app core.App, portal *hooks.Portal, out io.Writer, opts Options) error {
	created := 0
	err := app.RunInTransaction(func(txApp core.App) error {
		steps := []struct {
			collection string
			rows       []m
		}{
			{"departments", departments},
			{"permit_types", permitTypes},
			{"complaint_categories", categories},
			{"staff", staff},
			{"users", residents},
		}
		for _, step := range steps {
			n, err := ensureRecords(txApp, step.collection, step.rows)
			if err != nil {
				return fmt.Errorf("%s: %w", step.collection, err)
			}
			created += n
		}
		if err := nameTheTown(txApp); err != nil {
			return err
		}
		n, err := ensureAdmin(txApp)
		if err != nil {
			return err
		}
		created += n
		return nil
	})
	if err != nil {
		return err
	}
	n, err := ensureCounty(app, portal)
	if err != nil {
		return err
	}
	created += n
	n, err = ensureRequests(app, portal)
	if err != nil {
		return err
	}
	created += n
	if opts.History {
		n, err := history(app, portal, out, opts.HistoryShare)
		if err != nil {
			return fmt.Errorf("the demo history: %w", err)
		}
		created += n
	}
	if created == 0 {
		fmt.Fprintln(out, "Demo data already present; nothing changed.")
	} else {
		fmt.Fprintf(out, "Demo data added (%d records).\n", created)
	}
	return nil
}

// ensureRecords creates the rows whose fixed id does not exist yet.
func ensureRecords(app core.App, collection string, rows []m) (int, error) {
	col, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		return 0, err
	}
	created := 0
	for _, row := range rows {
		id := row["id"].(string)
		if _, err := app.FindRecordById(col, id); err == nil {
			continue
		}
		r := core.NewRecord(col)
		r.Id = id
		for k, v := range row {
			if k != "id" && k != "email" {
				r.Set(k, v)
			}
		}
		if col.IsAuth() {
			r.SetEmail(row["email"].(string))
			r.SetPassword(Password)
			r.SetVerified(true)
			if collection == "staff" {
				r.Set("active", true)
			}
		}
		if err := app.Save(r); err != nil {
			return created, fmt.Errorf("%s: %w", id, err)
		}
		created++
	}
	return created, nil
}

// ensureAdmin creates the demo administrator unless it exists.
func ensureAdmin(app core.App) (int, error) {
	if _, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, adminEmail); err == nil {
		return 0, nil
	}
	col, err := app.FindCollectionByNameOrId(core.CollectionNameSuperusers)
	if err != nil {
		return 0, err
	}
	r := core.NewRecord(col)
	r.SetEmail(adminEmail)
	r.SetPassword(Password)
	if err := app.Save(r); err != nil {
		return 0, errors.New("superuser: " + err.Error())
	}
	return 1, nil
}

// nameTheTown gives a new installation's settings the demo county's name and
// office, unless an administrator already changed them.
func nameTheTown(app core.App) error {
	s, err := app.FindFirstRecordByFilter("town_settings", "")
	if err != nil || s.GetString("town_name") != "Townhall" {
		return err
	}
	s.Set("town_name", "Pine County")
	s.Set("office_email", "office@pinecounty.example")
	s.Set("office_phone", "(555) 010-1000")
	s.Set("office_address", "County Building, 1 Court Square, Pine Falls")
	s.Set("holidays", []string{"2026-11-26", "2026-11-27", "2026-12-25", "2027-01-01"})
	return app.Save(s)
}
