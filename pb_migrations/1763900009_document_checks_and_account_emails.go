package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Uploads: any signed-in user may try; the server checks the parent, its
// state and the file with a reason a resident can act on (a rule could only
// answer "Failed to create record").
//
// Account emails (verification, password reset, email change) link to the
// resident site and the staff console instead of the dashboard, in English
// and Spanish.
func init() {
	const oldDocsRule = "(@request.auth.collectionName = 'users' && owner = @request.auth.id && (" +
		"(permit.owner = @request.auth.id && (permit.status = 'draft' || permit.status = 'changes_requested')) || " +
		"(complaint.reporter = @request.auth.id && complaint.status = 'new'))) || " +
		"(@request.auth.collectionName = 'staff' && (@request.auth.role = 'director' || permit.department = @request.auth.department || " +
		"complaint.department = @request.auth.department))"

	m.Register(func(app core.App) error {
		docs, err := app.FindCollectionByNameOrId("documents")
		if err != nil {
			return err
		}
		docs.CreateRule = rule("@request.auth.id != ''")
		if err := app.Save(docs); err != nil {
			return err
		}

		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		users.VerificationTemplate = core.EmailTemplate{
			Subject: "Confirm your email for {APP_NAME} / Confirme su correo",
			Body: accountEmail("Please confirm your email address so you can apply for permits and report problems.",
				"Confirme su correo electrónico para poder solicitar permisos y reportar problemas.",
				"{APP_URL}/verify-email.html?token={TOKEN}", "Confirm my email / Confirmar mi correo"),
		}
		users.ResetPasswordTemplate = core.EmailTemplate{
			Subject: "Reset your {APP_NAME} password / Restablecer su contraseña",
			Body: accountEmail("Someone asked to reset your password. If it was you, choose a new one here.",
				"Alguien pidió restablecer su contraseña. Si fue usted, elija una nueva aquí.",
				"{APP_URL}/reset-password.html?token={TOKEN}", "Choose a new password / Elegir una nueva contraseña"),
		}
		users.ConfirmEmailChangeTemplate = core.EmailTemplate{
			Subject: "Confirm your new email for {APP_NAME} / Confirme su nuevo correo",
			Body: accountEmail("Please confirm your new email address.", "Confirme su nueva dirección de correo.",
				"{APP_URL}/confirm-email.html?token={TOKEN}", "Confirm / Confirmar"),
		}
		if err := app.Save(users); err != nil {
			return err
		}

		staff, err := app.FindCollectionByNameOrId("staff")
		if err != nil {
			return err
		}
		staff.ResetPasswordTemplate = core.EmailTemplate{
			Subject: "Reset your {APP_NAME} staff password",
			Body: accountEmail("Someone asked to reset your staff password. If it was you, choose a new one here.", "",
				"{APP_URL}/staff/reset-password.html?token={TOKEN}", "Choose a new password"),
		}
		return app.Save(staff)
	}, func(app core.App) error {
		docs, err := app.FindCollectionByNameOrId("documents")
		if err != nil {
			return err
		}
		docs.CreateRule = rule(oldDocsRule)
		return app.Save(docs)
	})
}

// accountEmail is the HTML body of an account email in English and Spanish.
func accountEmail(en, es, link, button string) string {
	body := "<p>Hello,</p>\n<p>" + en + "</p>\n"
	if es != "" {
		body += "<p lang=\"es\">Hola: " + es + "</p>\n"
	}
	body += "<p><a class=\"btn\" href=\"" + link + "\">" + button + "</a></p>\n" +
		"<p>" + link + "</p>\n" +
		"<p><i>If you did not ask for this, ignore this email. / Si no lo pidió, ignore este correo.</i></p>\n" +
		"<p>{APP_NAME}</p>"
	return body
}
