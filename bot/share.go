package bot

import (
	"fmt"
	"strings"

	"github.com/nocbot/nocbot/knowledge"
)

// Deep links. A start payload ("https://t.me/<bot>?start=noc_12111")
// opens a profile in a private chat, as /noc 12111 does; with a section
// ("noc_12111_duties") as that section's command does. Telegram allows
// 1-64 characters of A-Z a-z 0-9 _ - in a payload, and the codes and
// command names keep well within them.

// payloadPrefix starts every payload that opens a profile.
const payloadPrefix = "noc_"

// MaxStartPayload is Telegram's bound on a start payload.
const MaxStartPayload = 64

// StartPayload is the deep-link payload opening the profile code, at the
// section command section ("duties", "education": see Commands), or at
// its overview for "".
func StartPayload(code, section string) string {
	if section == "" || section == "noc" {
		return payloadPrefix + code
	}
	return payloadPrefix + code + "_" + section
}

// parseStartPayload reads a payload StartPayload wrote as the command it
// stands for: "noc_12111" is /noc 12111, "noc_12111_duties" /duties
// 12111. Anything else (a forged or stale payload, one too long, a code
// that is not digits, a section no command answers) is not ok: the
// caller answers /start as it would without one.
func parseStartPayload(s string) (command, bool) {
	if len(s) > MaxStartPayload || !strings.HasPrefix(s, payloadPrefix) {
		return command{}, false
	}
	code, section, cut := strings.Cut(s[len(payloadPrefix):], "_")
	if (len(code) != 4 && len(code) != 5) || !isDigits(code) || (cut && section == "") {
		return command{}, false
	}
	name := "noc"
	if section != "" {
		if _, ok := commandIntent(section); !ok {
			return command{}, false
		}
		name = section
	}
	return command{Name: name, Args: []string{code}, Code: code}, true
}

// TakesOccupation reports whether a command's argument names an
// occupation, by code or title: /noc and the section commands ("/duties
// 72106", "/duties welder"). Adapters offer search while typing there.
func TakesOccupation(command string) bool { return takesCode(command) }

// Share is what a reply's share button passes on: the profile it is
// about. Each platform offers it its own way: Telegram as a button that
// starts an inline search for Query in a chat the user picks, Discord as
// a link to the occupation's official page.
type Share struct {
	Code    string // the profile's code
	Label   string // the share button's label, in the reply's language
	Query   string // what an inline search for the profile types
	Payload string // the deep-link start payload opening it
	// URL is the occupation's official NOC 2021 page, "" when it has
	// none (a NOC 2011 group NOC 2021 split); LinkLabel names it.
	URL, LinkLabel string
}

// esdcProfileURL is the official page of a NOC 2021 unit group.
const esdcProfileURL = "https://noc.esdc.gc.ca/Structure/NOCProfile?GocTemplateCulture=en-CA&code=%s&version=2021.0"

// shareOf is the Share of a reply that answers from a profile, nil for
// any other reply.
func shareOf(p plan, lib *knowledge.Library) *Share {
	switch p.Kind {
	case planSections, planTEER, planLookup, planNothingMore:
	default:
		return nil
	}
	prof, ok := lib.Profile(p.Profile)
	if !ok {
		return nil
	}
	s := &Share{Code: prof.Code, Label: tr(p.Lang, "Share", "分享"), Query: prof.Code, Payload: StartPayload(prof.Code, "")}
	current := prof
	if !prof.IsNOC2021() {
		current, ok = lib.Counterpart(prof.Code)
	}
	if ok && current.IsNOC2021() {
		s.URL = fmt.Sprintf(esdcProfileURL, current.Code)
		s.LinkLabel = tr(p.Lang, "NOC "+current.Code+" official page", "NOC "+current.Code+" 官方页面")
	}
	return s
}

// Card is the short card an inline result posts in a chat: the
// occupation's name, code and TEER, its lead statement, and a link that
// opens its profile in a private chat with the bot (openURL, "" for
// none).
func Card(s Suggestion, openURL string) Reply {
	code := "NOC " + s.Code
	if s.HasTEER {
		code = fmt.Sprintf("NOC 2021 %s · TEER %d", s.Code, s.TEER)
	}
	r := Reply{Lang: s.Lang, Answered: true, Blocks: []Block{
		{Kind: Heading, Text: s.Title},
		{Kind: Paragraph, Text: code},
		{Kind: Paragraph, Text: Clip(s.Lead, maxCardLead)},
	}}
	if openURL != "" {
		r.Blocks = append(r.Blocks, Block{Kind: Link, Text: tr(s.Lang, "Open the full profile in nocbot", "在 nocbot 中查看完整职业档案"), URL: openURL})
	}
	return r
}

// maxCardLead bounds the lead statement on a card: it is a preview.
const maxCardLead = 600
