package facts

import (
	"strings"
	"unicode/utf8"
)

// englishWords splits English text into words of letters and digits,
// lower-cased and stemmed, remembering which were capitalised.
func englishWords(s string) []word {
	out := make([]word, 0, len(s)/6+1) // about one word in six bytes of English
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		raw := s[start:end]
		start = -1
		lower := raw
		if hasUpper(raw) { // most words are lower case already: no copy
			lower = strings.ToLower(raw)
		}
		out = append(out, word{lower: lower, stem: Stem(lower), capital: raw[0] >= 'A' && raw[0] <= 'Z'})
	}
	for i, r := range s {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// suffixes are the endings Stem folds, longest first: plurals and the
// endings that turn one word of a family into another (classify,
// classified, classification; supervise, supervisor, supervisory).
// "-al" is not folded: "clinical" is not "clinic".
var suffixes = [...]string{
	"ications", "ication", "ations", "ation", "ements", "ement", "ments", "ment",
	"icates", "icate", "ories", "itions", "ition", "ions", "ion",
	"ings", "ing", "ier", "ied", "ies", "ory", "ors", "ers", "or", "er", "ed", "es", "s", "e", "y",
}

// Stem folds an English word (lower case) to the stem its family shares,
// so that "clinics" finds "clinic" and "coding" finds "code". It is a
// folding for matching, not a linguistic stem: words of three letters or
// fewer, and words ending in ss, us or is, keep their ending.
func Stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	last := w[len(w)-1]
	for _, suf := range suffixes {
		if suf[len(suf)-1] != last || !strings.HasSuffix(w, suf) || len(w)-len(suf) < 3 {
			continue
		}
		if suf == "s" && (strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is")) {
			return w
		}
		return w[:len(w)-len(suf)]
	}
	return w
}

// stopWord reports whether an English word (lower case) says nothing a
// sentence could hold: function words, question words, and the words
// every question about a job uses (job, work, need, do).
func stopWord(w string) bool {
	_, ok := stopWords[w]
	return ok
}

var stopWords = setOf(`a an the and or but if of in on at to for from by with about as into onto than then so too very
also just i im ive id me my mine we our us you your youre he she him his her hers they them their theirs it its
this that these those there here what whats which who whom whose when where why how do does did doing done dont doesnt didnt
be is isnt are arent was wasnt were been being am have has had having havent will wont would shall should can cant cannot could couldnt
may might must need needs needed needing get gets got getting gotta make makes making go goes going want wants wanna like
tell know let lets please ok okay yes no not any anything some something all more most much many one ones kind sort thing things
job jobs work works worked working occupation occupations career careers position positions role roles field profession
people person someone somebody anyone anybody usually really actually still even only well oh hi hey thanks thank also else
other others able allowed possible possibly ever often always sometimes normally typically generally own every each
involve involves involved involving include includes included including use uses used using require requires required
requirement requirements deal deals dealing handle handles mean means meaning exactly part main
stand stands full form abbreviation acronym short good bad hard easy best better new lot lots way ways time without
with within ask asked later soon eventually someday day now after afterwards first already currently today`)

// sectionWords name a section of the profile rather than a fact in it:
// "what are the duties?", "what education do I need?". A question made of
// them and stop words is a question for the section.
var sectionWords = setOf(`duty duties task tasks responsibility responsibilities responsible describe description overview
education educational qualification qualifications qual quals prerequisite prerequisites req reqs prereq prereqs
promotion promotions promote promoted advance advancement advancing progress career path ladder
title titles name names called call example examples related similar elsewhere source sources information info
noc teer employment employer employers become becoming day daily typical`)

// BareSection reports the section a question made of a section word
// alone asks for ("quals?" → the requirements, "升职?" → advancement), as
// the classifier normalised it. Only the whole question counts: in a
// longer one the same word frames a fact.
func BareSection(normalized string) (Section, bool) {
	switch strings.TrimSpace(normalized) {
	case "overview", "description", "概况", "介绍", "简介":
		return Lead, true
	case "duty", "duties", "task", "tasks", "responsibilities", "职责", "任务", "工作内容":
		return Duties, true
	case "qual", "quals", "qualification", "qualifications", "prereq", "prereqs", "prerequisite", "prerequisites",
		"req", "reqs", "requirements", "education", "学历", "资格", "文凭", "任职要求", "要求", "条件":
		return Requirements, true
	case "promotion", "promotions", "advancement", "progression", "升职", "晋升", "升迁", "发展", "前途":
		return Additional, true
	case "titles", "职称", "头衔":
		return ExampleTitles, true
	}
	return 0, false
}

func setOf(words string) map[string]struct{} {
	m := map[string]struct{}{}
	for _, w := range strings.Fields(words) {
		m[w] = struct{}{}
	}
	return m
}
