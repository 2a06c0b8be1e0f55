package demo

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

var permits = []m{
	{"id": "demopermit00001", "owner": "demoresident002", "permit_type": "demotypefnc0001", "status": "draft",
		"site_address": "42 Lakeview Drive, Pine Falls",
		"data":         m{"height_feet": 6, "material": "wood"}},
	{"id": "demopermit00002", "owner": "demoresident001", "permit_type": "demotypebld0001", "status": "submitted",
		"site_address": "118 Oak Street, Pine Falls",
		"data": m{"work_type": "addition", "project_description": "Add a 12 by 16 foot bedroom at the back of the house.",
			"valuation": 38000, "owner_occupied": true, "start_date": "2027-03-01"}},
	{"id": "demopermit00003", "owner": "demoresident002", "permit_type": "demotypefnc0001", "status": "issued",
		"site_address": "42 Lakeview Drive, Pine Falls", "number": "FNC-2026-00001",
		"data": m{"height_feet": 4, "length_feet": 120, "material": "vinyl", "corner_lot": false}},
	{"id": "demopermit00004", "owner": "demoresident001", "permit_type": "demotypesgn0001", "status": "changes_requested",
		"site_address": "9 Main Street, Pine Falls",
		"data":         m{"business_name": "Panadería García", "sign_type": "wall", "area_sqft": 24}},
}

var complaints = []m{
	{"id": "democomplain001", "reporter": "demoresident001", "category": "democatpothole1", "status": "new",
		"reference": "SR-2026-00001", "address": "Oak Street at 2nd Avenue",
		"description": "Deep pothole in the eastbound lane, cars swerve around it."},
	{"id": "democomplain002", "reporter": "demoresident002", "category": "democatlight001", "status": "acknowledged",
		"reference": "SR-2026-00002", "address": "Lakeview Drive near the boat ramp",
		"description": "Street light has been out for a week."},
	{"id": "democomplain003", "reporter": "demoresident002", "category": "democatgraffit1", "status": "resolved",
		"reference": "SR-2026-00003", "address": "Pine Falls library, north wall",
		"description": "Spray paint on the library wall.", "resolution_note": "Painted over on Tuesday."},
	{"id": "democomplain004", "category": "democatnoise001", "status": "in_progress", "source": "phone",
		"reference": "SR-2026-00004", "caller_name": "Walter Briggs", "caller_phone": "(555) 013-4410",
		"address": "Corner of Elm and 5th", "description": "Generator running all night behind the warehouse."},
}

// ensureRequests adds the demo permits and problem reports.
func ensureRequests(app core.App) (int, error) {
	n1, err := ensureRecords(app, "permits", permits)
	if err != nil {
		return n1, fmt.Errorf("permits: %w", err)
	}
	n2, err := ensureRecords(app, "complaints", complaints)
	if err != nil {
		return n1 + n2, fmt.Errorf("complaints: %w", err)
	}
	return n1 + n2, nil
}
