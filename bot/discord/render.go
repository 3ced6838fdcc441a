package discord

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/knowledge"
)

// Discord's limits, as of API v9/v10.
const (
	maxContent     = 2000 // characters (code points) of a message's content
	maxButtonLabel = 80   // characters of a button label
	maxCustomID    = 100  // characters of a component custom_id
	maxButtonsRow  = 5    // buttons per action row
	maxRows        = 5    // action rows per message
)

// The reply is first rendered to a raw form in which the text from the
// core (which may hold anything a profile or a user wrote) is kept as it is
// and the markup this package adds is written as private-use runes. The
// raw form goes through bot.Split, measuring each piece as it will be sent,
// and each part is then finalised: markers become Markdown and everything
// else is escaped. So escaping never pushes a part over the limit and a
// part can never end between a backslash and the character it escapes.
const (
	mBold      = '\uE000' // "**"
	mLinkOpen  = '\uE001' // "["
	mLinkMid   = '\uE002' // "](<"; the URL that follows is written as it is
	mLinkClose = '\uE003' // ">)"
)

func isMarker(r rune) bool { return r >= mBold && r <= mLinkClose }

// sanitize makes text from the core safe to embed in the raw form: valid
// UTF-8, no marker runes.
func sanitize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if !strings.ContainsFunc(s, isMarker) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isMarker(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// rendered is a reply as Discord messages: the content of each message and
// the buttons, which go on the last one.
type rendered struct {
	parts      []string
	components []discordgo.MessageComponent
}

// render turns a reply into Discord messages.
func render(r bot.Reply) rendered {
	out := rendered{parts: renderText(r, maxContent), components: withShare(buttonRows(r.Buttons), r.Share)}
	if len(out.parts) == 0 {
		// Discord refuses a message with no content and nothing else; the
		// core never answers with nothing, but a Handler might.
		out.parts = []string{escapeMarkdown(noAnswer(r.Lang))}
	}
	return out
}

func noAnswer(lang knowledge.Lang) string {
	if lang == knowledge.ZH {
		return "抱歉，我没有找到答案。"
	}
	return "Sorry, I have no answer to that."
}

// renderText renders the blocks as Discord Markdown, split into messages of
// at most limit characters with bot.Split.
func renderText(r bot.Reply, limit int) []string {
	raw := rawText(r.Blocks)
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	measure := func(s string) int { return utf8.RuneCountInString(finalize(s)) }
	var out []string
	for _, p := range bot.Split(raw, limit, measure) {
		if f := finalize(p); utf8.RuneCountInString(f) <= limit {
			out = append(out, f)
			continue
		}
		// Only a single unbreakable unit (one character with thousands of
		// combining marks, a URL longer than a message) gets here: bot.Split
		// sends such a unit alone rather than cut it, and Discord would
		// refuse it, so it is cut into pieces that are each finalised on
		// their own.
		out = append(out, cutRaw(p, limit)...)
	}
	return out
}

// rawText is the raw form of the blocks: blocks separated by blank lines,
// list items on lines of their own.
func rawText(blocks []bot.Block) string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
	}
	for _, bl := range blocks {
		switch bl.Kind {
		case bot.Heading:
			t := strings.TrimSpace(sanitize(bl.Text))
			if t == "" {
				continue
			}
			sep()
			b.WriteRune(mBold)
			b.WriteString(t)
			b.WriteRune(mBold)
		case bot.List:
			first := true
			for _, it := range bl.Items {
				it = strings.TrimSpace(sanitize(it))
				if it == "" {
					continue
				}
				if first {
					sep()
					first = false
				} else {
					b.WriteString("\n")
				}
				b.WriteString("• ")
				b.WriteString(it)
			}
		case bot.Link:
			label, u := strings.TrimSpace(sanitize(bl.Text)), strings.TrimSpace(bl.URL)
			if u == "" && label == "" {
				continue
			}
			sep()
			switch {
			case !linkable(u):
				// Not a URL Discord would link: shown as text.
				b.WriteString(label)
				if u != "" {
					if label != "" {
						b.WriteString(": ")
					}
					b.WriteString(sanitize(u))
				}
			case label == "":
				b.WriteString(u) // a bare URL, sent as <u>
			default:
				b.WriteRune(mLinkOpen)
				b.WriteString(label)
				b.WriteRune(mLinkMid)
				b.WriteString(u)
				b.WriteRune(mLinkClose)
			}
		default:
			t := strings.TrimSpace(sanitize(bl.Text))
			if t == "" {
				continue
			}
			sep()
			b.WriteString(t)
		}
	}
	return b.String()
}

// linkable reports whether u can be the target of a masked link written
// [label](<u>): an http(s) URL with nothing that would end it early.
func linkable(u string) bool {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return false
	}
	if len(u) > 1000 || !utf8.ValidString(u) {
		return false
	}
	return !strings.ContainsFunc(u, func(r rune) bool {
		return r <= ' ' || r == '<' || r == '>' || r == 0x7f || isMarker(r) || r == '\u2028' || r == '\u2029'
	})
}

// urlRE finds bare URLs in text; they are sent as <url>, where Discord
// applies no Markdown (escaping inside a URL would break it) and shows no
// preview. Trailing punctuation stays outside.
var urlRE = regexp.MustCompile(`https?://[^\s<>()\x{E000}-\x{E003}]*[^\s<>()\x{E000}-\x{E003}.,;:!?'"，。；：！？]`)

// markdownSpecial are the characters that are Markdown (or a mention, a
// custom emoji, a timestamp: <…>) anywhere in a Discord message.
const markdownSpecial = "\\*_~`|>#-[]()<"

// finalize turns raw text into what is sent: markers become Markdown, URLs
// are wrapped in <>, every other character that Discord could read as
// markup is escaped with a backslash.
func finalize(raw string) string {
	var b strings.Builder
	b.Grow(len(raw) + len(raw)/8)
	inURL := false // between mLinkMid and mLinkClose: written as it is
	lineStart := true
	digits := false // only digits since the start of the line
	urls := urlRE.FindAllStringIndex(raw, -1)
	for i := 0; i < len(raw); {
		if !inURL && len(urls) > 0 && i == urls[0][0] {
			b.WriteByte('<')
			b.WriteString(raw[urls[0][0]:urls[0][1]])
			b.WriteByte('>')
			i = urls[0][1]
			urls = urls[1:]
			lineStart, digits = false, false
			continue
		}
		for len(urls) > 0 && urls[0][0] < i {
			urls = urls[1:]
		}
		r, size := utf8.DecodeRuneInString(raw[i:])
		i += size
		switch {
		case r == mBold:
			b.WriteString("**")
		case r == mLinkOpen:
			b.WriteString("[")
		case r == mLinkMid:
			b.WriteString("](<")
			inURL = true
		case r == mLinkClose:
			b.WriteString(">)")
			inURL = false
		case inURL:
			b.WriteRune(r)
		case strings.ContainsRune(markdownSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '.' && digits:
			// "1. " at the start of a line is a numbered list.
			b.WriteString(`\.`)
		case r == '+' && lineStart:
			b.WriteString(`\+`)
		default:
			b.WriteRune(r)
		}
		switch {
		case r == '\n':
			lineStart, digits = true, false
		case lineStart && (r == ' ' || r == '\t'):
			// Indented list markers are still list markers.
		case (lineStart || digits) && r >= '0' && r <= '9':
			lineStart, digits = false, true
		default:
			lineStart, digits = false, false
		}
	}
	return b.String()
}

// escapeMarkdown escapes plain text for a Discord message.
func escapeMarkdown(s string) string { return finalize(sanitize(s)) }

// cutRaw cuts raw text into pieces that finalise to at most limit
// characters each, taking as much as fits each time.
func cutRaw(raw string, limit int) []string {
	var out []string
	runes := []rune(raw)
	for len(runes) > 0 {
		fits := func(k int) bool { return utf8.RuneCountInString(finalize(string(runes[:k]))) <= limit }
		lo, hi := 1, len(runes) // lo fits (a rune finalises to at most 3 characters)
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if fits(mid) {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		if f := strings.TrimSpace(finalize(string(runes[:lo]))); f != "" {
			out = append(out, f)
		}
		runes = runes[lo:]
	}
	return out
}

// buttonRows lays the reply's buttons out in action rows: at most five a
// row, five rows. A button Discord would refuse (no data, data over 100
// characters, data used twice) is left out; labels are cut to 80
// characters.
func buttonRows(buttons []bot.Button) []discordgo.MessageComponent {
	var rows []discordgo.MessageComponent
	var row []discordgo.MessageComponent
	seen := map[string]bool{}
	n := 0
	for _, btn := range buttons {
		if n == maxButtonsRow*maxRows {
			break
		}
		id := btn.Data
		if id == "" || utf8.RuneCountInString(id) > maxCustomID || !utf8.ValidString(id) || seen[id] {
			continue
		}
		seen[id] = true
		label := buttonLabel(btn.Label, id)
		row = append(row, discordgo.Button{Label: label, Style: discordgo.SecondaryButton, CustomID: id})
		n++
		if len(row) == maxButtonsRow {
			rows = append(rows, discordgo.ActionsRow{Components: row})
			row = nil
		}
	}
	if len(row) > 0 {
		rows = append(rows, discordgo.ActionsRow{Components: row})
	}
	return rows
}

func buttonLabel(label, data string) string {
	label = strings.Join(strings.Fields(strings.ToValidUTF8(label, "\uFFFD")), " ")
	if label == "" {
		label = data
	}
	if utf8.RuneCountInString(label) <= maxButtonLabel {
		return label
	}
	r := []rune(label)
	return string(r[:maxButtonLabel-1]) + "…"
}

// withShare adds the reply's share link, a link button to the
// occupation's official page that anyone can open or pass on, to the last
// row with room, or a row of its own; none when the rows are full or the
// profile has no page.
func withShare(rows []discordgo.MessageComponent, s *bot.Share) []discordgo.MessageComponent {
	if s == nil || s.URL == "" || !strings.HasPrefix(s.URL, "https://") {
		return rows
	}
	link := discordgo.Button{Label: buttonLabel(s.LinkLabel, s.Code), Style: discordgo.LinkButton, URL: s.URL}
	if n := len(rows); n > 0 {
		if last, ok := rows[n-1].(discordgo.ActionsRow); ok && len(last.Components) < maxButtonsRow {
			last.Components = append(last.Components, link)
			rows[n-1] = last
			return rows
		}
	}
	if len(rows) == maxRows {
		return rows
	}
	return append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{link}})
}
