package i18n

// outageMessages are the topic alert emails, the answers of the
// unsubscribe page, and the refusals of forms sent again after a lost
// connection (issue "Outages and announcements").
var outageMessages = map[string]text{
	"mail.alert.subject": {"{town}: {title}", "{town}: {title}"},
	"mail.alert.body": {"{title}\n\n{text}\n\nMore on the service status page: {status}\n\nYou get this email because you asked for alerts about: {topics}. To stop them, open this link: {unsubscribe}\nYou can choose your alerts on your profile: {profile}",
		"{title}\n\n{text}\n\nMás información en la página del estado del servicio: {status}\n\nRecibe este correo porque pidió avisos sobre: {topics}. Para dejar de recibirlos, abra este enlace: {unsubscribe}\nPuede elegir sus avisos en su perfil: {profile}"},
	"mail.alert.when":            {"From {from}", "Desde {from}"},
	"mail.alert.when_until":      {"From {from} until {until}", "Desde {from} hasta {until}"},
	"alerts.unsubscribe_invalid": {"This unsubscribe link is not valid. Open the link from the email again, or sign in and choose your alerts on your profile.", "Este enlace para darse de baja no es válido. Abra de nuevo el enlace del correo, o inicie sesión y elija sus avisos en su perfil."},
	"alerts.unsubscribe_expired": {"This unsubscribe link has expired. Sign in and choose your alerts on your profile.", "Este enlace para darse de baja venció. Inicie sesión y elija sus avisos en su perfil."},
	"comment.id":                 {"This comment could not be matched to the one you sent before; reload the page and check the history before sending it again.", "No pudimos relacionar este comentario con el que envió antes; recargue la página y revise el historial antes de enviarlo de nuevo."},
	"alerts.unsubscribed":        {"Done: you will get no more emails about %s.", "Listo: ya no recibirá correos sobre %s."},
}
