package telegram

import (
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
)

// MaxMessage is Telegram's limit for one message, in UTF-16 units.
const MaxMessage = 4096

// maxMarkedUp bounds text inside a tag, so the splitter never has to cut
// between an opening and a closing tag.
const maxMarkedUp = 512

// buttonsPerRow keeps inline keyboards readable on a phone.
const buttonsPerRow = 3

// escapeHTML escapes text for Telegram's HTML parse mode, where only <, >
// and & are special (and " inside attributes).
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, `<>&"`) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// renderHTML writes a reply as Telegram HTML: every piece of profile or
// user text escaped, markup only from the block kinds.
func renderHTML(r bot.Reply) string {
	parts := make([]string, 0, len(r.Blocks))
	for _, bl := range r.Blocks {
		switch bl.Kind {
		case bot.Heading:
			if bot.UTF16Len(bl.Text) > maxMarkedUp {
				parts = append(parts, escapeHTML(bl.Text)) // too long to keep its tags in one message
			} else {
				parts = append(parts, "<b>"+escapeHTML(bl.Text)+"</b>")
			}
		case bot.List:
			lines := make([]string, len(bl.Items))
			for i, it := range bl.Items {
				lines[i] = "• " + escapeHTML(it)
			}
			parts = append(parts, strings.Join(lines, "\n"))
		case bot.Link:
			if safeURL(bl.URL) && bot.UTF16Len(bl.Text)+bot.UTF16Len(bl.URL) <= maxMarkedUp {
				parts = append(parts, `<a href="`+escapeHTML(bl.URL)+`">`+escapeHTML(bl.Text)+"</a>")
			} else {
				parts = append(parts, escapeHTML(bl.Text))
			}
		default:
			parts = append(parts, escapeHTML(bl.Text))
		}
	}
	return strings.Join(parts, "\n\n")
}

// safeURL admits web links only: a profile file cannot smuggle in a
// javascript: or tg: link.
func safeURL(u string) bool {
	return (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && !strings.ContainsAny(u, " \n\t<>\"")
}

// render turns a reply into the messages to send: HTML parts within
// Telegram's limit, the keyboard (if any) to attach to the last one.
func render(r bot.Reply) ([]string, *tgbotapi.InlineKeyboardMarkup) {
	parts := bot.Split(renderHTML(r), MaxMessage, bot.UTF16Len)
	if len(parts) == 0 {
		parts = []string{"…"}
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	var row []tgbotapi.InlineKeyboardButton
	for _, b := range r.Buttons {
		if b.Data == "" || len(b.Data) > bot.MaxButtonData || b.Label == "" {
			continue // Telegram refuses callback data outside 1-64 bytes
		}
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(b.Label, b.Data))
		if len(row) == buttonsPerRow {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return parts, nil
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return parts, &kb
}
