package bot

import (
	"strings"

	"github.com/nocbot/nocbot/intents"
)

// Button data says what a press asks for; the wording writes it on the
// buttons it offers and the decision reads it back (and remembers it for
// "tell me more"):
//
//	i:<intent>[+<intent>...]:<code>  answers intents about a profile
//	all:<code>                       lists all its titles
//	lang:<lang>                      switches the reply language

// intentData is the button data that answers intents about a profile:
// "i:duties:1252", or for a compound question
// "i:description+requirements:1253" (at most intents.MaxSections, well
// under MaxButtonData).
func intentData(code string, ins ...intents.Intent) string {
	var b strings.Builder
	b.WriteString("i:")
	for i, in := range ins {
		if i > 0 {
			b.WriteByte('+')
		}
		b.WriteString(string(in))
	}
	b.WriteString(":" + code)
	return b.String()
}

// allTitlesData is the button data that lists all the titles of a
// profile.
func allTitlesData(code string) string { return "all:" + code }
