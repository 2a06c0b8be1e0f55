package i18n

// messages is the catalogue of server messages. Keys are short dotted names;
// values are plain language a resident can act on.
var messages = map[string]text{
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
	"not_found": {
		"We couldn't find that.",
		"No encontramos lo que busca.",
	},
}
