package hooks

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/townhall-portal/townhall/internal/addresses"
)

// AddressImport is what an import of address points did.
type AddressImport struct {
	Loaded, Updated, Unchanged int
	Refused                    []addresses.Refusal
}

// importBatch is how many rows one transaction of the import writes: a
// fault loses at most the batch it happened in, never what came before.
const importBatch = 1000

// ImportAddresses writes parsed address rows: a new address is loaded, one
// already there (the same number, street, unit and ZIP) is updated when it
// changed, a row repeating an earlier line of the same file, or whose point
// is outside the county's boundary (where no report can be filed), is refused.
// Rows are written in transactions of importBatch; on a fault, the batches
// written before stay and the error says from which line nothing was saved.
func (p *Portal) ImportAddresses(rows []addresses.Row) (AddressImport, error) {
	var res AddressImport
	col, err := p.app.FindCollectionByNameOrId("addresses")
	if err != nil {
		return res, err
	}
	c := p.county(p.app)
	firstLine := map[string]int{}
	for start := 0; start < len(rows); start += importBatch {
		batch := rows[start:min(start+importBatch, len(rows))]
		var done AddressImport
		err := p.app.RunInTransaction(func(tx core.App) error {
			done = AddressImport{}
			for _, row := range batch {
				a := row.Address
				if !c.inside(a.Lat, a.Lon) {
					done.Refused = append(done.Refused, addresses.Refusal{Line: row.Line,
						Reason: fmt.Sprintf("the point %.6f, %.6f is outside the county's boundary (town_settings)", a.Lat, a.Lon)})
					continue
				}
				key := a.Key()
				if first, ok := firstLine[key]; ok && first != row.Line {
					done.Refused = append(done.Refused, addresses.Refusal{Line: row.Line, Reason: fmt.Sprintf("repeats line %d (the first is kept)", first)})
					continue
				}
				var id string
				err := tx.DB().Select("id").From("addresses").Where(dbx.HashExp{"address_key": key}).Limit(1).Row(&id)
				var r *core.Record
				switch {
				case errors.Is(err, sql.ErrNoRows):
					r = core.NewRecord(col)
				case err != nil:
					return err
				default:
					if r, err = tx.FindRecordById(col, id); err != nil {
						return err
					}
				}
				isNew := r.IsNew()
				if !isNew && addressOf(r) == a {
					firstLine[key] = row.Line
					done.Unchanged++
					continue
				}
				r.Load(map[string]any{"number": a.Number, "street": a.Street, "unit": a.Unit, "city": a.City, "zip": a.Zip,
					"lat": a.Lat, "lon": a.Lon, "parcel": a.Parcel})
				if err := tx.Save(r); err != nil {
					if reason, refused := refusalOf(err); refused {
						done.Refused = append(done.Refused, addresses.Refusal{Line: row.Line, Reason: reason})
						continue
					}
					return err
				}
				firstLine[key] = row.Line
				if isNew {
					done.Loaded++
				} else {
					done.Updated++
				}
			}
			return nil
		})
		if err != nil {
			return res, fmt.Errorf("saving the addresses from line %d on failed (%w); the lines before are saved: import the file again to finish", batch[0].Line, err)
		}
		res.Loaded += done.Loaded
		res.Updated += done.Updated
		res.Unchanged += done.Unchanged
		res.Refused = append(res.Refused, done.Refused...)
	}
	return res, nil
}

// refusalOf tells a save's refusal (a field that failed validation) from a
// fault, and words the refusal.
func refusalOf(err error) (string, bool) {
	var fields validation.Errors
	if errors.As(err, &fields) {
		return fields.Error(), true
	}
	var api *router.ApiError
	if errors.As(err, &api) && api.Status == 400 {
		return api.Message, true
	}
	return "", false
}
