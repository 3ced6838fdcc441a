package bot

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/knowledge/jobmatch"
)

// input is one message as the core reads it before deciding anything: a
// pressed button, a command, or a typed question with the matcher's
// reading of it.
type input struct {
	Button   string         // Data of a pressed button
	Command  *command       // a typed "/name args"
	Text     string         // what was typed, trimmed
	Res      intents.Result // the matcher's reading of a typed question
	UserLang string         // the platform's language setting
	// Script is the Chinese script the question was typed in, as far as
	// its characters tell (the conversation's when they do not).
	Script script
	// Facts finds the sentences of a profile that hold a fact asked
	// about; nil: questions are answered by whole sections.
	Facts factFinder
	// Jobs is what the description of someone's own duties matched (a
	// /match, or a question read as one); nil when none was matched.
	Jobs *jobmatch.Result
}

// decider holds what deciding one message reads, and the reply language
// as the decision goes.
type decider struct {
	lib  *knowledge.Library
	sess session // as the message found it
	in   input
	// current is the code of the profile the conversation is about: the
	// one discussed last, or the only one there is; "" for none.
	current string
	lang    knowledge.Lang
	pin     bool // the message chose the reply language
	// script is the Chinese script of the reply; scriptPin: the message
	// chose it.
	script    script
	scriptPin bool
}

// decide makes the plan for one message: what was asked, what to answer,
// and what the session remembers afterwards. It reads the library but
// words nothing. home is the occupation a question that names none is
// about when the conversation has none yet ("" for none).
func decide(lib *knowledge.Library, sess session, in input, home string) plan {
	d := &decider{lib: lib, sess: sess, in: in, lang: defaultLang(sess, in.UserLang), script: in.Script}
	if sess.ScriptPinned {
		d.script = sess.Script
	}
	// The profile the conversation is about: the one discussed last, else
	// the deployment's home occupation, else the only one there is.
	all := lib.Profiles()
	switch {
	case d.known(sess.Profile):
		d.current = sess.Profile
	case d.known(home):
		d.current = home
	case home == "" && len(all) == 1:
		d.current = all[0].Code
	}
	var p plan
	switch {
	case in.Button != "":
		p = d.button(in.Button)
	case in.Command != nil:
		p = d.command(*in.Command)
	default:
		p = d.question()
	}
	p.Lang = d.lang
	p.Script = d.script
	p.Session = d.remember(p)
	return p
}

// defaultLang is the reply language before the message is read: the
// language of the conversation so far (the user's choice, if they made
// one), else the platform setting, else English.
func defaultLang(s session, platformLang string) knowledge.Lang {
	if s.Lang != "" {
		return s.Lang
	}
	if l, ok := knowledge.ParseLang(platformLang); ok {
		return l
	}
	return knowledge.EN
}

// remember is the session after p: the reply language; the profile a
// section answer or a title lookup was about; what "tell me more"
// continues a section answer with; and the section answered last, which
// follow-ups ("what about 1253?") and a language switch ask again.
func (d *decider) remember(p plan) session {
	s := d.sess
	s.Lang = p.Lang
	s.LangPinned = s.LangPinned || d.pin
	s.Script = d.script
	s.ScriptPinned = s.ScriptPinned || d.scriptPin
	switch {
	case p.Kind == planSections || p.Kind == planFact:
		s.Profile, s.More = d.canonical(p.Profile), p.More
	case (p.Kind == planLookup || p.Kind == planTEER) && p.Profile != "":
		// "tell me more" continued the last section answer, about the
		// occupation the conversation was on: not after another.
		s.Profile, s.More = d.canonical(p.Profile), ""
	}
	last := p.Intent
	if p.Kind == planSections && hasSection(p.Also) {
		last = lastSection(p.Intent, p.Also)
	}
	if p.Answered && last != intents.OutOfScope && last != "" && p.Kind != planPickRange {
		s.LastIntent = last
	}
	return s
}

// question decides a typed question. The recognisers are tried in order
// and the first that claims the message decides it; the order matters
// where two could claim it:
//
//   - nothing typed is a request for help;
//   - a script or language switch ("用繁體", "in English please") comes
//     before everything: the matcher reads it as whatever the rest of its
//     words say;
//   - "tell me more" continues the last answer, whatever the matcher
//     reads in it; with nothing to continue it claims nothing;
//   - small talk ("bye", "ok", "who are you") comes before the intents:
//     the matcher reads it as out of scope, which is true but no reply;
//   - a message that opens like a description of the person's own job
//     ("my duties: …", 我负责…), reads as a question about duties or as
//     nothing known, and matches some unit groups' duties well is
//     answered with them;
//   - then what is neither small talk nor a plain section (specific): a
//     button number beyond those offered, "what's NOC?", "all titles",
//     "now 1252", two occupations compared, a specific fact or yes/no
//     question, a compound question that starts out of scope;
//   - the intents that are not sections (greeting, thanks, help, lookup,
//     out of scope) are answered without a profile;
//   - what is left asks for sections of a profile.
//
// The recognisers are called one by one, not from a table of functions:
// a call through a function value would put the decider on the heap for
// every message.
func (d *decider) question() plan {
	d.lang = d.replyLang()
	if p, ok := d.nothingTyped(); ok {
		return p
	}
	if p, ok := d.scriptSwitch(); ok {
		return p
	}
	if p, ok := d.languageSwitch(); ok {
		return p
	}
	if p, ok := d.moreRequest(); ok {
		return p
	}
	if p, ok := d.smallTalk(); ok {
		return p
	}
	if p, ok := d.ownJob(); ok {
		return p
	}
	if p, ok := d.specific(); ok {
		return p
	}
	if p, ok := d.notASection(); ok {
		return p
	}
	return d.sectionQuestion()
}

// replyLang is the language to answer a typed question in: the pinned
// choice, else the question's own language when it has words to tell by.
func (d *decider) replyLang() knowledge.Lang {
	if d.sess.LangPinned {
		return d.lang
	}
	if d.in.Res.Lang == knowledge.ZH || hasLatinWord(d.in.Text) {
		return d.in.Res.Lang
	}
	return d.lang
}

// hasLatinWord reports whether text holds a word of two or more letters:
// "1252" or "?" say nothing about the language.
func hasLatinWord(s string) bool {
	run := 0
	for _, r := range s {
		if r < 0x250 && unicode.IsLetter(r) {
			run++
			if run >= 2 {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

func (d *decider) nothingTyped() (plan, bool) {
	if d.in.Text != "" {
		return plan{}, false
	}
	return d.help(), true
}

// languageSwitch pins the reply language and says the last answer again
// in it, or greets when there is none.
func (d *decider) languageSwitch() (plan, bool) {
	l := d.in.Res.LangRequest
	if l == "" {
		return plan{}, false
	}
	d.lang, d.pin = l, true
	if d.sess.LastIntent != "" && d.sess.Profile != "" {
		if p, asked, ok := d.resolve(d.sess.Profile); ok {
			pl := d.answer(p, d.sess.LastIntent, false)
			pl.Asked = asked
			return pl, true
		}
	}
	return d.greeting(), true
}

// moreRequest continues the last answer ("tell me more"): its long form
// where it has one, else a word that there is nothing more, with what
// else to ask; with no section answered yet it claims nothing.
func (d *decider) moreRequest() (plan, bool) {
	if !d.in.Res.More {
		return plan{}, false
	}
	if d.sess.More != "" {
		return d.button(d.sess.More), true
	}
	p, _, ok := d.resolve(d.sess.Profile)
	if !ok || !d.sess.LastIntent.Section() {
		return plan{}, false
	}
	return plan{Kind: planNothingMore, Intent: d.sess.LastIntent, Answered: true, Profile: p.Code}, true
}

// smallTalk answers goodbyes, acknowledgements, "who are you" and insults.
func (d *decider) smallTalk() (plan, bool) {
	switch d.in.Res.SmallTalk {
	case intents.Farewell:
		return plan{Kind: planFarewell, Intent: intents.Thanks, Answered: true}, true
	case intents.Acknowledgement:
		return plan{Kind: planAcknowledge, Intent: intents.Thanks, Answered: true, Profile: d.currentCode()}, true
	case intents.Identity:
		return d.help(), true
	case intents.Insult:
		// Not a question, so not "out of scope": an apology and what the
		// profiles can answer.
		return plan{Kind: planInsult, Intent: intents.OutOfScope, Answered: true, Profile: d.currentCode()}, true
	}
	return plan{}, false
}

// notASection answers the intents no profile section answers.
func (d *decider) notASection() (plan, bool) {
	switch d.in.Res.Intent {
	case intents.Greeting:
		return d.greeting(), true
	case intents.Thanks:
		return plan{Kind: planWelcome, Intent: intents.Thanks, Answered: true, Profile: d.currentCode()}, true
	case intents.Help:
		return d.help(), true
	case intents.Lookup:
		return d.lookup(), true
	case intents.Teer:
		return d.teer(), true
	case intents.Match:
		return d.match(), true
	case intents.OutOfScope:
		if d.in.Jobs != nil && d.in.Jobs.Good() {
			return d.match(), true // a pasted job posting
		}
		return d.outOfScope(), true
	}
	return plan{}, false
}

// outOfScope answers what the matcher could not place. Before calling it
// out of scope it tries, in order: a career topic the profiles do not
// cover is named as such; a known title among the words ("我想了解病历技师")
// is looked up; a few words may be a job title the profiles word
// differently ("medical coder" is not listed, "health records management
// coder" is), or an occupation no profile covers.
func (d *decider) outOfScope() plan {
	res := d.in.Res
	tp := res.Topic
	switch {
	case tp != noTopic:
		// Named in the answer.
	case len(res.Titles) > 0:
		return d.lookup()
	case !fewWords(res.Normalized):
		// Too many words for a job title.
	case res.Occupation != "":
		return d.unknownOccupation(res.Occupation, intents.OutOfScope)
	default:
		if s := d.lib.SuggestTitles(res.Normalized, maxSuggestions); len(s) > 0 {
			return plan{Kind: planNotATitle, Intent: intents.OutOfScope, Suggest: s}
		}
	}
	return plan{Kind: planOutOfScope, Intent: intents.OutOfScope, Topic: tp, Profile: d.currentCode()}
}

// lookup says where the title a question names belongs, and makes its
// profile the one the conversation is about. It never guesses: a title no
// profile lists is said to be unknown, with titles of similar words.
func (d *decider) lookup() plan {
	res := d.in.Res
	if len(res.Titles) == 0 {
		return plan{Kind: planNoSuchTitle, Intent: intents.Lookup, Suggest: d.lib.SuggestTitles(res.Normalized, maxSuggestions)}
	}
	if choices := sameTitle(d.lib, res.Titles); len(choices) > 1 {
		return plan{Kind: planChooseTitle, Intent: intents.Lookup, Answered: true, Title: res.Titles[0], Suggest: choices}
	}
	p := plan{Kind: planLookup, Intent: intents.Lookup, Answered: true, Title: res.Titles[0]}
	if _, ok := d.lib.Profile(p.Title.Code); ok {
		p.Profile = p.Title.Code
	}
	return p
}

// teer answers the NOC 2021 code and TEER of the occupation the question
// names (a code, old or new, or a title), else of the one the
// conversation is about; "what does TEER 2 mean" with no occupation named
// explains that category.
func (d *decider) teer() plan {
	res := d.in.Res
	code := res.Code
	if code == "" && len(res.Titles) > 0 {
		if choices := sameTitle(d.lib, res.Titles); len(choices) > 1 {
			return plan{Kind: planChooseTitle, Intent: intents.Teer, Answered: true, Title: res.Titles[0], Suggest: choices}
		}
		code = res.Titles[0].Code
	}
	if category, ok := teerCategory(res.TEER); code == "" && ok {
		return plan{Kind: planTEER, Intent: intents.Teer, Answered: true, Category: category, AboutCategory: true, Profile: d.currentCode()}
	}
	if code == "" {
		code = d.current
	}
	if code == "" {
		return d.choose(intents.Teer, nil)
	}
	p, asked, ok := d.resolve(code)
	if !ok {
		return d.unknownCode(code, intents.Teer)
	}
	if len(res.Code) == 4 {
		asked = res.Code // "is 1252 still valid?": say what it became
	}
	return plan{Kind: planTEER, Intent: intents.Teer, Answered: true, Profile: p.Code, Asked: asked}
}

// sectionQuestion answers sections of the profile the question is about:
// the one its code names, else the one of the title it names, else —
// unless it names an occupation no profile covers — the one the
// conversation is about; with none, it asks which.
func (d *decider) sectionQuestion() plan {
	res := d.in.Res
	in := res.Intent
	// A bare code or occupation after a section answer asks the same about
	// another group: "what about 1253?", "what about nurses?".
	if (res.Code != "" || res.Occupation != "") && in == intents.Description && bareFollowUp(d.sess.LastIntent) {
		if d.sess.LastIntent == intents.Teer {
			return d.teer()
		}
		in = d.sess.LastIntent
	}
	switch {
	case res.Code != "":
		if p, asked, ok := d.resolve(res.Code); ok {
			pl := d.sections(p, in, res.Also)
			pl.Asked = asked
			return pl
		}
		return d.unknownCode(res.Code, in)
	case len(res.Titles) > 0:
		if choices := sameTitle(d.lib, res.Titles); len(choices) > 1 {
			return plan{Kind: planChooseTitle, Intent: in, Also: res.Also, Answered: true, Title: res.Titles[0], Suggest: choices}
		}
		if p, _, ok := d.resolve(res.Titles[0].Code); ok {
			return d.sections(p, in, res.Also)
		}
		// A title classified in a group nobody has a profile for: say
		// where it belongs.
		return plan{Kind: planLookup, Intent: in, Answered: true, Title: res.Titles[0]}
	case res.Occupation != "":
		return d.unknownOccupation(res.Occupation, in)
	case d.current != "":
		if p, _, ok := d.resolve(d.current); ok {
			return d.sections(p, in, res.Also)
		}
	}
	return d.choose(in, res.Also)
}

// teerCategory reads a TEER category the matcher found: 0 to 5.
func teerCategory(s string) (int, bool) {
	if len(s) != 1 || s[0] < '0' || s[0] > '5' {
		return 0, false
	}
	return int(s[0] - '0'), true
}

func bareFollowUp(last intents.Intent) bool {
	switch last {
	case intents.Duties, intents.Requirements, intents.Advancement, intents.Titles, intents.Related, intents.Source, intents.Teer:
		return true
	}
	return false
}

// command decides "/name args".
func (d *decider) command(cmd command) plan {
	if !d.sess.LangPinned && knowledge.HasHan(cmd.Rest) {
		// A command's own Chinese words ("/duties 护士") ask in Chinese,
		// whatever the platform's language.
		d.lang = knowledge.ZH
	}
	if in, ok := commandIntent(cmd.Name); ok {
		switch {
		case len(cmd.Args) > 0 && !isDigits(cmd.Code):
			return d.byName(in)
		case len(cmd.Args) > 0:
			return d.byCode(cmd.Code, in)
		case d.current != "":
			if p, _, ok := d.resolve(d.current); ok {
				return d.answer(p, in, false)
			}
		}
		return d.choose(in, nil)
	}
	switch cmd.Name {
	case "start":
		p := d.greeting()
		p.Intent = intents.Help
		return p
	case "help":
		return d.help()
	case "noc":
		switch {
		case len(cmd.Args) == 0:
			return d.choose(intents.Description, nil)
		case !isDigits(cmd.Code):
			return d.byName(intents.Description)
		}
		return d.byCode(cmd.Code, intents.Description)
	case "match":
		return d.match()
	case "lang", "language":
		if len(cmd.Args) > 0 {
			if sc, ok := scriptOf(cmd.Args[0]); ok {
				return d.setScript(sc)
			}
			if l, ok := knowledge.ParseLang(cmd.Args[0]); ok {
				return d.setLang(l)
			}
		}
		return plan{Kind: planLangMenu, Intent: intents.Help, Answered: true}
	}
	return plan{Kind: planUnknownCommand, Intent: intents.Help, Command: cmd.Name, Profile: d.currentCode()}
}

// byName answers a command whose argument is words, not a code ("/duties
// nurse", "/noc welder"): the occupation its title names, else the titles
// of similar words.
func (d *decider) byName(in intents.Intent) plan {
	res := d.in.Res
	if len(res.Titles) == 0 {
		// Words that name no title ("/duties please"): the command about
		// the conversation's occupation, when there is one.
		if p, _, ok := d.resolve(d.current); ok && d.current != "" {
			return d.answer(p, in, false)
		}
		return plan{Kind: planNoSuchTitle, Intent: intents.Lookup, Suggest: d.lib.SuggestTitles(res.Normalized, maxSuggestions)}
	}
	if choices := sameTitle(d.lib, res.Titles); len(choices) > 1 {
		return plan{Kind: planChooseTitle, Intent: in, Answered: true, Title: res.Titles[0], Suggest: choices}
	}
	return d.byCode(res.Titles[0].Code, in)
}

func (d *decider) byCode(code string, in intents.Intent) plan {
	if p, asked, ok := d.resolve(code); ok {
		pl := d.answer(p, in, false)
		pl.Asked = asked
		return pl
	}
	return d.unknownCode(code, in)
}

// button decides a pressed Button by its Data (see intentData).
func (d *decider) button(data string) plan {
	kind, rest, _ := strings.Cut(data, ":")
	switch kind {
	case "i":
		if p, ok := d.intentButton(rest); ok {
			return p
		}
	case "all":
		if p, _, ok := d.resolve(rest); ok {
			return d.answer(p, intents.Titles, true)
		}
	case "lang":
		if sc, ok := scriptOf(rest); ok {
			return d.setScript(sc)
		}
		if l, ok := knowledge.ParseLang(rest); ok {
			return d.setLang(l)
		}
	}
	// A button from an older version or a profile since removed.
	p := d.help()
	p.Answered = false
	return p
}

// intentButton decides "<intent>[+<intent>...]:<code>": sections of a
// profile, the further ones those of a compound question carried by a
// choice button.
func (d *decider) intentButton(rest string) (plan, bool) {
	names, code, _ := strings.Cut(rest, ":")
	p, _, ok := d.resolve(code)
	first, more, _ := strings.Cut(names, "+")
	in := intents.Intent(first)
	if !in.Valid() || !ok {
		return plan{}, false
	}
	if in == intents.Teer {
		return plan{Kind: planTEER, Intent: intents.Teer, Answered: true, Profile: p.Code}, true
	}
	if more == "" {
		return d.answer(p, in, false), true
	}
	var also []intents.Intent
	for _, name := range strings.Split(more, "+") {
		a := intents.Intent(name)
		if !in.Section() || !a.Section() || len(also) == intents.MaxSections-1 {
			return d.answer(p, in, false), true
		}
		also = append(also, a)
	}
	return d.sections(p, in, also), true
}

func (d *decider) help() plan {
	return plan{Kind: planHelp, Intent: intents.Help, Answered: true, Profile: d.currentCode()}
}

func (d *decider) greeting() plan {
	return plan{Kind: planGreeting, Intent: intents.Greeting, Answered: true, Profile: d.currentCode()}
}

func (d *decider) setLang(l knowledge.Lang) plan {
	d.lang, d.pin = l, true
	return plan{Kind: planLangSet, Intent: intents.Help, Answered: true, Profile: d.currentCode()}
}

// known reports whether code names a profile, directly or through the
// correspondence.
func (d *decider) known(code string) bool {
	_, _, ok := d.resolve(code)
	return code != "" && ok
}

// resolve picks the profile that answers about code in the reply
// language: the current classification where it has that language. A NOC
// 2021 group with a bilingual NOC 2011 counterpart answers Chinese
// questions from the counterpart (12111 → FLYabroad 1252); a NOC 2011
// profile answers English ones from its NOC 2021 successor (1252 → 12111).
// An old code with no profile of its own answers from the NOC 2021 group
// that continues it (1253 → 12112), and asked is that old code, for the
// reply to say what became of it.
func (d *decider) resolve(code string) (p *knowledge.Profile, asked string, ok bool) {
	if p, ok := d.lib.Profile(code); ok {
		c, hasCounterpart := d.lib.Counterpart(code)
		switch {
		case !hasCounterpart:
		case p.IsNOC2021() && d.lang == knowledge.ZH && !c.IsNOC2021() && c.Lead.Has(knowledge.ZH):
			return c, "", true
		case !p.IsNOC2021() && d.lang == knowledge.EN && c.IsNOC2021():
			return c, "", true
		}
		return p, "", true
	}
	if len(code) != 4 || !isDigits(code) {
		return nil, "", false // "12" is a NOC 2021 major group, no old code
	}
	if p := continuation(d.lib, code); p != nil {
		return p, code, true
	}
	return nil, "", false
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// continuation is the NOC 2021 group that continues an old NOC 2011/2016
// code: the one of the same name, else the one the correspondence's note
// says it "continues as", else the first; nil for a code NOC 2021 does
// not know.
func continuation(lib *knowledge.Library, code string) *knowledge.Profile {
	links := lib.Successors(code)
	if len(links) == 0 {
		return nil
	}
	best := links[0].NOC2021Code
	for _, l := range links {
		if strings.EqualFold(l.NOC2016Title, l.NOC2021Title) || strings.Contains(l.Notes, "continues as "+l.NOC2021Code) {
			best = l.NOC2021Code
			break
		}
	}
	p, _ := lib.Profile(best)
	return p
}

// canonical is the code a session remembers for the profile code: the
// NOC 2021 group where the profile has one, so that a change of language
// later answers from whichever text has the new language.
func (d *decider) canonical(code string) string {
	if p, ok := d.lib.Profile(code); ok && !p.IsNOC2021() {
		if c, ok := d.lib.Counterpart(code); ok {
			return c.Code
		}
	}
	return code
}

// currentCode is the code of the profile the conversation is about, as
// the reply language would answer from it; "" for none.
func (d *decider) currentCode() string {
	if p, _, ok := d.resolve(d.current); ok && d.current != "" {
		return p.Code
	}
	return ""
}

// sameTitle lists the matches as good as the best one in different unit
// groups (a title several groups list, such as "supervisor"), so the
// reply can offer a choice instead of picking one; none when the best is
// alone.
func sameTitle(lib *knowledge.Library, matches []knowledge.TitleMatch) []knowledge.TitleMatch {
	if len(matches) < 2 || matches[0].Kind == knowledge.KindGroup {
		return nil
	}
	top := slices.DeleteFunc(knowledge.TopMatches(matches), knowledge.TitleMatch.Elsewhere)
	// One occupation in both classifications (FLYabroad 1252 and NOC 2021
	// 12111) is no choice: the NOC 2021 group stays, and resolve picks the
	// text by language.
	top = slices.DeleteFunc(top, func(m knowledge.TitleMatch) bool {
		return slices.ContainsFunc(lib.Successors(m.Code), func(l knowledge.Link) bool {
			return slices.ContainsFunc(top, func(o knowledge.TitleMatch) bool { return o.Code == l.NOC2021Code })
		})
	})
	if len(top) < 2 {
		return nil
	}
	return top[:min(len(top), maxChoiceButtons)]
}

// answer answers one intent from a profile; one that is no section (a
// button or a session from before) gets the overview, and nothing more to
// tell.
func (d *decider) answer(p *knowledge.Profile, in intents.Intent, full bool) plan {
	if in == intents.Teer {
		return plan{Kind: planTEER, Intent: intents.Teer, Answered: true, Profile: p.Code}
	}
	if in.Section() {
		pl := d.sections(p, in, nil)
		pl.Full = full
		pl.More = moreData(p, in, full)
		return pl
	}
	pl := d.sections(p, intents.Description, nil)
	pl.More = ""
	return pl
}

// sections answers a section and the further ones a compound question
// asked for, one after another; "tell me more" then continues the last.
func (d *decider) sections(p *knowledge.Profile, in intents.Intent, also []intents.Intent) plan {
	last := lastSection(in, also)
	pl := plan{Kind: planSections, Intent: in, Also: also, Profile: p.Code, More: moreData(p, last, false),
		Answered: in != intents.Advancement || len(p.Additional) > 0}
	if in == intents.OutOfScope || slices.Contains(also, intents.OutOfScope) {
		pl.Topics = partTopics(d.in.Res)
	}
	return pl
}

// moreData is what "tell me more" continues a section answer with: every
// title after the examples, the duties after the overview.
func moreData(p *knowledge.Profile, in intents.Intent, full bool) string {
	switch {
	case in == intents.Titles && !full && len(p.AllTitles) > len(p.ExampleTitles):
		return allTitlesData(p.Code)
	case in == intents.Description:
		return intentData(p.Code, intents.Duties)
	}
	return ""
}

// choose asks which profile a question is about when several could be
// meant; each choice answers the question.
func (d *decider) choose(in intents.Intent, also []intents.Intent) plan {
	return plan{Kind: planChoose, Intent: in, Also: also, Answered: true}
}

// unknownOccupation answers a question about an occupation no profile
// covers ("what education does a dentist need") by saying so, instead of
// answering from another occupation's profile; it offers the titles that
// name the occupation, or the same question about the profiles there are.
func (d *decider) unknownOccupation(occupationWord string, in intents.Intent) plan {
	var named []knowledge.TitleMatch
	for _, m := range d.lib.SuggestTitles(occupationWord, maxSuggestions) {
		if titleNames(m.Title, occupationWord) {
			named = append(named, m)
		}
	}
	offer := in
	if in == intents.OutOfScope {
		offer = intents.Description // the buttons offer what the profiles hold
	}
	return plan{Kind: planUnknownOccupation, Intent: in, Occupation: occupationWord, Suggest: named, Offer: offer}
}

func (d *decider) unknownCode(code string, in intents.Intent) plan {
	return plan{Kind: planUnknownCode, Intent: in, Code: code, Offer: in}
}

// titleNames reports whether a title names the occupation word itself, as
// "health records clerks" names "clerk" and 健康记录员 names 记录员: a title
// that merely shares a character or a neighbouring word is no answer to a
// question about that occupation.
func titleNames(t knowledge.Text, word string) bool {
	if word == "" {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(word); r >= utf8.RuneSelf {
		return strings.Contains(t.ZH, word)
	}
	plural := word + "s"
	if strings.HasSuffix(word, "y") {
		plural = word[:len(word)-1] + "ies"
	}
	for _, f := range strings.FieldsFunc(strings.ToLower(t.EN), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if f == word || f == plural || f == word+"es" {
			return true
		}
	}
	return false
}

// fewWords reports whether a normalised question is short enough to be a
// bare job title: four English words at most, ten Chinese characters at
// most.
func fewWords(normalized string) bool {
	words, han := countWords(normalized)
	return words+han > 0 && words <= 4 && han <= 10
}

// countWords counts a normalised question's words that are not Chinese
// and its Chinese characters.
func countWords(normalized string) (words, han int) {
	for _, tok := range strings.Fields(normalized) {
		if n := hanCount(tok); n > 0 {
			han += n
		} else {
			words++
		}
	}
	return words, han
}

func hanCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}
