package forms

import "fmt"

// msg is a message format in English and Spanish.
type msg struct{ en, es string }

// in formats the message in lang ("es" for Spanish, English otherwise).
func (m msg) in(lang string, args ...any) string {
	if lang == "es" {
		return fmt.Sprintf(m.es, args...)
	}
	return fmt.Sprintf(m.en, args...)
}

// The messages to residents. A quoted %s is the field label; number range
// messages use the plain label and, like the product owner's example
// "Fence height must be between 1 and 8 feet", end without a period.
var (
	msgRequired = msg{`Please answer "%s".`, `Por favor responda "%s".`}

	msgText      = msg{`"%s" must be text.`, `"%s" debe ser texto.`}
	msgMinLength = msg{`"%s" must be at least %d %s.`, `"%s" debe tener al menos %d %s.`}
	msgMaxLength = msg{`"%s" must be at most %d %s.`, `"%s" debe tener como máximo %d %s.`}

	msgNumber  = msg{`%s must be a number.`, `%s debe ser un número.`}
	msgBetween = msg{`%s must be between %s and %s%s`, `%s debe estar entre %s y %s%s`}
	msgAtLeast = msg{`%s must be at least %s%s`, `%s debe ser al menos %s%s`}
	msgAtMost  = msg{`%s must be at most %s%s`, `%s debe ser como máximo %s%s`}

	msgDate      = msg{`"%s" must be a date like 2026-05-31.`, `"%s" debe ser una fecha como 2026-05-31.`}
	msgDateRange = msg{`"%s" must be a date between the years 1900 and 2200.`,
		`"%s" debe ser una fecha entre los años 1900 y 2200.`}

	msgChoice       = msg{`Choose one of the options for "%s".`, `Elija una de las opciones para "%s".`}
	msgMulti        = msg{`Choose only from the options for "%s".`, `Elija solo entre las opciones para "%s".`}
	msgMultiTwice   = msg{`Choose each option for "%s" only once.`, `Elija cada opción de "%s" una sola vez.`}
	msgMultiBetween = msg{`Choose between %d and %d options for "%s".`, `Elija entre %d y %d opciones para "%s".`}
	msgMultiExactly = msg{`Choose exactly %d %s for "%s".`, `Elija exactamente %d %s para "%s".`}
	msgMultiAtLeast = msg{`Choose at least %d %s for "%s".`, `Elija al menos %d %s para "%s".`}
	msgMultiAtMost  = msg{`Choose at most %d %s for "%s".`, `Elija como máximo %d %s para "%s".`}

	msgYesNo = msg{`Answer yes or no for "%s".`, `Responda sí o no a "%s".`}
	msgEmail = msg{`"%s" must be an email address like name@example.com.`,
		`"%s" debe ser un correo electrónico como nombre@ejemplo.com.`}
	msgPhone = msg{`"%s" must be a phone number with 7 to 15 digits, like (555) 010-2000.`,
		`"%s" debe ser un número de teléfono de 7 a 15 dígitos, como (555) 010-2000.`}

	msgUnknown     = msg{`This form has no question "%s".`, `Este formulario no tiene la pregunta "%s".`}
	msgUnknownMany = msg{`Some answers are for questions this form does not have.`,
		`Algunas respuestas corresponden a preguntas que este formulario no tiene.`}
)

// noun is a countable word: singular and plural, in English and Spanish.
type noun struct{ one, many msg }

var (
	characters  = noun{msg{"character", "carácter"}, msg{"characters", "caracteres"}}
	optionWords = noun{msg{"option", "opción"}, msg{"options", "opciones"}}
)

// plural returns the word for n things in lang.
func plural(n int, lang string, w noun) string {
	if n == 1 {
		return w.one.in(lang)
	}
	return w.many.in(lang)
}
