package questions

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxTextBytes bounds the question text kept per entry.
const MaxTextBytes = 200

var (
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)
	// Numbers are matched between non-digits (group 1 and the last): a
	// letter glued to one does not hide it, and a longer run of digits is
	// not one.
	// A North American number, with or without country code and
	// separators, and any number written with a "+" country code.
	phoneRE = regexp.MustCompile(`(^|[^0-9+])((?:\+[0-9]{1,3}[ .\-]?)?(?:\([0-9]{3}\)|[0-9]{3})[ .\-]?[0-9]{3}[ .\-]?[0-9]{4}|\+[0-9](?:[ .\-]?[0-9]){7,14})($|[^0-9])`)
	// Nine digits, alone or in threes: a social insurance number's shape.
	sinRE = regexp.MustCompile(`(^|[^0-9])([0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{3})($|[^0-9])`)
)

// Scrub is what the log keeps of a question's text: e-mail addresses,
// phone numbers and SIN-like numbers replaced, valid UTF-8, at most
// MaxTextBytes. It replaces before it cuts, so no number is left half.
func Scrub(text string) string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = emailRE.ReplaceAllString(text, "[email]")
	text = replaceNumbers(phoneRE, text, "[phone]")
	text = replaceNumbers(sinRE, text, "[number]")
	if len(text) > MaxTextBytes {
		text = text[:MaxTextBytes]
		for !utf8.ValidString(text) {
			text = text[:len(text)-1]
		}
	}
	return text
}

// replaceNumbers replaces re's number (group 2), keeping the characters
// around it; twice, as two numbers one character apart share it.
func replaceNumbers(re *regexp.Regexp, text, with string) string {
	for range 2 {
		text = re.ReplaceAllString(text, "${1}"+with+"${3}")
	}
	return text
}
