package i18n

// commonMessages are the general refusals. Keys are short dotted names;
// values are plain language a resident can act on. The catalogue is built
// from this map and the others in catalogue.go.
var commonMessages = map[string]text{
	"field.readonly": {
		"“%s” is filled in by the county and can't be changed here.",
		"“%s” lo completa el condado y no se puede cambiar aquí.",
	},
	"auth.verify_first": {
		"Please confirm your email address first: open the link we sent you, then try again.",
		"Primero confirme su correo electrónico: abra el enlace que le enviamos y vuelva a intentarlo.",
	},
	"auth.sign_in": {
		"Please sign in to continue.",
		"Inicie sesión para continuar.",
	},
	"events.append_only": {
		"The history of a request can't be changed or deleted.",
		"El historial de una solicitud no se puede cambiar ni borrar.",
	},
	"errors.ours": {
		"Something went wrong on our side, and nothing was changed. Please try again in a moment; if it keeps happening, contact the office.",
		"Algo falló de nuestro lado y no se cambió nada. Intente de nuevo en un momento; si sigue pasando, comuníquese con la oficina.",
	},
	"counter.identity_first": {
		"Check the person's identity (a photo ID with the same name) before confirming their email address.",
		"Compruebe la identidad de la persona (una identificación con foto y el mismo nombre) antes de confirmar su correo.",
	},
	"counter.no_resident": {
		"There is no such resident account.",
		"No existe esa cuenta de residente.",
	},
	"errors.disk_full": {
		"The county's server has run out of storage space. Nothing you entered was lost: please try again later, or contact the office if it is urgent.",
		"El servidor del condado se quedó sin espacio. No se perdió nada de lo que escribió: intente de nuevo más tarde o comuníquese con la oficina si es urgente.",
	},
	"errors.busy": {
		"The portal is very busy right now. Nothing you entered was lost: please try again in a moment.",
		"El portal está muy ocupado en este momento. No se perdió nada de lo que escribió: intente de nuevo en un momento.",
	},
	"errors.fields": {
		"Some of what you sent needs your attention.",
		"Parte de lo que envió necesita su atención.",
	},
	"not_found": {
		"We couldn't find that.",
		"No encontramos lo que busca.",
	},
}

var workflowMessages = map[string]text{
	"refused.past":  {"This %s is already %s and can no longer be %s.", ""},
	"refused.state": {"This %s is %s, so it can't be %s now.", ""},

	"refused.past.permit":     {"", "Esta solicitud ya está %s y ya no se puede %s."},
	"refused.state.permit":    {"", "Esta solicitud está %s, así que ahora no se puede %s."},
	"refused.past.complaint":  {"", "Este reporte ya está %s y ya no se puede %s."},
	"refused.state.complaint": {"", "Este reporte está %s, así que ahora no se puede %s."},

	"refused.staff_only.permit":    {"Only the department's staff can decide whether an application is %s.", "Solo el personal del departamento puede %s una solicitud."},
	"refused.owner_only.permit":    {"Only the applicant can have an application %s.", "Solo quien presentó la solicitud puede %s."},
	"refused.staff_only.complaint": {"Only the department's staff can decide whether a report is %s.", "Solo el personal del departamento puede %s un reporte."},
	"refused.owner_only.complaint": {"Only the person who filed a report can have it %s.", "Solo quien presentó el reporte puede %s."},
	"refused.system_only":          {"This happens automatically; nobody can do it by hand.", "Esto ocurre automáticamente; nadie puede hacerlo a mano."},
	"refused.needs_comment":        {"Please write a comment for the resident explaining why.", "Escriba un comentario para el residente explicando el motivo."},
	"refused.unknown_action":       {"There is no such action.", "Esa acción no existe."},
	"status.use_actions":           {"The status changes only through the actions (submit, approve, …), so that each step is checked and recorded.", "El estado solo cambia mediante las acciones (enviar, aprobar, …), para que cada paso se revise y quede registrado."},
	"status.must_start":            {"A new %s starts as %s.", "Una nueva %s empieza como %s."},
	"permit.not_found":             {"We couldn't find that application.", "No encontramos esa solicitud."},
	"complaint.not_found":          {"We couldn't find that report.", "No encontramos ese reporte."},
	"permit.other_department":      {"This application belongs to another department.", "Esta solicitud pertenece a otro departamento."},
	"complaint.other_department":   {"This report belongs to another department.", "Este reporte pertenece a otro departamento."},
	"permit.missing_documents":     {"We need your %s before we can review your application.", "Necesitamos su %s antes de poder revisar su solicitud."},
	"permit.answers_invalid":       {"Some answers need your attention before you can submit.", "Algunas respuestas necesitan su atención antes de enviar."},
	"permit.type_inactive":         {"We no longer take applications for this permit.", "Ya no aceptamos solicitudes para este permiso."},
	"permit.fee_unpaid":            {"The fee of %s has not been paid yet; record the payment before issuing.", "La tarifa de %s aún no se ha pagado; registre el pago antes de emitir."},
	"permit.already_paid":          {"The fee for this application has already been recorded.", "El pago de esta solicitud ya está registrado."},
	"permit.no_fee":                {"This permit has no fee to pay.", "Este permiso no tiene tarifa."},
	"permit.payment_state":         {"A payment can be recorded once the application is approved: applicants are told they pay after approval.", "El pago se puede registrar cuando la solicitud está aprobada: se informa al solicitante que paga después de la aprobación."},
	"payment.amount":               {"The amount must be at least the fee of %s.", "El monto debe ser al menos la tarifa de %s."},
	"payment.method":               {"Choose how it was paid: cash, check, card or transfer.", "Elija la forma de pago: efectivo, cheque, tarjeta o transferencia."},
	"payment.waive_role":           {"Only a supervisor or director can waive a fee.", "Solo un supervisor o director puede exonerar una tarifa."},
	"comment.empty":                {"Please write a comment.", "Escriba un comentario."},
	"comment.too_long":             {"Comments can be at most 5000 characters.", "Los comentarios pueden tener como máximo 5000 caracteres."},
	"comment.closed":               {"This request is closed; please contact the office.", "Esta solicitud está cerrada; comuníquese con la oficina."},
	"assign.not_colleague":         {"Choose a colleague of the department handling this request.", "Elija a un colega del departamento que atiende esta solicitud."},
	"verify.not_found":             {"No permit has that number. Check it and try again.", "Ningún permiso tiene ese número. Revíselo e intente de nuevo."},
	"body.invalid":                 {"We couldn't read what was sent. Please try again.", "No pudimos leer lo enviado. Intente de nuevo."},
	"staff_only":                   {"Only county staff can do this.", "Solo el personal del condado puede hacer esto."},
}

var reportMessages = map[string]text{
	"report.description_required":    {"Please describe the problem.", "Describa el problema."},
	"report.description_too_long":    {"Please keep the description under %d characters.", "La descripción debe tener menos de %d caracteres."},
	"report.location_range":          {"The map point is not a real place: latitude must be between -90 and 90 and longitude between -180 and 180.", "El punto del mapa no es un lugar real: la latitud debe estar entre -90 y 90 y la longitud entre -180 y 180."},
	"report.reopen_window":           {"A resolved report can be reopened for %d days; please file a new report instead.", "Un reporte resuelto se puede reabrir durante %d días; presente un reporte nuevo."},
	"report.duplicate_needs_primary": {"Give the reference of the original report (for example SR-2026-00017).", "Indique la referencia del reporte original (por ejemplo SR-2026-00017)."},
	"report.duplicate_unknown":       {"There is no report %s.", "No existe el reporte %s."},
	"report.duplicate_invalid":       {"Point to the original report, not to this one or to another duplicate.", "Indique el reporte original, no este ni otro duplicado."},
	"feedback.once":                  {"You already rated this request. Thank you!", "Ya calificó esta solicitud. ¡Gracias!"},
	"account.delete_on_page":         {"To delete your account, use \"Delete my account\" on your profile page: it asks for your password first.", "Para eliminar su cuenta, use \"Eliminar mi cuenta\" en su página de perfil: primero le pide su contraseña."},
	"account.residents_only":         {"Only residents have personal data here; staff accounts are managed by the administrator.", "Solo los residentes tienen datos personales aquí; las cuentas del personal las administra el administrador."},
	"account.delete_password":        {"Type your current password to delete your account.", "Escriba su contraseña actual para eliminar su cuenta."},
	"account.deleted":                {"Your account is deleted. What you submitted stays as a public record, without your name or contact details.", "Su cuenta fue eliminada. Lo que envió queda como registro público, sin su nombre ni sus datos de contacto."},
	"account.withdrawn_comment":      {"Withdrawn: the applicant deleted their account.", "Retirada: la persona solicitante eliminó su cuenta."},
	"account.export_about":           {"Everything this portal holds about you: your profile, your applications and reports with the history you can see, the reports you follow, your ratings and a list of your documents (the files are in the documents folder).", "Todo lo que este portal guarda sobre usted: su perfil, sus solicitudes y reportes con el historial que puede ver, los reportes que sigue, sus calificaciones y la lista de sus documentos (los archivos están en la carpeta documents)."},
	"maintenance.default":            {"The portal is under maintenance: you can read, but changes are paused. Nothing you saved is lost; please try again in a few minutes.", "El portal está en mantenimiento: puede consultar, pero los cambios están en pausa. No se perdió nada de lo que guardó; intente de nuevo en unos minutos."},
	"status.feed_title":              {"%s — service status and notices", "%s — estado del servicio y avisos"},
	"rating.answer_empty":            {"Write your answer to the resident.", "Escriba su respuesta al residente."},
	"rating.none":                    {"This request has no rating to answer yet.", "Esta solicitud todavía no tiene una calificación que responder."},
	"rating.answered":                {"This rating has already been answered; add a comment to the resident instead.", "Esta calificación ya fue respondida; agregue un comentario al residente."},
	"feedback.not_yet":               {"You can rate a request once it is resolved or closed.", "Puede calificar una solicitud cuando esté resuelta o cerrada."},
}

var documentMessages = map[string]text{
	"document.immutable":       {"A stored file can't be replaced; upload the new version as a new document.", "Un archivo guardado no se puede reemplazar; suba la nueva versión como un documento nuevo."},
	"document.one_parent":      {"Attach the file to one application or one report.", "Adjunte el archivo a una solicitud o a un reporte."},
	"document.state_permit":    {"This application is %s, so documents can't be added or changed now. If something is missing, contact the office.", "Esta solicitud está %s, así que ahora no se pueden agregar ni cambiar documentos. Si falta algo, comuníquese con la oficina."},
	"document.state_complaint": {"This report is %s, so photos can't be added now.", "Este reporte está %s, así que ahora no se pueden agregar fotos."},
	"document.kind":            {"Choose which of the requested documents this file is.", "Elija cuál de los documentos solicitados es este archivo."},
	"document.no_file":         {"Choose a file to upload.", "Elija un archivo para subir."},
	"document.too_large":       {"This file is %s MB; files can be at most %d MB. Try a smaller scan or photo.", "Este archivo tiene %s MB; los archivos pueden tener como máximo %d MB. Pruebe con un escaneo o foto más pequeño."},
	"document.empty":           {"This file is empty. Choose the file again.", "Este archivo está vacío. Elija el archivo de nuevo."},
	"document.type":            {"We accept PDF documents and JPEG, PNG or WebP pictures. This file is none of these.", "Aceptamos documentos PDF e imágenes JPEG, PNG o WebP. Este archivo no es ninguno de ellos."},
	"document.pixels":          {"This picture is too large (over %d megapixels). Please take or send a smaller picture.", "Esta imagen es demasiado grande (más de %d megapíxeles). Tome o envíe una imagen más pequeña."},
	"document.broken_image":    {"We couldn't read this picture; it may be damaged. Please try another one.", "No pudimos leer esta imagen; puede estar dañada. Pruebe con otra."},
	"document.encrypted_pdf":   {"This PDF is password-protected; please upload an unprotected copy.", "Este PDF está protegido con contraseña; suba una copia sin protección."},
	"document.broken_pdf":      {"This PDF is incomplete or damaged. Please save or scan it again and upload the new copy.", "Este PDF está incompleto o dañado. Guárdelo o escanéelo de nuevo y suba la nueva copia."},
}

var reviewMessages = map[string]text{
	"permit.type_unknown":       {"Choose one of the permits we offer.", "Elija uno de los permisos que ofrecemos."},
	"permit.answers_not_object": {"We could not read the answers; please fill in the form again.", "No pudimos leer las respuestas; complete el formulario otra vez."},
	"report.category_unknown":   {"Choose what kind of problem you are reporting.", "Elija qué tipo de problema está reportando."},
	"report.category_inactive":  {"We no longer take reports in this category; please choose another.", "Ya no aceptamos reportes de este tipo; elija otro."},
	"staff.inactive":            {"This staff account is no longer active.", "Esta cuenta de personal ya no está activa."},
	"filter.plain":              {"Filters and sorting may only use this list's own fields.", "Los filtros y el orden solo pueden usar los campos propios de esta lista."},
	"report.duplicate_closed":   {"The original report is closed; mark this one as a duplicate of an open or resolved report, or handle it on its own.", "El reporte original está cerrado; márquelo como duplicado de un reporte abierto o resuelto, o atiéndalo por separado."},
	"feedback.one_parent":       {"A rating is for one request: an application or a report.", "Una calificación es para una sola solicitud: una solicitud de permiso o un reporte."},
	"permit.staff_submit":       {"Only the applicant can submit an application they started online; staff submit applications filed at the counter or by phone.", "Solo quien la empezó en línea puede enviar su solicitud; el personal envía las solicitudes presentadas en la oficina o por teléfono."},
}

// open311Messages are the answers of the Open311 GeoReport v2 endpoints
// (issue 17) and the refusals of a report's extra questions.
var open311Messages = map[string]text{
	"open311.no_endpoint":          {"There is no such Open311 endpoint; the endpoints are listed at /open311/discovery.json.", "No existe ese punto de acceso Open311; los puntos de acceso están en /open311/discovery.json."},
	"open311.format":               {"This server answers in .json and .xml only.", "Este servidor responde solo en .json y .xml."},
	"open311.jurisdiction":         {"jurisdiction_id %q is not served here; this server serves %q.", "Aquí no se atiende la jurisdicción %q; este servidor atiende %q."},
	"open311.key_missing":          {"api_key is required to file a request; ask the county's administrator for one.", "Se necesita api_key para presentar una solicitud; pídala al administrador del condado."},
	"open311.key_wrong":            {"This api_key is not valid or has been switched off.", "Esta api_key no es válida o fue desactivada."},
	"open311.rate_key":             {"Too many requests with this api_key; wait a minute and try again.", "Demasiadas solicitudes con esta api_key; espere un minuto e intente de nuevo."},
	"open311.rate_ip":              {"Too many requests; wait a few seconds and try again.", "Demasiadas solicitudes; espere unos segundos e intente de nuevo."},
	"open311.service_code_missing": {"service_code is required; GET services.json lists them.", "Se necesita service_code; GET services.json los enumera."},
	"open311.service_unknown":      {"There is no service %q; GET services.json lists them.", "No existe el servicio %q; GET services.json los enumera."},
	"open311.location_missing":     {"A location is required: lat and long, address_string or address_id.", "Se necesita una ubicación: lat y long, address_string o address_id."},
	"open311.lat_long_pair":        {"lat and long must be sent together.", "lat y long deben enviarse juntos."},
	"open311.lat_invalid":          {"lat must be a number from -90 to 90.", "lat debe ser un número entre -90 y 90."},
	"open311.long_invalid":         {"long must be a number from -180 to 180.", "long debe ser un número entre -180 y 180."},
	"open311.description_long":     {"description may have at most 4,000 characters; this one has %d.", "description puede tener como máximo 4.000 caracteres; esta tiene %d."},
	"open311.too_long":             {"%s may have at most %d characters.", "%s puede tener como máximo %d caracteres."},
	"open311.email_invalid":        {"email must be an address like name@example.com.", "email debe ser una dirección como nombre@ejemplo.com."},
	"open311.media_url_invalid":    {"media_url must be an http or https address.", "media_url debe ser una dirección http o https."},
	"open311.attribute_arg":        {"%q is not an attribute argument; send attribute[code]=value.", "%q no es un argumento de atributo; envíe attribute[code]=valor."},
	"open311.attribute_unknown":    {"Service %q has no attribute %q.", "El servicio %q no tiene el atributo %q."},
	"open311.attribute_one":        {"attribute[%s] takes one value.", "attribute[%s] admite un solo valor."},
	"open311.date_no_zone":         {"%s needs a time and a time zone, like 2026-11-01T00:00:00-06:00 or 2026-11-01T06:00:00Z.", "%s necesita una hora y una zona horaria, como 2026-11-01T00:00:00-06:00 o 2026-11-01T06:00:00Z."},
	"open311.date_invalid":         {"%s must be a W3C datetime like 2026-11-01T00:00:00-06:00.", "%s debe ser una fecha W3C como 2026-11-01T00:00:00-06:00."},
	"open311.date_order":           {"start_date must not be after end_date.", "start_date no puede ser posterior a end_date."},
	"open311.date_span":            {"start_date and end_date may be at most 90 days apart.", "start_date y end_date pueden estar separadas como máximo 90 días."},
	"open311.status_invalid":       {"status may be open or closed (comma separated), not %q.", "status puede ser open o closed (separados por comas), no %q."},
	"open311.too_many_ids":         {"Ask for at most %d service_request_id at once.", "Pida como máximo %d service_request_id a la vez."},
	"open311.request_unknown":      {"There is no service request %q.", "No existe la solicitud de servicio %q."},
	"open311.no_tokens":            {"This server answers a POST at once with its service_request_id; it issues no tokens.", "Este servidor responde a un POST de inmediato con su service_request_id; no emite tokens."},
	"open311.body":                 {"The request body could not be read; send application/x-www-form-urlencoded, at most 1 MB.", "No se pudo leer el cuerpo de la solicitud; envíe application/x-www-form-urlencoded, como máximo 1 MB."},
	"open311.ours":                 {"Something went wrong on our side and nothing was saved; please try again later.", "Algo falló de nuestro lado y no se guardó nada; intente de nuevo más tarde."},
	"open311.notice":               {"%s will look at it and aims to resolve it by %s.", "%s lo revisará y tiene previsto resolverlo antes del %s."},
	"open311.notice_no_due":        {"%s will look at it.", "%s lo revisará."},
	"open311.contact":              {"%s: %s", "%s: %s"},
	"open311.key_service":          {"API keys for filing requests are issued by the county's administrator: %s. Reading needs no key.", "Las claves de API para presentar solicitudes las emite el administrador del condado: %s. Para leer no se necesita clave."},
	"open311.yes":                  {"Yes", "Sí"},
	"open311.no":                   {"No", "No"},
	"open311.date_help":            {"A date like 2026-05-31.", "Una fecha como 2026-05-31."},
	"report.answers_invalid":       {"Some answers need fixing; see the message next to each.", "Algunas respuestas deben corregirse; vea el mensaje junto a cada una."},
	"report.questions_broken":      {"The questions of this category are broken; the administrator must fix them.", "Las preguntas de esta categoría están dañadas; el administrador debe corregirlas."},
	"report.answers_not_object":    {"We could not read the answers; please fill in the form again.", "No pudimos leer las respuestas; complete el formulario otra vez."},
}
