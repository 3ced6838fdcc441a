// Package plain renders replies as plain text, for the terminal (nocbot
// chat, nocbot ask) and anywhere markup is not wanted, and holds Terminal,
// the reference implementation of the bot.Platform contract.
package plain

import (
	"fmt"
	"strings"

	"github.com/nocbot/nocbot/bot"
)

// Render writes a reply as plain text: blocks separated by blank lines,
// list items as bullets, then the buttons as numbered choices.
func Render(r bot.Reply) string {
	var b strings.Builder
	for i, bl := range r.Blocks {
		if i > 0 {
			b.WriteString("\n")
		}
		switch bl.Kind {
		case bot.List:
			for _, it := range bl.Items {
				b.WriteString("• " + it + "\n")
			}
		case bot.Link:
			b.WriteString(bl.Text + ": " + bl.URL + "\n")
		default:
			b.WriteString(bl.Text + "\n")
		}
	}
	if len(r.Buttons) > 0 {
		b.WriteString("\n")
		for i, btn := range r.Buttons {
			if i > 0 {
				b.WriteString("  ")
			}
			fmt.Fprintf(&b, "[%d] %s", i+1, btn.Label)
		}
		b.WriteString("\n")
	}
	return b.String()
}
