// Package knowledge holds the occupation profiles nocbot answers from: the
// profile model, the parser for the FLYabroad NOC format, the SQLite store
// the profiles are kept in, and the title index used to find an occupation
// from a job title in either language.
package knowledge

import "strings"

// Lang is a reply or question language.
type Lang string

// The two languages every profile is written in.
const (
	EN Lang = "en"
	ZH Lang = "zh"
)

// ParseLang reads a language name as users and platforms spell it
// ("en", "en-US", "zh", "zh-CN", "zh-hans", "zh-TW", "中文", "english").
// ok is false when the name is not one nocbot speaks.
func ParseLang(s string) (lang Lang, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_") || s == "english" || s == "英文" || s == "英语":
		return EN, true
	case s == "zh" || strings.HasPrefix(s, "zh-") || strings.HasPrefix(s, "zh_") || s == "chinese" || s == "中文" || s == "汉语" || s == "中文简体" || s == "简体中文":
		return ZH, true
	}
	return "", false
}

// Text is one piece of profile text in both languages, as the profile pairs
// them.
type Text struct {
	ZH string
	EN string
}

// In returns the text in lang, falling back to English for an unknown lang.
func (t Text) In(lang Lang) string {
	if lang == ZH {
		return t.ZH
	}
	return t.EN
}

// CrossRef is an entry of a profile's "Classified elsewhere" section: a job
// that looks like it belongs to the unit group but is classified in another.
type CrossRef struct {
	Title Text   // the job, e.g. "Health records clerks"
	Code  string // the unit group it belongs to, e.g. "1411"
	Group Text   // that group's name; empty when the profile does not give it
}

// Profile is one NOC unit group as its profile document describes it.
type Profile struct {
	Code          string // unit group code, e.g. "1252"
	Title         Text   // unit group name
	Lead          Text   // lead statement: what the occupation is and who employs it
	ExampleTitles []Text
	DutiesIntro   Text // lead-in sentence of Main duties
	Duties        []Text
	Requirements  []Text // Employment requirements
	Additional    []Text // Additional information: progression, mobility
	Elsewhere     []CrossRef
	AllTitles     []Text
	Source        string // URL of the official profile
	File          string // name of the file the profile was read from
}

// OwnTitles are the names the profile gives its own occupation: the unit
// group name, the example titles and all titles (not the titles it only
// mentions as classified elsewhere).
func (p *Profile) OwnTitles() []Text {
	out := make([]Text, 0, 1+len(p.ExampleTitles)+len(p.AllTitles))
	out = append(out, p.Title)
	out = append(out, p.ExampleTitles...)
	return append(out, p.AllTitles...)
}
