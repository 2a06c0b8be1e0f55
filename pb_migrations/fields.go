// Package pb_migrations holds Townhall's schema as Go migrations, one file per
// change, applied in file-name order. A migration that has landed is never
// edited: a later change is a new file.
//
// The small constructors below only shorten field declarations; their
// behaviour is frozen because landed migrations depend on it.
package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Rule owners used in several collections' API rules.
const (
	isResident = "@request.auth.collectionName = 'users'"
	isStaff    = "@request.auth.collectionName = 'staff'"
	isDirector = "(@request.auth.collectionName = 'staff' && @request.auth.role = 'director')"
)

// staffOf returns a rule matching staff of the department in field (directors: all).
func staffOf(field string) string {
	return "(" + isStaff + " && (@request.auth.role = 'director' || " + field + " = @request.auth.department))"
}

func rule(s string) *string { return types.Pointer(s) }

func autodates(c *core.Collection) {
	c.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
	c.Fields.Add(&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true})
}

func num(min, max float64) (*float64, *float64) { return &min, &max }

func intField(name string, min, max float64, required bool) *core.NumberField {
	lo, hi := num(min, max)
	return &core.NumberField{Name: name, Min: lo, Max: hi, OnlyInt: true, Required: required}
}

func relation(name, collectionID string, required, cascade bool) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionID, MaxSelect: 1, Required: required, CascadeDelete: cascade}
}

func mustID(app core.App, name string) (string, error) {
	c, err := app.FindCollectionByNameOrId(name)
	if err != nil {
		return "", err
	}
	return c.Id, nil
}

func deleteCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue
		}
		if err := app.Delete(c); err != nil {
			return err
		}
	}
	return nil
}

func ptr(v float64) *float64 { return &v }
