package jobmatch

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what one description may cost. A description longer than
// MaxInput bytes is cut there (at a rune boundary) and only its first
// MaxPhrases duty phrases are read: a pasted 1 MB posting or a list of
// 200 duties is matched on its beginning, and the result says it was cut.
const (
	MaxInput   = 6000
	MaxPhrases = 40
	// maxPhraseTokens bounds one phrase: a run of text without a full stop
	// is read as several phrases of at most this many words.
	maxPhraseTokens = 40
)

// phrase is one duty the person wrote: its text as written (for showing
// beside the group's sentence) and its stemmed content words.
type phrase struct {
	Text  string
	Terms []string
	// Seq are the stems of the words as written, in order (no words the
	// term list adds), where job titles are looked for.
	Seq []string
	Raw []string // the same words as written (lower case), for one-word titles
	// Who says whom a title at the same place in Seq names, told by the
	// words before it: the person, someone else or either.
	Who []int8
	// Plain are the stems without the everyday English words the term
	// list adds (Chinese words still stand for theirs): what the BM25
	// baseline reads.
	Plain []string
	// Titles are the unit groups whose Chinese name or alias the phrase
	// names (a weak signal, like a title).
	Titles []string
}

// cut trims s to at most MaxInput bytes on a rune boundary, and makes it
// valid UTF-8; cut reports whether anything was dropped.
func cut(s string) (string, bool) {
	truncated := false
	if len(s) > MaxInput {
		end := MaxInput
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
		s, truncated = s[:end], true
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	return s, truncated
}

// splitPhrases splits a description into the duty phrases a person or a
// posting writes: sentences, lines, bullet points, semicolon lists, and
// the clauses of a Chinese sentence. A clause with no content words ("which
// NOC am I?") is not a phrase.
func splitPhrases(s string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		if t := strings.TrimSpace(s[start:end]); t != "" {
			out = append(out, t)
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isPhraseBreak(r, s, i, size) {
			flush(i)
			start = i + size
		}
		i += size
	}
	flush(len(s))
	return out
}

// splitClauses splits an English sentence into the duties a person
// lists in it: at a comma or an "and" that a duty verb follows ("I wash
// dishes, prep vegetables, and keep the kitchen clean"; "I code diagnoses
// and abstract clinical data"). Anything else after a comma stays with the
// clause before it, so a list of objects ("cars, trucks and buses") or a
// tail ("…, following privacy legislation") is not a duty of its own.
// isVerb says whether a word begins duties (the index knows the words its
// duty sentences begin with).
func splitClauses(s string, isVerb func(word string) bool, buf []string) ([]string, []string) {
	if items := listItems(s); items != nil {
		return items, buf
	}
	var out []string
	start := 0
	cutAt := func(i int) {
		if t := strings.TrimSpace(s[start:i]); t != "" {
			out = append(out, t)
		}
		start = i
	}
	for i := 0; i < len(s); i++ {
		var next int
		switch {
		case s[i] == ',':
			next = i + 1
		case strings.HasPrefix(s[i:], " and ") || strings.HasPrefix(s[i:], " And "):
			next = i + 1
		default:
			continue
		}
		// The first word after the comma or "and", past "and", "I", "also".
		buf = words(s[next:min(len(s), next+60)], buf[:0])
		j := 0
		for j < len(buf) && (buf[j] == "and" || buf[j] == "i" || buf[j] == "also" || buf[j] == "then" || buf[j] == "or") {
			j++
		}
		// A participle after a comma ("…, following the standards") is a
		// tail, not a duty, unless the clause began with one too: a list
		// of duties ("fitting pipe, grinding welds, reading blueprints").
		// A clause of one content word is no duty either.
		if j == len(buf) || !isVerb(buf[j]) {
			continue
		}
		if s[i] == ',' && j == 0 && strings.HasSuffix(buf[j], "ing") && !beginsWithGerund(s[start:i]) {
			continue
		}
		if contentWords(s[start:i], nil) < 2 || contentWords(strings.Join(buf[j:min(len(buf), j+4)], " "), nil) < 2 {
			continue
		}
		cutAt(i)
		if s[i] == ',' {
			start = i + 1
		}
	}
	cutAt(len(s))
	return out, buf
}

// listItems splits a resume's or a posting's list of duties written as
// noun phrases ("Full-cycle AP/AR in QuickBooks, bank recs, month-end
// close, GST returns") at its commas: four items or more, none longer
// than six words, most of two content words or more. A list of single
// objects ("cars, trucks, vans and buses") is not one: nil.
func listItems(s string) []string {
	parts := strings.Split(s, ",")
	if len(parts) < 4 {
		return nil
	}
	items := make([]string, 0, len(parts))
	long := 0
	for _, p := range parts {
		p = strings.TrimSpace(p)
		ws := words(p, nil)
		if len(ws) == 0 || len(ws) > 6 {
			return nil
		}
		if contentWords(p, nil) >= 2 {
			long++
		}
		items = append(items, p)
	}
	if long*2 <= len(items) {
		return nil
	}
	return items
}

// beginsWithGerund reports whether a clause's first word is an -ing form
// ("fitting pipe"), as the first item of a list of duties is.
func beginsWithGerund(clause string) bool {
	ws := words(clause, nil)
	return len(ws) > 0 && len(ws[0]) > 4 && strings.HasSuffix(ws[0], "ing") && !stopwords[ws[0]]
}

// contentWords counts the words of s that are no stop words.
func contentWords(s string, buf []string) int {
	n := 0
	for _, w := range words(s, buf[:0]) {
		if !stopwords[w] {
			n++
		}
	}
	return n
}

// isPhraseBreak reports whether the rune r at s[i:] ends a phrase. A full
// stop ends one only when a space or the end follows, so "ICD-10-CA",
// "3.5" and "e.g." stay whole; a comma never does (see splitClauses).
func isPhraseBreak(r rune, s string, i, size int) bool {
	switch r {
	case '\n', '\r', ';', '!', '?', '•', '·', '●', '▪', '◦', '‣', '|',
		'。', '；', '！', '？', '，', '、', '\u2014', '\u2013':
		return true
	case '.':
		next := i + size
		return next >= len(s) || s[next] == ' ' || s[next] == '\n' || s[next] == '\r'
	case ':':
		return true
	case '-':
		// " - " separates a posting's title from its terms ("Line Cook -
		// Full-time"); a hyphen inside a word does not.
		return i > 0 && s[i-1] == ' ' && i+size < len(s) && s[i+size] == ' '
	}
	return false
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// words splits English text into lower-case words of letters and digits;
// a word of digits only carries no duty and is dropped. "C++" and "C#"
// keep their signs.
func words(s string, out []string) []string {
	start := -1
	emit := func(end int) {
		if start < 0 {
			return
		}
		w := strings.ToLower(s[start:end])
		start = -1
		if allDigits(w) {
			return
		}
		out = append(out, w)
	}
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if start < 0 {
				start = i
			}
		case (r == '+' || r == '#') && start >= 0:
			// c++, c#: part of the word.
		case r >= utf8.RuneSelf && unicode.IsLetter(r) && !isHan(r):
			// Accented Latin and other scripts: part of a word, so a French
			// or Spanish description reads as unknown words, not as the
			// English fragments between its accents.
			if start < 0 {
				start = i
			}
		default:
			emit(i)
		}
	}
	emit(len(s))
	return out
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// stem strips English endings so that the forms of one word meet: code,
// codes, coding, coder; manage, manager, management; weld, welder,
// welding. It is deliberately crude (a few suffix rules, no dictionary):
// both the descriptions and the NOC text go through it, so what matters
// is that forms meet, not that stems are words.
func stem(w string) string {
	if len(w) <= 3 || !isASCII(w) {
		return w
	}
	if s, ok := irregular[w]; ok {
		return s
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	for _, suf := range suffixes {
		if strings.HasSuffix(w, suf.from) && len(w)-len(suf.from) >= 3 {
			w = w[:len(w)-len(suf.from)] + suf.to
			break
		}
	}
	if strings.HasSuffix(w, "at") {
		w += "e" // operating, operator → operate
	}
	w = derivational(w)
	if n := len(w); n > 3 && w[n-1] == 'e' {
		w = w[:n-1]
	}
	if n := len(w); n > 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiouls", rune(w[n-1])) {
		w = w[:n-1] // planning → plann → plan
	}
	if n := len(w); n > 3 && w[n-1] == 'y' {
		w = w[:n-1] + "i" // supply, supplies, supplied meet at "suppli"
	}
	return w
}

// derivational removes one derivational ending (as Porter's stemmer does)
// when what is left has two syllables or more, so that a process noun
// meets its verb: installation, install; preparation, prepare;
// consultation, consult; effective, effect. A short stem keeps its ending
// (create, locate).
func derivational(w string) string {
	for _, suf := range derivations {
		if strings.HasSuffix(w, suf) {
			if st := w[:len(w)-len(suf)]; measure(st) > 1 {
				return st
			}
			return w
		}
	}
	return w
}

var derivations = [...]string{"ness", "ful", "ate", "ive"}

// measure is Porter's m: how many runs of vowels followed by consonants
// w has.
func measure(w string) int {
	m := 0
	vowel := false
	for i := range len(w) {
		v := strings.IndexByte("aeiou", w[i]) >= 0 || (w[i] == 'y' && i > 0 && strings.IndexByte("aeiou", w[i-1]) < 0)
		if vowel && !v {
			m++
		}
		vowel = v
	}
	return m
}

// suffixes are tried in order; the first that leaves a stem of three
// letters or more is removed.
var suffixes = [...]struct{ from, to string }{
	{"izations", "ize"}, {"ization", "ize"}, {"ational", "ate"}, {"ations", "ate"}, {"ation", "ate"},
	{"ements", ""}, {"ement", ""}, {"ments", ""}, {"ment", ""},
	{"ings", ""}, {"ing", ""}, {"ied", "y"}, {"ed", ""},
	{"ers", ""}, {"er", ""}, {"ors", ""}, {"or", ""},
	{"ions", ""}, {"ion", ""}, {"ical", "ic"},
}

// irregular are forms the suffix rules would not bring together.
var irregular = map[string]string{
	"analyses": "analyz", "analysis": "analyz", "analyse": "analyz", "analyze": "analyz", "analyst": "analyz", "analysts": "analyz",
	"analytical": "analyz", "analyzed": "analyz", "analysed": "analyz", "analyzing": "analyz", "analysing": "analyz",
	"children": "child", "drove": "driv", "driven": "driv", "wrote": "writ", "written": "writ", "taught": "teach",
	"built": "build", "sold": "sell", "bought": "buy", "led": "lead", "men": "man", "women": "woman",
	"repairs": "repair", "repairing": "repair", "repaired": "repair", "repairer": "repair", "repairers": "repair",
	"designer": "design", "designers": "design", "design": "design", "designs": "design", "designing": "design", "designed": "design",
	"machinist": "machin", "machinists": "machin", "machine": "machin", "machines": "machin", "machinery": "machin",
	"nursing": "nurs", "nurse": "nurs", "nurses": "nurs",
	"cook": "cook", "cooks": "cook", "cooking": "cook", "cooked": "cook",
	"accounting": "account", "accountant": "account", "accountants": "account", "accounts": "account",
	"electrical": "electr", "electrician": "electr", "electricians": "electr", "electricity": "electr", "electric": "electr",
	"pharmacy": "pharmac", "pharmacist": "pharmac", "pharmacists": "pharmac", "pharmacies": "pharmac", "pharmaceutical": "pharmac",
	"therapy": "therap", "therapist": "therap", "therapists": "therap", "therapies": "therap", "therapeutic": "therap",
	"plumbing": "plumb", "plumber": "plumb", "plumbers": "plumb",
	"teaching": "teach", "teacher": "teach", "teachers": "teach", "teaches": "teach",
	"legal": "law", "lawyer": "law", "lawyers": "law", "laws": "law",
	"software": "software", "hardware": "hardware",
	"vehicle": "vehicl", "vehicles": "vehicl",
	"patient": "patient", "patients": "patient",
	"inventory": "inventori", "inventories": "inventori",
	"engineering": "engine", "engineer": "engine", "engineers": "engine", "engineered": "engine",
	"scientific": "scien", "science": "scien", "sciences": "scien", "scientist": "scien", "scientists": "scien",
	"biology": "biolog", "biological": "biolog", "biologist": "biolog", "biologists": "biolog",
	"chemistry": "chemi", "chemical": "chemi", "chemicals": "chemi", "chemist": "chemi", "chemists": "chemi",
	"geology": "geolog", "geological": "geolog", "geologist": "geolog", "geologists": "geolog",
	"surgery": "surg", "surgical": "surg", "surgeon": "surg", "surgeons": "surg",
	"dental": "dent", "dentist": "dent", "dentists": "dent", "dentistry": "dent",
	"medicine": "medic", "medical": "medic", "medication": "medic", "medications": "medic",
	"clinic": "clinic", "clinics": "clinic", "clinical": "clinic",
	"financial": "financ", "finance": "financ", "finances": "financ", "financing": "financ",
	"cleaning": "clean", "cleaner": "clean", "cleaners": "clean",
	"carpentry": "carpent", "carpenter": "carpent", "carpenters": "carpent",
	"welding": "weld", "welder": "weld", "welders": "weld", "welds": "weld", "welded": "weld",
	"mechanical": "mechan", "mechanic": "mechan", "mechanics": "mechan", "mechanism": "mechan", "mechanisms": "mechan",
	"agriculture": "agricultur", "agricultural": "agricultur",
	"server": "server", "servers": "server",
	"customer": "customer", "customers": "customer", "customs": "customs",
	"supply": "suppli", "supplies": "suppli", "supplied": "suppli", "supplier": "suppli", "suppliers": "suppli",
	"assembly": "assembl", "assemble": "assembl", "assembler": "assembl", "assemblers": "assembl", "assembling": "assembl", "assembled": "assembl",
	"photography": "photograph", "photographer": "photograph", "photographs": "photograph", "photographers": "photograph",
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// stopwords carry no duty: function words, and the words every job
// description and posting uses whatever the job ("responsible", "duties",
// "work", "company").
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a about above across after again against all also am an and any are aren as at be because been before being below
between both but by can cannot could did do does doing don down during each either etc e.g eg i.e ie few for from further had
has have having he her here hers herself him himself his how i if in into is isn it its itself just let me more most my myself
no nor not now of off on once only or other our ours ourselves out over own per same she should so some such than that the
their theirs them themselves then there these they this those through to too under until up upon us very via was we were
what when where which while who whom whose why will with within without would you your yours yourself yourselves
im i'm ive id i'd ll re ve s t d m
job jobs duty duties task tasks responsibility responsibilities responsible role roles position positions
work works worked working day days daily week weekly month monthly year years
noc which what fit fits am currently current main mainly mostly usually often also including include includes included
etc various several many much lot lots thing things stuff kind kinds type types well good great new one two three
company companies team teams employer employers our we're looking candidate candidates ideal
please help want need needs know think like get got make makes making made use uses used using
`) {
		m[w] = true
	}
	return m
}()

// boilerplate marks the phrases of a job posting that say nothing about
// the duties: pay, benefits, how to apply, who the employer is. A phrase
// holding one of these (lower case, as a substring) is not read as a duty.
// They are specific on purpose: "insurance", "dental", "schedule" or
// "application" are duties in some occupations.
var boilerplate = []string{
	"per hour", "/hour", "/hr", "an hour", "$", "benefit package", "benefits package", "perks",
	"apply now", "to apply", "apply today", "apply online", "applicants", "cover letter",
	"equal opportunity", "equal-opportunity", "inclusive workplace", "only those selected",
	"shortlisted", "thank you for", "we offer", "join our", "join us", "about us", "our team is", "who we are",
	"permanent position", "lmia", "sponsorship", "paid vacation", "vacation days", "extended health", "years of experience", "years experience",
	"时薪", "年薪", "五险", "公积金", "带薪", "投递", "待遇", "欢迎加入", "联系我们", "经验优先", "年以上经验",
}

// postingWords are words of pay, benefits and hiring that are also the
// work of some occupations (payroll clerks pay salaries, benefits
// officers run pension plans, financial advisors sell RRSPs, hotel
// managers run accommodation): a phrase holding one is boilerplate only
// when it also speaks the way a posting does (postingCues).
var postingWords = []string{
	"salary", "salaries", "wage", "benefits", "bonus", "resume", " cv", "accommodation", "diversity",
	"competitive", "full-time", "full time", "part-time", "part time", "relocation", "rrsp", "pension",
	"薪资", "工资", "薪水", "福利", "假期", "简历", "面试", "招聘",
}

var postingCues = []string{
	"we ", "we'", "our ", "you ", "you'", "your ", "offer", "competitive", "package", "enjoy", "starting at",
	"negotiable", "position", "based on experience", "available", "plus ", "matching", "eligible", "send ",
	"我们", "提供", "面议", "优厚", "享受", "发送", "欢迎",
}
