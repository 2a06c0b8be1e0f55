package open311

import (
	"sort"
	"strings"
	"time"

	"github.com/townhall-portal/townhall/internal/forms"
	"github.com/townhall-portal/townhall/internal/i18n"
)

// Service is one kind of problem report offered (a complaint category).
type Service struct {
	Code, Name, Description string
	Keywords                string // comma separated
	Group                   string // the department
	// Questions are the category's extra questions (its attributes).
	Questions []forms.Field
}

// ServiceList is the answer of GET services.{format}.
func ServiceList(services []Service) Document {
	items := make([]any, len(services))
	for i, s := range services {
		items[i] = Object{
			{"service_code", s.Code},
			{"service_name", s.Name},
			{"description", s.Description},
			{"metadata", len(s.Questions) > 0},
			{"type", "realtime"},
			{"keywords", s.Keywords},
			{"group", s.Group},
		}
	}
	return Document{Root: "services", Body: List{Item: "service", Items: items}}
}

// Datatype is the GeoReport datatype of a form field kind: one line of text
// is a string, several lines text, a date a datetime, a choice (and yes/no)
// a singlevaluelist, several choices a multivaluelist.
func Datatype(kind string) string {
	switch kind {
	case forms.KindNumber:
		return "number"
	case forms.KindLongText:
		return "text"
	case forms.KindDate:
		return "datetime"
	case forms.KindChoice, forms.KindYesNo:
		return "singlevaluelist"
	case forms.KindMultiChoice:
		return "multivaluelist"
	}
	return "string" // text, email, phone, address
}

// ServiceDefinition is the answer of GET services/{code}.{format}: the
// service's questions as attributes, in their order.
func ServiceDefinition(s Service, lang i18n.Lang) Document {
	attrs := make([]any, len(s.Questions))
	l := string(lang)
	for i, q := range s.Questions {
		help := q.Help.In(l)
		if q.Kind == forms.KindDate && help == "" {
			help = lang.T("open311.date_help")
		}
		if u := q.Unit.In(l); q.Kind == forms.KindNumber && u != "" {
			help = strings.TrimSpace(help + " (" + u + ")")
		}
		var datatypeHelp any
		if help != "" {
			datatypeHelp = help
		}
		a := Object{
			{"variable", true},
			{"code", q.Key},
			{"datatype", Datatype(q.Kind)},
			{"required", q.Required},
			{"datatype_description", datatypeHelp},
			{"order", i + 1},
			{"description", q.Label.In(l)},
		}
		if values := listValues(q, lang); values != nil {
			a = append(a, Field{"values", List{Item: "value", Items: values}})
		}
		attrs[i] = a
	}
	return Document{Root: "service_definition", Body: Object{
		{"service_code", s.Code},
		{"attributes", List{Item: "attribute", Items: attrs}},
	}}
}

// listValues are the options of a list attribute (nil for other kinds).
func listValues(q forms.Field, lang i18n.Lang) []any {
	switch q.Kind {
	case forms.KindYesNo:
		return []any{Object{{"key", "yes"}, {"name", lang.T("open311.yes")}}, Object{{"key", "no"}, {"name", lang.T("open311.no")}}}
	case forms.KindChoice, forms.KindMultiChoice:
		out := make([]any, len(q.Options))
		for i, o := range q.Options {
			out[i] = Object{{"key", o.Value}, {"name", o.Label.In(string(lang))}}
		}
		return out
	}
	return nil
}

// CheckAttributes checks the attribute values of a new request against the
// service's questions and returns the answers to store (as
// forms.Validate cleans them) or one 400 per problem. A datetime may be
// sent as a W3C datetime; it is stored as its date in the town's zone loc.
func CheckAttributes(s Service, values map[string][]string, loc *time.Location, lang i18n.Lang) (map[string]any, Errors) {
	var errs Errors
	byKey := make(map[string]forms.Field, len(s.Questions))
	for _, q := range s.Questions {
		byKey[q.Key] = q
	}
	answers := map[string]any{}
	for _, code := range sortedKeys(values) {
		vs := values[code]
		q, ok := byKey[code]
		if !ok {
			errs = append(errs, badRequest(lang.T("open311.attribute_unknown", s.Code, clip(code, 60))))
			continue
		}
		if q.Kind == forms.KindMultiChoice {
			items := make([]any, len(vs))
			for i, v := range vs {
				items[i] = v
			}
			answers[code] = items
			continue
		}
		if len(vs) > 1 {
			errs = append(errs, badRequest(lang.T("open311.attribute_one", code)))
			continue
		}
		v := vs[0]
		if q.Kind == forms.KindDate {
			if t, ok := ParseTime(v); ok {
				if loc == nil {
					loc = time.UTC
				}
				v = t.In(loc).Format(time.DateOnly)
			}
		}
		answers[code] = v
	}
	clean, problems := forms.Validate(s.Questions, answers, string(lang), forms.Submit)
	for _, q := range s.Questions { // in the questions' order
		if msg, bad := problems[q.Key]; bad {
			errs = append(errs, badRequest("attribute["+q.Key+"]: "+msg))
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return clean, nil
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
