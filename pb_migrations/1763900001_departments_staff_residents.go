package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Departments, the staff auth collection and the resident fields on users.
func init() {
	m.Register(func(app core.App) error {
		departments := core.NewBaseCollection("departments")
		departments.ListRule = rule("")
		departments.ViewRule = rule("")
		departments.Fields.Add(
			&core.TextField{Name: "code", Required: true, Max: 8, Pattern: `^[A-Z]{2,8}$`, Presentable: true,
				Help: "Short upper-case code, e.g. BLD"},
			&core.TextField{Name: "name", Required: true, Max: 120, Presentable: true},
			&core.TextField{Name: "name_es", Max: 120},
			&core.TextField{Name: "description", Max: 2000},
			&core.TextField{Name: "description_es", Max: 2000},
			&core.EmailField{Name: "public_email", Help: "Shown to residents as the department's contact"},
			&core.TextField{Name: "public_phone", Max: 40},
			&core.EmailField{Name: "notify_email", Hidden: true,
				Help: "Where new work for this department is announced (not shown to the public)"},
			&core.BoolField{Name: "active"},
		)
		autodates(departments)
		departments.AddIndex("idx_departments_code", true, "code", "")
		if err := app.Save(departments); err != nil {
			return err
		}

		staff := core.NewAuthCollection("staff")
		staff.ListRule = rule(isStaff)
		staff.ViewRule = rule(isStaff)
		staff.CreateRule = nil
		staff.UpdateRule = rule("id = @request.auth.id && @request.body.role:isset = false && " +
			"@request.body.department:isset = false && @request.body.active:isset = false && @request.body.verified:isset = false")
		staff.DeleteRule = nil
		staff.AuthRule = rule("active = true")
		staff.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 120, Presentable: true},
			&core.SelectField{Name: "role", Required: true, MaxSelect: 1, Values: []string{"clerk", "supervisor", "director"}},
			relation("department", departments.Id, false, false),
			&core.BoolField{Name: "active"},
		)
		autodates(staff)
		if pw, ok := staff.Fields.GetByName("password").(*core.PasswordField); ok {
			pw.Min = 10
		}
		staff.AddIndex("idx_staff_department", false, "department, role", "")
		if err := app.Save(staff); err != nil {
			return err
		}

		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("avatar")
		users.Fields.Add(
			&core.TextField{Name: "phone", Max: 40},
			&core.TextField{Name: "address", Max: 300},
			&core.SelectField{Name: "language", MaxSelect: 1, Values: []string{"en", "es"}},
		)
		if pw, ok := users.Fields.GetByName("password").(*core.PasswordField); ok {
			pw.Min = 10
		}
		users.ListRule = rule("id = @request.auth.id || " + isStaff)
		users.ViewRule = rule("id = @request.auth.id || " + isStaff)
		return app.Save(users)
	}, func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.Fields.RemoveByName("phone")
		users.Fields.RemoveByName("address")
		users.Fields.RemoveByName("language")
		users.Fields.Add(&core.FileField{Name: "avatar", MaxSelect: 1,
			MimeTypes: []string{"image/jpeg", "image/png", "image/svg+xml", "image/gif", "image/webp"}})
		if pw, ok := users.Fields.GetByName("password").(*core.PasswordField); ok {
			pw.Min = 8
		}
		users.ListRule = rule("id = @request.auth.id")
		users.ViewRule = rule("id = @request.auth.id")
		if err := app.Save(users); err != nil {
			return err
		}
		return deleteCollections(app, "staff", "departments")
	})
}
