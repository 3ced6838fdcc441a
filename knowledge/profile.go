// Package knowledge holds the occupation profiles nocbot answers from: one
// profile model for both sources (the bilingual FLYabroad NOC 2011 profiles
// and Statistics Canada's English NOC 2021), the parser for the FLYabroad
// format, the conversion from NOC 2021, nocbot's own Chinese names for the
// NOC 2021 groups, the correspondence between the two classifications, the
// SQLite store the FLYabroad profiles are kept in, and the title index used
// to find an occupation from a job title in either language.
//
// It knows occupations and their sources; it never knows conversations,
// intents or chat platforms.
package knowledge

import (
	"strings"

	"github.com/nocbot/nocbot/knowledge/noc2021"
)

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
// them. NOC 2021 text is English only: its ZH is empty.
type Text struct {
	ZH string
	EN string
	// Heading marks a role sub-heading inside Profile.Duties or
	// Profile.Requirements ("Insurance managers"): the items after it, up
	// to the next heading, are that role's. It is false everywhere else.
	// The lists stay []Text so code that reads them as plain lists keeps
	// working; a renderer that knows about roles shows headings as such.
	Heading bool
}

// In returns the text in lang. A text without Chinese (all of NOC 2021)
// gives its English for ZH, so an answer is never empty for want of a
// translation; Has tells whether the language is really there. An unknown
// lang gives English.
func (t Text) In(lang Lang) string {
	if lang == ZH && t.ZH != "" {
		return t.ZH
	}
	return t.EN
}

// Has reports whether the text is written in lang.
func (t Text) Has(lang Lang) bool {
	if lang == ZH {
		return t.ZH != ""
	}
	return t.EN != ""
}

// CrossRef is an entry of a profile's "Classified elsewhere" section (NOC
// 2021: Exclusions): a job that looks like it belongs to the unit group but
// is classified in another.
type CrossRef struct {
	Title Text   // the job, e.g. "Health records clerks"
	Code  string // the group it belongs to, e.g. "1411", "14100" or the minor group "4001"
	Group Text   // that group's name; empty when the profile does not give it
	// Level is the level of the group Code names in NOC 2021: UnitGroup
	// (5 digits) or MinorGroup (4 digits: "See 4001 Managers in public
	// administration"). Zero in FLYabroad profiles, whose codes are NOC 2011
	// unit groups.
	Level Level
}

// The classifications a profile can come from.
const (
	NOC2011 = "NOC 2011"
	NOC2021 = "NOC 2021 Version 1.0"
)

// The providers of the profiles.
const (
	ProviderFLYabroad = "FLYabroad"
	ProviderStatCan   = "Statistics Canada"
)

// Profile is one NOC unit group as its source describes it: a FLYabroad
// NOC 2011 profile (4-digit code, bilingual) or a Statistics Canada NOC 2021
// unit group (5-digit code, English, with nocbot's own Chinese title).
type Profile struct {
	Code          string // unit group code, e.g. "1252" or "12111"
	Title         Text   // unit group name
	Lead          Text   // lead statement: what the occupation is and who employs it
	ExampleTitles []Text
	DutiesIntro   Text   // lead-in sentence of Main duties
	Duties        []Text // may hold role sub-headings (Text.Heading)
	Requirements  []Text // Employment requirements; may hold role sub-headings
	Additional    []Text // Additional information: progression, mobility
	Elsewhere     []CrossRef
	AllTitles     []Text
	Source        string // URL of the official profile, or of the classification's official pages
	File          string // name of the file the profile was read from

	// Classification is NOC2011 or NOC2021; Provider who wrote the text
	// (ProviderFLYabroad, ProviderStatCan); Attribution the lines a reply
	// quoting the profile must carry (the Statistics Canada licence
	// notices), none for FLYabroad.
	Classification string
	Provider       string
	Attribution    []string

	// TEER is the NOC 2021 TEER category (0–5) when HasTEER; NOC 2011 has
	// no TEER.
	TEER    int
	HasTEER bool

	// TitleZHProject marks Title.ZH (and the Chinese names in Hierarchy
	// and Elsewhere) as nocbot's own translation, not an official one: NOC
	// 2021 is published in English and French only.
	TitleZHProject bool

	// Hierarchy is the groups above the unit group, broad category first
	// (broad category, major, sub-major, minor group); empty for NOC 2011.
	Hierarchy []Group
	// Inclusions are the occupations NOC 2021 says the group includes.
	Inclusions []Text
	// Aliases are everyday Chinese words nocbot takes for this unit group
	// (护士, 焊工): nocbot's own, never shown as titles of the profile.
	Aliases []Text
}

// IsNOC2021 reports whether the profile is a NOC 2021 unit group.
func (p *Profile) IsNOC2021() bool { return p.Classification == NOC2021 }

// Level is a group's depth in NOC 2021; its code has as many digits.
type Level = noc2021.Level

// The levels of NOC 2021.
const (
	BroadCategory = noc2021.BroadCategory
	MajorGroup    = noc2021.MajorGroup
	SubMajorGroup = noc2021.SubMajorGroup
	MinorGroup    = noc2021.MinorGroup
	UnitGroup     = noc2021.UnitGroupLevel
)

// Group is a group of NOC 2021 at any level. Its English title and
// definition are Statistics Canada's; its Chinese title, where nocbot has
// one (broad categories, major and unit groups), is nocbot's own
// translation, never an official one.
type Group struct {
	Level      Level
	Code       string
	Title      Text
	Definition string // the official definition (a unit group's lead statement)
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
