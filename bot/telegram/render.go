package telegram

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
)

// MaxMessage is Telegram's limit for one message, in UTF-16 units.
const MaxMessage = 4096

// maxMarkedUp bounds a rendered heading or link, tags included, so it is
// one line well within a message and the splitter, which cuts between
// paragraphs first, never separates an opening tag from its closing one.
const maxMarkedUp = 1024

// buttonsPerRow keeps inline keyboards readable on a phone.
const buttonsPerRow = 3

// maxButtons bounds a keyboard (Telegram allows 100 buttons).
const maxButtons = 30

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// escapeHTML escapes text for Telegram's HTML parse mode, where only <, >
// and & are special (and " inside attributes, escaped everywhere for
// simplicity), after clean.
func escapeHTML(s string) string { return htmlEscaper.Replace(clean(s)) }

// maxJoined bounds the code points that render as one character: a base
// with its combining marks, variation selectors and zero-width-joined
// followers. Real ones have a handful; a longer run ("Zalgo" text) is cut
// short, so that no character is too long for a message and the splitter
// can always cut between characters.
const maxJoined = 32

// clean makes text safe to send: valid UTF-8, no control characters but
// line breaks and tabs, no runaway character.
func clean(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || joins(r) {
				ok = false
				break
			}
		}
	}
	if ok {
		return s // the common case: nothing to do
	}
	var b strings.Builder
	n, afterZWJ := 0, false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			continue
		}
		if joins(r) || afterZWJ {
			if n++; n > maxJoined {
				afterZWJ = false
				continue
			}
		} else {
			n = 1
		}
		afterZWJ = r == '\u200d'
		b.WriteRune(r)
	}
	return b.String()
}

// joins reports code points that belong to the character before them, as
// the splitter (bot.Split) sees them.
func joins(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc) || r == '\u200d' || (r >= 0xFE00 && r <= 0xFE0F) ||
		(r >= 0x1F3FB && r <= 0x1F3FF) || (r >= 0xE0020 && r <= 0xE007F)
}

// oneLine folds every run of white space, line breaks included, into one
// space: a heading or link label never spans paragraphs.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// renderHTML writes a reply as Telegram HTML: every piece of profile or
// user text escaped, markup only from the block kinds, blocks a blank
// line apart.
func renderHTML(r bot.Reply) string {
	parts := make([]string, 0, len(r.Blocks))
	for _, bl := range r.Blocks {
		var p string
		switch bl.Kind {
		case bot.Heading:
			t := escapeHTML(oneLine(bl.Text))
			if p = "<b>" + t + "</b>"; bot.UTF16Len(p) > maxMarkedUp {
				p = t // too long to keep its tags
			}
		case bot.List:
			lines := make([]string, 0, len(bl.Items))
			for _, it := range bl.Items {
				if it = strings.TrimSpace(it); it != "" {
					lines = append(lines, "• "+escapeHTML(it))
				}
			}
			p = strings.Join(lines, "\n")
		case bot.Link:
			p = renderLink(oneLine(bl.Text), strings.TrimSpace(bl.URL))
		default:
			p = escapeHTML(bl.Text)
		}
		if strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "\n\n")
}

func renderLink(label, url string) string {
	if !safeURL(url) {
		return escapeHTML(label)
	}
	if label == "" {
		label = url
	}
	if a := `<a href="` + escapeHTML(url) + `">` + escapeHTML(label) + "</a>"; bot.UTF16Len(a) <= maxMarkedUp {
		return a
	}
	// Too long for a tag: Telegram links a bare URL by itself.
	return escapeHTML(label) + "\n" + escapeHTML(url)
}

// safeURL admits web links only: a profile file cannot smuggle in a
// javascript: or tg: link.
func safeURL(u string) bool {
	return (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && len(u) > len("https://") &&
		!strings.ContainsAny(u, " \n\t\r<>\"")
}

// render turns a reply into the messages to send: HTML parts within
// Telegram's limit (split by the shared splitter), and the keyboard, if
// any, to attach to the last one.
func render(r bot.Reply) ([]string, *tgbotapi.InlineKeyboardMarkup) {
	parts := bot.Split(renderHTML(r), MaxMessage, bot.UTF16Len)
	if len(parts) == 0 {
		parts = []string{"…"}
	}
	return parts, withShare(keyboard(r.Buttons), r.Share)
}

// withShare adds the reply's share button in a row of its own: it opens
// the chat list, and in the chat the user picks starts an inline search
// for the profile ("@nocbot 72106"), whose result posts its card there.
func withShare(kb *tgbotapi.InlineKeyboardMarkup, s *bot.Share) *tgbotapi.InlineKeyboardMarkup {
	if s == nil || oneLine(s.Label) == "" || s.Query == "" {
		return kb
	}
	label := oneLine(s.Label)
	query := s.Query
	row := []tgbotapi.InlineKeyboardButton{{Text: label, SwitchInlineQuery: &query}}
	if kb == nil {
		kb = &tgbotapi.InlineKeyboardMarkup{}
	}
	kb.InlineKeyboard = append(kb.InlineKeyboard, row)
	return kb
}

// keyboard lays buttons out in rows of three. Telegram refuses callback
// data outside 1-64 bytes and buttons without a label: such buttons are
// left out.
func keyboard(buttons []bot.Button) *tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	var row []tgbotapi.InlineKeyboardButton
	n := 0
	for _, b := range buttons {
		label := oneLine(b.Label)
		if b.Data == "" || len(b.Data) > bot.MaxButtonData || label == "" || n == maxButtons {
			continue
		}
		n++
		row = append(row, tgbotapi.NewInlineKeyboardButtonData(label, b.Data))
		if len(row) == buttonsPerRow {
			rows, row = append(rows, row), nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil
	}
	kb := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &kb
}

var tagRE = regexp.MustCompile(`<[^<>]*>`)

// plainText is what an HTML message reads as, for sending without markup
// should Telegram refuse the HTML.
func plainText(s string) string {
	if t := strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(s, ""))); t != "" {
		return t
	}
	return "…"
}
