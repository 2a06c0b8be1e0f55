package i18n

// Words of the lifecycles: the name of a request, the state it is in (as it
// reads after "is") and the action (English participle; Spanish infinitive).
var (
	nouns = map[string]text{
		"permit":    {"application", "solicitud"},
		"complaint": {"report", "reporte"},
	}
	stateWords = map[string]text{
		"permit.draft":             {"still a draft", "en borrador"},
		"permit.submitted":         {"submitted", "enviada"},
		"permit.in_review":         {"in review", "en revisión"},
		"permit.changes_requested": {"waiting for changes", "esperando cambios"},
		"permit.approved":          {"approved", "aprobada"},
		"permit.denied":            {"denied", "denegada"},
		"permit.issued":            {"issued", "emitida"},
		"permit.expired":           {"expired", "vencida"},
		"permit.withdrawn":         {"withdrawn", "retirada"},

		"complaint.new":          {"new", "nuevo"},
		"complaint.acknowledged": {"acknowledged", "recibido"},
		"complaint.in_progress":  {"in progress", "en curso"},
		"complaint.resolved":     {"resolved", "resuelto"},
		"complaint.closed":       {"closed", "cerrado"},
		"complaint.rejected":     {"rejected", "rechazado"},
		"complaint.duplicate":    {"a duplicate", "un duplicado"},
	}
	actionWords = map[string]text{
		"submit":          {"submitted", "enviar"},
		"start_review":    {"put in review", "poner en revisión"},
		"request_changes": {"sent back for changes", "devolver para cambios"},
		"approve":         {"approved", "aprobar"},
		"deny":            {"denied", "denegar"},
		"issue":           {"issued", "emitir"},
		"expire":          {"expired", "dar por vencida"},
		"withdraw":        {"withdrawn", "retirar"},
		"acknowledge":     {"acknowledged", "marcar como recibido"},
		"start":           {"started", "empezar"},
		"resolve":         {"resolved", "resolver"},
		"close":           {"closed", "cerrar"},
		"reopen":          {"reopened", "reabrir"},
		"reject":          {"rejected", "rechazar"},
		"mark_duplicate":  {"marked as a duplicate", "marcar como duplicado"},
	}
	// states after which a request has moved on for good
	pastStates = map[string]bool{
		"permit.approved": true, "permit.denied": true, "permit.issued": true, "permit.expired": true, "permit.withdrawn": true,
		"complaint.resolved": true, "complaint.closed": true, "complaint.rejected": true, "complaint.duplicate": true,
	}
)

func (l Lang) pick(t text) string {
	if l == ES && t.es != "" {
		return t.es
	}
	return t.en
}

// Noun names a kind of request ("application", "report").
func (l Lang) Noun(machine string) string { return l.pick(nouns[machine]) }

// State describes a state as it reads after "is".
func (l Lang) State(machine, state string) string {
	if t, ok := stateWords[machine+"."+state]; ok {
		return l.pick(t)
	}
	return state
}

// WrongState explains why an action does not apply to a request in its state:
// "This application is already approved and can no longer be withdrawn."
func (l Lang) WrongState(machine, state, action string) string {
	noun, st, act := l.Noun(machine), l.State(machine, state), l.pick(actionWords[action])
	if act == "" {
		act = action
	}
	key := "refused.state"
	if pastStates[machine+"."+state] {
		key = "refused.past"
	}
	if l == ES {
		return l.T(key+"."+machine, st, act)
	}
	return l.T(key, noun, st, act)
}

// WrongActor explains that someone else takes this action.
func (l Lang) WrongActor(machine, action string, staffOnly bool) string {
	act := l.pick(actionWords[action])
	if act == "" {
		act = action
	}
	if staffOnly {
		return l.T("refused.staff_only."+machine, act)
	}
	return l.T("refused.owner_only."+machine, act)
}
