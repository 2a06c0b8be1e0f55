package demo

import (
	"bytes"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"github.com/townhall-portal/townhall/hooks"
)

// step is one action in a demo request's history.
type step struct {
	action  string
	by      string // "owner" or a staff id
	comment string
}

// demoPermit is a demo application and the actions that bring it to its state.
type demoPermit struct {
	id, owner, permitType, address string
	data                           m
	documents                      []string // required-document keys to upload
	steps                          []step
	payment                        float64
}

var permits = []demoPermit{
	{id: "demopermit00001", owner: "demoresident002", permitType: "demotypefnc0001", address: "42 Lakeview Drive, Pine Falls",
		data: m{"height_feet": 6, "material": "wood"}},
	{id: "demopermit00002", owner: "demoresident001", permitType: "demotypebld0001", address: "118 Oak Street, Pine Falls",
		data: m{"work_type": "addition", "project_description": "Add a 12 by 16 foot bedroom at the back of the house.",
			"valuation": 38000, "owner_occupied": true, "start_date": "2027-03-01"},
		documents: []string{"site_plan", "construction_drawings"},
		steps:     []step{{action: "submit", by: "owner"}}},
	{id: "demopermit00003", owner: "demoresident002", permitType: "demotypefnc0001", address: "42 Lakeview Drive, Pine Falls",
		data:      m{"height_feet": 4, "length_feet": 120, "material": "vinyl", "corner_lot": false},
		documents: []string{"site_plan"}, payment: 25,
		steps: []step{{action: "submit", by: "owner"}, {action: "start_review", by: "demostaffclk001"},
			{action: "approve", by: "demostaffclk001"}, {action: "issue", by: "demostaffclk001"}}},
	{id: "demopermit00004", owner: "demoresident001", permitType: "demotypesgn0001", address: "9 Main Street, Pine Falls",
		data:      m{"business_name": "Panadería García", "sign_type": "wall", "area_sqft": 24},
		documents: []string{"sign_drawing"},
		steps: []step{{action: "submit", by: "owner"}, {action: "start_review", by: "demostaffclk001"},
			{action: "request_changes", by: "demostaffclk001", comment: "Please add the height of the sign above the sidewalk to the drawing."}}},
	{id: "demopermit00005", owner: "demoresident002", permitType: "demotypeevt0001", address: "Pine Falls town square",
		data: m{"event_name": "Lakeview summer block party", "event_date": "2027-07-10", "attendance": 150,
			"street_closure": true, "organizer_email": "john@example.com", "location": "Lakeview Drive between 1st and 3rd"},
		documents: []string{"site_map", "insurance"},
		steps:     []step{{action: "submit", by: "owner"}, {action: "start_review", by: "demostaffdir001"}}},
}

// demoComplaint is a demo problem report and the actions that bring it to its state.
type demoComplaint struct {
	id, reporter, createdBy, category, address, description string
	caller                                                  m
	steps                                                   []step
}

var complaints = []demoComplaint{
	{id: "democomplain001", reporter: "demoresident001", category: "democatpothole1", address: "Oak Street at 2nd Avenue",
		description: "Deep pothole in the eastbound lane, cars swerve around it."},
	{id: "democomplain002", reporter: "demoresident002", category: "democatlight001", address: "Lakeview Drive near the boat ramp",
		description: "Street light has been out for a week.",
		steps:       []step{{action: "acknowledge", by: "demostaffwrk001"}}},
	{id: "democomplain003", reporter: "demoresident002", category: "democatgraffit1", address: "Pine Falls library, north wall",
		description: "Spray paint on the library wall.",
		steps: []step{{action: "acknowledge", by: "demostaffwrk001"}, {action: "start", by: "demostaffwrk001"},
			{action: "resolve", by: "demostaffwrk001", comment: "Painted over on Tuesday. Thank you for telling us."}}},
	{id: "democomplain004", createdBy: "demostaffwrk001", category: "democatnoise001", address: "Corner of Elm and 5th",
		description: "Generator running all night behind the warehouse.",
		caller:      m{"caller_name": "Walter Briggs", "caller_phone": "(555) 013-4410", "source": "phone"},
		steps:       []step{{action: "start", by: "demostaffdir001"}}},
}

// ensureRequests adds the demo applications and reports that are missing,
// each through the same actions residents and staff take, in one transaction.
func ensureRequests(app core.App, portal *hooks.Portal) (int, error) {
	created := 0
	for _, dp := range permits {
		if _, err := app.FindRecordById("permits", dp.id); err == nil {
			continue
		}
		err := app.RunInTransaction(func(tx core.App) error {
			return seedPermit(tx, portal.WithApp(tx), dp)
		})
		if err != nil {
			return created, fmt.Errorf("permit %s: %w", dp.id, err)
		}
		created++
	}
	for _, dc := range complaints {
		if _, err := app.FindRecordById("complaints", dc.id); err == nil {
			continue
		}
		err := app.RunInTransaction(func(tx core.App) error {
			return seedComplaint(tx, portal.WithApp(tx), dc)
		})
		if err != nil {
			return created, fmt.Errorf("complaint %s: %w", dc.id, err)
		}
		created++
	}
	return created, nil
}

func seedPermit(tx core.App, portal *hooks.Portal, dp demoPermit) error {
	col, err := tx.FindCollectionByNameOrId("permits")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Id = dp.id
	r.Set("owner", dp.owner)
	r.Set("permit_type", dp.permitType)
	r.Set("site_address", dp.address)
	r.Set("data", dp.data)
	if err := tx.Save(r); err != nil {
		return err
	}
	docs, err := tx.FindCollectionByNameOrId("documents")
	if err != nil {
		return err
	}
	for _, kind := range dp.documents {
		f, err := filesystem.NewFileFromBytes(samplePDF(kind), kind+".pdf")
		if err != nil {
			return err
		}
		d := core.NewRecord(docs)
		d.Set("permit", dp.id)
		d.Set("owner", dp.owner)
		d.Set("kind", kind)
		d.Set("original_name", kind+".pdf")
		d.Set("file", f)
		if err := tx.Save(d); err != nil {
			return fmt.Errorf("document %s: %w", kind, err)
		}
	}
	for _, s := range dp.steps {
		if s.action == "issue" && dp.payment > 0 {
			clerk, err := actor(tx, "demostaffclk001", "")
			if err != nil {
				return err
			}
			if _, err := portal.RecordPayment(dp.id, clerk, dp.payment, "cash", "R-1042"); err != nil {
				return fmt.Errorf("payment: %w", err)
			}
		}
		a, err := actor(tx, s.by, dp.owner)
		if err != nil {
			return err
		}
		if _, err := portal.Permit(dp.id, s.action, a, s.comment); err != nil {
			return fmt.Errorf("%s: %w", s.action, err)
		}
	}
	return nil
}

func seedComplaint(tx core.App, portal *hooks.Portal, dc demoComplaint) error {
	col, err := tx.FindCollectionByNameOrId("complaints")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Id = dc.id
	r.Set("reporter", dc.reporter)
	r.Set("created_by", dc.createdBy)
	r.Set("category", dc.category)
	r.Set("address", dc.address)
	r.Set("description", dc.description)
	for k, v := range dc.caller {
		r.Set(k, v)
	}
	if err := tx.Save(r); err != nil {
		return err
	}
	for _, s := range dc.steps {
		a, err := actor(tx, s.by, dc.reporter)
		if err != nil {
			return err
		}
		if _, err := portal.Complaint(dc.id, s.action, a, s.comment); err != nil {
			return fmt.Errorf("%s: %w", s.action, err)
		}
	}
	return nil
}

// actor returns the resident owner ("owner") or the staff member by id.
func actor(tx core.App, by, owner string) (hooks.Actor, error) {
	if by == "owner" {
		u, err := tx.FindRecordById("users", owner)
		if err != nil {
			return hooks.Actor{}, err
		}
		return hooks.ResidentActor(u), nil
	}
	s, err := tx.FindRecordById("staff", by)
	if err != nil {
		return hooks.Actor{}, err
	}
	return hooks.StaffActor(s), nil
}

// samplePDF is a small, valid one-page PDF standing in for a resident's upload.
func samplePDF(title string) []byte {
	var b bytes.Buffer
	offsets := []int{}
	b.WriteString("%PDF-1.4\n")
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	content := fmt.Sprintf("BT /F1 18 Tf 72 720 Td (Demo document: %s) Tj ET", title)
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}
