package i18n

import "strings"

// Fill returns the message key in the language with {name} placeholders
// replaced from vars. Unknown placeholders are left empty.
func (l Lang) Fill(key string, vars map[string]string) string {
	s := l.T(key)
	var pairs []string
	for k, v := range vars {
		pairs = append(pairs, "{"+k+"}", v)
	}
	s = strings.NewReplacer(pairs...).Replace(s)
	// drop placeholders nobody filled
	for {
		i := strings.Index(s, "{")
		j := strings.Index(s, "}")
		if i < 0 || j < i || j-i > 20 || strings.ContainsAny(s[i+1:j], " \n") {
			break
		}
		s = s[:i] + s[j+1:]
	}
	return s
}

// mailMessages are the emails residents and staff receive. Placeholders:
// {type} {address} {department} {comment} {link} {number} {expires} {amount}
// {method} {reference} {actor} {title} {applicant} {reference_no} {category}.
var mailMessages = map[string]text{
	"mail.greeting": {"Hello,", "Hola:"},
	"mail.signoff":  {"— {town}\nThis message was sent automatically; replies are not read.", "— {town}\nEste mensaje se envió automáticamente; las respuestas no se leen."},

	"mail.permit.submit.subject": {"We received your application {reference_no}: {type}", "Recibimos su solicitud {reference_no}: {type}"},
	"mail.permit.submit.body": {"Thank you. We received your {type} application for {address}. Its reference is {reference_no}: please quote it if you call or write. We will review it and email you whenever it moves.\n\nFollow it here: {link}",
		"Gracias. Recibimos su solicitud de {type} para {address}. Su referencia es {reference_no}: indíquela si llama o escribe. La revisaremos y le escribiremos cada vez que avance.\n\nSígala aquí: {link}"},
	"mail.permit.start_review.subject": {"Your application {reference_no} is in review: {type}", "Su solicitud {reference_no} está en revisión: {type}"},
	"mail.permit.start_review.body": {"{department} started reviewing your {type} application for {address}.\n\nFollow it here: {link}",
		"{department} empezó a revisar su solicitud de {type} para {address}.\n\nSígala aquí: {link}"},
	"mail.permit.request_changes.subject": {"Changes needed on your application {reference_no}: {type}", "Se necesitan cambios en su solicitud {reference_no}: {type}"},
	"mail.permit.request_changes.body": {"We need a few changes before we can continue with your {type} application for {address}:\n\n{comment}\n\nPlease update it and submit it again: {link}",
		"Necesitamos algunos cambios antes de seguir con su solicitud de {type} para {address}:\n\n{comment}\n\nActualícela y envíela de nuevo: {link}"},
	"mail.permit.approve.subject": {"Your application {reference_no} was approved: {type}", "Su solicitud {reference_no} fue aprobada: {type}"},
	"mail.permit.approve.body": {"Good news: your {type} application for {address} was approved. We will email you again when the permit is issued.\n\n{link}",
		"Buenas noticias: su solicitud de {type} para {address} fue aprobada. Le escribiremos de nuevo cuando se emita el permiso.\n\n{link}"},
	"mail.permit.deny.subject": {"Decision on your application {reference_no}: {type}", "Decisión sobre su solicitud {reference_no}: {type}"},
	"mail.permit.deny.body": {"We are sorry: your {type} application for {address} was denied.\n\nThe reason:\n{comment}\n\nIf you have questions, contact {department}.\n\n{link}{rate}",
		"Lo sentimos: su solicitud de {type} para {address} fue denegada.\n\nEl motivo:\n{comment}\n\nSi tiene preguntas, comuníquese con {department}.\n\n{link}{rate}"},
	"mail.permit.issue.subject": {"Your permit {number} is issued", "Su permiso {number} fue emitido"},
	"mail.permit.issue.body": {"Your {type} permit {number} for {address} is issued and valid until {expires}.\n\nPrint the certificate here: {link}{rate}",
		"Su permiso de {type} {number} para {address} fue emitido y es válido hasta el {expires}.\n\nImprima el certificado aquí: {link}{rate}"},
	"mail.permit.expire.subject": {"Your permit {number} has expired", "Su permiso {number} venció"},
	"mail.permit.expire.body": {"Your {type} permit {number} for {address} expired on {expires}. If the work is not finished, please apply again.\n\n{link}",
		"Su permiso de {type} {number} para {address} venció el {expires}. Si la obra no ha terminado, solicite uno nuevo.\n\n{link}"},
	"mail.permit.withdraw.subject": {"Your application was withdrawn: {type}", "Su solicitud fue retirada: {type}"},
	"mail.permit.withdraw.body": {"Your {type} application for {address} was withdrawn. Nothing more will happen with it.\n\n{link}",
		"Su solicitud de {type} para {address} fue retirada. No se hará nada más con ella.\n\n{link}"},
	"mail.permit.reminder.subject": {"Your permit {number} expires on {expires}", "Su permiso {number} vence el {expires}"},
	"mail.permit.reminder.body": {"Your {type} permit {number} for {address} expires on {expires}. If the work will not be finished by then, contact {department} or apply again.\n\n{link}",
		"Su permiso de {type} {number} para {address} vence el {expires}. Si la obra no terminará para entonces, comuníquese con {department} o solicite uno nuevo.\n\n{link}"},
	"mail.permit.payment.subject": {"Payment received for {reference_no}: {type}", "Pago recibido por {reference_no}: {type}"},
	"mail.permit.payment.body": {"We recorded your payment of {amount} ({method}) for your {type} application for {address}. Receipt reference: {reference}.\n\n{link}",
		"Registramos su pago de {amount} ({method}) por su solicitud de {type} para {address}. Referencia del recibo: {reference}.\n\n{link}"},
	"mail.permit.new.subject": {"New application {reference_no}: {type} at {address}", "Nueva solicitud {reference_no}: {type} en {address}"},
	"mail.permit.new.body": {"{applicant} submitted a {type} application for {address}.\n\nReview it in the staff console: {link}",
		"{applicant} envió una solicitud de {type} para {address}.\n\nRevísela en la consola del personal: {link}"},

	"mail.account_deleted.subject": {"Your account is deleted", "Su cuenta fue eliminada"},
	"mail.account_deleted.body": {"As you asked, your account is deleted. Your drafts and the documents you uploaded are gone; open applications were withdrawn. The requests you submitted stay as public records without your name, contact details or the address you gave. This is the last email you will get from us.",
		"Como pidió, su cuenta fue eliminada. Sus borradores y los documentos que subió se borraron; las solicitudes abiertas se retiraron. Las solicitudes y reportes que envió quedan como registros públicos sin su nombre, sus datos de contacto ni la dirección que dio. Este es el último correo que recibirá de nosotros."},

	"mail.comment.subject":       {"New message about your {noun}: {title}", "Nuevo mensaje sobre su {noun}: {title}"},
	"mail.comment.body":          {"{actor} wrote:\n\n{comment}\n\n{link}", "{actor} escribió:\n\n{comment}\n\n{link}"},
	"mail.comment_staff.subject": {"Resident comment: {title}", "Comentario del residente: {title}"},
	"mail.comment_staff.body":    {"{actor} wrote about {title}:\n\n{comment}\n\n{link}", "{actor} escribió sobre {title}:\n\n{comment}\n\n{link}"},
	"mail.assigned.subject":      {"Assigned to you: {title}", "Asignado a usted: {title}"},
	"mail.assigned.body":         {"{title} was assigned to you.\n\n{link}", "{title} le fue asignado.\n\n{link}"},
}

var complaintMail = map[string]text{
	"mail.complaint.new.subject": {"New report {reference_no}: {category}", "Nuevo reporte {reference_no}: {category}"},
	"mail.complaint.new.body": {"A new {category} report {reference_no} at {address}:\n\n{description}\n\nIt must be resolved by {due}. Open it: {link}",
		"Un nuevo reporte de {category} {reference_no} en {address}:\n\n{description}\n\nDebe resolverse antes del {due}. Ábralo: {link}"},
	"mail.complaint.received.subject": {"We received your report {reference_no}", "Recibimos su reporte {reference_no}"},
	"mail.complaint.received.body": {"Thank you for reporting a {category} problem at {address}. Your reference is {reference_no}. {department} will look at it and we will email you when it moves.\n\nFollow it here: {link}",
		"Gracias por reportar un problema de {category} en {address}. Su referencia es {reference_no}. {department} lo revisará y le escribiremos cuando avance.\n\nSígalo aquí: {link}"},
	"mail.complaint.acknowledge.subject": {"We are on it: {reference_no}", "Estamos en ello: {reference_no}"},
	"mail.complaint.acknowledge.body": {"{department} has looked at your report {reference_no} ({category} at {address}) and put it in its work queue.\n\n{link}",
		"{department} revisó su reporte {reference_no} ({category} en {address}) y lo puso en su cola de trabajo.\n\n{link}"},
	"mail.complaint.resolve.subject": {"Resolved: {reference_no}", "Resuelto: {reference_no}"},
	"mail.complaint.resolve.body": {"Your report {reference_no} ({category} at {address}) is resolved:\n\n{comment}\n\nIf the problem is still there, you can reopen the report from this page for a few days: {link}\n\nPlease tell us how we did on the same page.{rate}",
		"Su reporte {reference_no} ({category} en {address}) está resuelto:\n\n{comment}\n\nSi el problema sigue, puede reabrir el reporte desde esta página durante unos días: {link}\n\nCuéntenos cómo lo hicimos en la misma página.{rate}"},
	"mail.complaint.reject.subject": {"About your report {reference_no}", "Sobre su reporte {reference_no}"},
	"mail.complaint.reject.body": {"We could not take up your report {reference_no} ({category} at {address}):\n\n{comment}\n\n{link}",
		"No pudimos atender su reporte {reference_no} ({category} en {address}):\n\n{comment}\n\n{link}"},
	"mail.complaint.mark_duplicate.subject": {"Your report {reference_no} joins {primary}", "Su reporte {reference_no} se une a {primary}"},
	"mail.complaint.mark_duplicate.body": {"Someone already reported the same problem as {primary}. We closed {reference_no} and you now follow {primary}: you will get its updates.\n\n{link}",
		"Alguien ya reportó el mismo problema como {primary}. Cerramos {reference_no} y ahora usted sigue {primary}: recibirá sus novedades.\n\n{link}"},
	"mail.complaint.reopen.subject": {"Reopened: {reference_no}", "Reabierto: {reference_no}"},
	"mail.complaint.reopen.body": {"Your report {reference_no} is open again and back in {department}'s queue. New target date: {due}.\n\n{link}",
		"Su reporte {reference_no} está abierto de nuevo y vuelve a la cola de {department}. Nueva fecha objetivo: {due}.\n\n{link}"},
	"mail.complaint.close.subject": {"Closed: {reference_no}", "Cerrado: {reference_no}"},
	"mail.complaint.close.body": {"Your report {reference_no} is closed. Thank you for helping keep the county in good shape.\n\n{link}{rate}",
		"Su reporte {reference_no} está cerrado. Gracias por ayudar a mantener el condado en buen estado.\n\n{link}{rate}"},
	"mail.complaint.escalated.subject": {"Overdue (level {level}): {reference_no} {category}", "Atrasado (nivel {level}): {reference_no} {category}"},
	"mail.complaint.escalated.body": {"Report {reference_no} ({category} at {address}) missed its {reason} deadline of {deadline} and is escalated to level {level}.\n\nOpen it: {link}",
		"El reporte {reference_no} ({category} en {address}) no cumplió su plazo de {reason} del {deadline} y se escala al nivel {level}.\n\nÁbralo: {link}"},
}

// accountMessages are the emails and refusals about accounts.
var accountMessages = map[string]text{
	"mail.test.subject": {"A test message from {town}", "Un mensaje de prueba de {town}"},
	"mail.test.body":    {"This message was sent by `townhall check --send-test`. If you can read it, residents and staff will receive their emails.", "Este mensaje lo envió `townhall check --send-test`. Si puede leerlo, los residentes y el personal recibirán sus correos."},

	"mail.account.exists.subject": {"Someone tried to register with your email address", "Alguien intentó registrarse con su correo"},
	"mail.account.exists.body": {"Someone just tried to create a {town} account with this email address, but you already have one. If it was you, sign in here: {link}\n\nForgot your password? Choose a new one here: {reset}\n\nIf it wasn't you, you don't need to do anything: your account has not changed.",
		"Alguien acaba de intentar crear una cuenta de {town} con este correo, pero usted ya tiene una. Si fue usted, inicie sesión aquí: {link}\n\n¿Olvidó su contraseña? Elija una nueva aquí: {reset}\n\nSi no fue usted, no necesita hacer nada: su cuenta no ha cambiado."},
	"mail.account.move_refused.subject": {"Someone tried to move an account to your email address", "Alguien intentó pasar una cuenta a su correo"},
	"mail.account.move_refused.body": {"Someone asked to change the email address of another {town} account to this address. This address already has an account, so nothing was changed.\n\nIf you have questions, contact the office.",
		"Alguien pidió cambiar el correo de otra cuenta de {town} a esta dirección. Esta dirección ya tiene una cuenta, así que no se cambió nada.\n\nSi tiene preguntas, comuníquese con la oficina."},
	"mail.account.inactive.subject": {"Your {town} staff account is switched off", "Su cuenta de personal de {town} está desactivada"},
	"mail.account.inactive.body": {"Someone signed in with the right password to your staff account, but the account is switched off, so the sign-in was refused. If it was you, ask the portal's administrator to switch it back on. If it wasn't you, tell the administrator and change your password once the account is back.",
		"Alguien inició sesión con la contraseña correcta de su cuenta de personal, pero la cuenta está desactivada, así que se rechazó. Si fue usted, pida al administrador del portal que la vuelva a activar. Si no fue usted, avise al administrador y cambie su contraseña cuando la cuenta vuelva a estar activa."},

	"password.short":   {"Use at least 10 characters. Three or four unrelated words are easy to remember and hard to guess.", "Use al menos 10 caracteres. Tres o cuatro palabras sin relación son fáciles de recordar y difíciles de adivinar."},
	"password.context": {"Choose a password that doesn't use your name, your email address or the county's name: those are the first things someone would try.", "Elija una contraseña que no use su nombre, su correo ni el nombre del condado: es lo primero que alguien probaría."},
	"password.common":  {"That password is one of the most common ones, so it would be guessed quickly. Try three or four unrelated words, like “maple cactus harbor lamp”.", "Esa contraseña es de las más comunes, así que se adivinaría rápido. Pruebe tres o cuatro palabras sin relación, como «arce cactus puerto lámpara»."},
	"password.pattern": {"That password follows a predictable pattern (like aaaa, abcd, 1234 or a keyboard row), so it would be guessed quickly. Try three or four unrelated words.", "Esa contraseña sigue un patrón predecible (como aaaa, abcd, 1234 o una fila del teclado), así que se adivinaría rápido. Pruebe tres o cuatro palabras sin relación."},
	"password.weak":    {"That password would be guessed too quickly. Make it longer, for example three or four unrelated words.", "Esa contraseña se adivinaría demasiado rápido. Hágala más larga, por ejemplo con tres o cuatro palabras sin relación."},
}

// feedbackMail are the one-click rating links of the "resolved"/"closed"
// emails and the answers of the rating page (issue 15).
var feedbackMail = map[string]text{
	"mail.rate": {"How did we do? One click rates our work from 1 (poor) to 5 (excellent), no sign-in needed. The links work for 30 days:\n{links}",
		"¿Cómo lo hicimos? Un clic califica nuestro trabajo de 1 (malo) a 5 (excelente), sin iniciar sesión. Los enlaces funcionan durante 30 días:\n{links}"},
	"mail.rate.link":      {"{n} of 5: {link}", "{n} de 5: {link}"},
	"rate.invalid":        {"This rating link is not valid. Open the link from the email again, or sign in and rate the request on its page.", "Este enlace para calificar no es válido. Abra de nuevo el enlace del correo, o inicie sesión y califique la solicitud en su página."},
	"rate.expired":        {"This rating link has expired: links work for 30 days. You can still sign in and rate the request on its page.", "Este enlace para calificar venció: los enlaces funcionan durante 30 días. Todavía puede iniciar sesión y calificar la solicitud en su página."},
	"rate.used":           {"This rating link was already used. Thank you for your rating!", "Este enlace para calificar ya se usó. ¡Gracias por su calificación!"},
	"rate.rating":         {"Choose a rating from 1 to 5.", "Elija una calificación de 1 a 5."},
	"rate.comment_empty":  {"Write your comment first.", "Escriba primero su comentario."},
	"rate.comment_long":   {"Keep your comment under 2,000 characters.", "Su comentario debe tener menos de 2000 caracteres."},
	"rate.comment_first":  {"Choose a rating first; then you can add a comment.", "Elija primero una calificación; después puede agregar un comentario."},
	"rate.comment_closed": {"A comment can no longer be added through this link (it can be added once, within a day of rating).", "Ya no se puede agregar un comentario con este enlace (se puede agregar una vez, dentro del día de la calificación)."},
}
