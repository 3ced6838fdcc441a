package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// QuestionLog records the questions the core handled, for operators.
type QuestionLog interface {
	Record(ctx context.Context, q LoggedQuestion) error
}

// LoggedQuestion is one handled question as the operator log keeps it: no
// user id in clear, only a salted hash.
type LoggedQuestion struct {
	Time       time.Time
	Platform   string
	UserHash   string
	Lang       knowledge.Lang
	Intent     intents.Intent
	Confidence float64
	Answered   bool
	Text       string
	// Occupation is one the question named that no profile covers.
	Occupation string
}

// Config tunes a Core. The zero value is usable.
type Config struct {
	MaxSessions int           // default 10,000
	SessionTTL  time.Duration // default 30 minutes
	Log         QuestionLog   // nil: questions are not recorded
	Salt        string        // for hashing user ids in the log
	Logger      *slog.Logger  // nil: slog.Default()
	Now         func() time.Time
}

// Core is the conversation core. It is safe for concurrent use by any
// number of adapters.
type Core struct {
	lib      *knowledge.Library
	matcher  *intents.Matcher
	sessions *sessions
	cfg      Config
}

// New returns a core answering from lib, reading questions with matcher.
func New(lib *knowledge.Library, matcher *intents.Matcher, cfg Config) *Core {
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = 10000
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Core{lib: lib, matcher: matcher, cfg: cfg,
		sessions: newSessions(cfg.MaxSessions, cfg.SessionTTL, cfg.Now)}
}

// turn is the state of handling one message.
type turn struct {
	msg  Message
	sess session
	lang knowledge.Lang
	// last is the section answered last when a reply answers several;
	// follow-ups continue from it.
	last intents.Intent
}

// Handle answers one message. It never fails: whatever the input, the
// reply says something useful.
func (c *Core) Handle(ctx context.Context, msg Message) Reply {
	key := msg.Platform + "\x00" + msg.Chat + "\x00" + msg.User
	sess, known := c.sessions.get(key)
	t := &turn{msg: msg, sess: sess}
	t.lang = c.defaultLang(sess, known, msg.UserLang)

	var r Reply
	var res intents.Result
	text := strings.TrimSpace(msg.Text)
	switch {
	case msg.Button != "":
		r = c.button(t, msg.Button)
	case strings.HasPrefix(text, "/"):
		r = c.command(t, text)
	default:
		res = c.matcher.Classify(text)
		r = c.question(t, text, res)
	}
	if r.Lang == "" {
		r.Lang = t.lang
	}
	t.sess.Lang = r.Lang
	if r.Intent != intents.OutOfScope && r.Intent != "" && r.Answered {
		t.sess.LastIntent = r.Intent
		if t.last != "" {
			t.sess.LastIntent = t.last
		}
	}
	c.sessions.put(key, t.sess)

	if c.cfg.Log != nil && msg.Button == "" {
		err := c.cfg.Log.Record(ctx, LoggedQuestion{
			Time: c.cfg.Now(), Platform: msg.Platform, UserHash: c.hashUser(msg),
			Lang: r.Lang, Intent: r.Intent, Confidence: res.Confidence, Answered: r.Answered, Text: text,
			Occupation: res.Occupation,
		})
		if err != nil {
			c.cfg.Logger.Warn("record question", "err", err)
		}
	}
	return r
}

func (c *Core) hashUser(msg Message) string {
	h := sha256.Sum256([]byte(c.cfg.Salt + "\x00" + msg.Platform + "\x00" + msg.User))
	return hex.EncodeToString(h[:12])
}

// defaultLang is the reply language before the question is read: the
// user's choice, else the language of the conversation so far, else the
// platform setting, else English.
func (c *Core) defaultLang(s session, known bool, platformLang string) knowledge.Lang {
	if known && s.Lang != "" {
		return s.Lang
	}
	if l, ok := knowledge.ParseLang(platformLang); ok {
		return l
	}
	return knowledge.EN
}

// replyLang is the language to answer a typed question in: the pinned
// choice, else the question's own language when it has words to tell by.
func (t *turn) replyLang(text string, res intents.Result) knowledge.Lang {
	if t.sess.LangPinned {
		return t.lang
	}
	if res.Lang == knowledge.ZH || hasLatinWord(text) {
		return res.Lang
	}
	return t.lang
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

func (c *Core) question(t *turn, text string, res intents.Result) Reply {
	t.lang = t.replyLang(text, res)
	if text == "" {
		return c.withProfileButtons(t, helpAnswer(t.lang, c.lib, c.current(t)))
	}
	if l, ok := languageRequest(res.Normalized); ok {
		t.sess.LangPinned = true
		t.lang = l
		if t.sess.LastIntent != "" && t.sess.Profile != "" {
			if p, ok := c.lib.Profile(t.sess.Profile); ok {
				return c.answer(t, t.sess.LastIntent, p, false)
			}
		}
		return c.greeting(t)
	}
	if isMoreRequest(res.Normalized) {
		if r, ok := c.more(t); ok {
			return r
		}
	}
	if r, ok := c.smallTalk(t, res.Normalized); ok {
		return r
	}

	in := res.Intent
	// A bare code or occupation after a section answer asks the same about
	// another group: "what about 1253?", "what about nurses?".
	if (res.Code != "" || res.Occupation != "") && in == intents.Description && bareFollowUp(t.sess.LastIntent) {
		in = t.sess.LastIntent
	}
	switch in {
	case intents.Greeting:
		return c.greeting(t)
	case intents.Thanks:
		r := Reply{Lang: t.lang, Intent: intents.Thanks, Answered: true, Blocks: []Block{{Kind: Paragraph,
			Text: tr(t.lang, "You're welcome! Anything else about the occupation?", "不客气！关于这个职业还有什么想了解的吗？")}}}
		if p := c.current(t); p != nil {
			r = withNext(r, intents.Thanks, p)
		}
		return r
	case intents.Help:
		return c.withProfileButtons(t, helpAnswer(t.lang, c.lib, c.current(t)))
	case intents.Lookup:
		return c.lookup(t, res)
	case intents.OutOfScope:
		topic := outOfScopeTopic(t.lang, res.Normalized)
		if topic == "" && len(res.Titles) > 0 {
			// A known title and words the matcher cannot place ("我想了解
			// 病历技师"): say where the title belongs and offer its
			// profile, rather than call it out of scope.
			return c.lookup(t, res)
		}
		// A few words the matcher cannot place and that name no known
		// title may still be a job title the profiles word differently:
		// "medical coder" is not listed, "health records management coder"
		// is.
		if topic == "" && fewWords(res.Normalized) {
			if res.Occupation != "" {
				return c.unknownOccupation(t, res.Occupation, intents.OutOfScope)
			}
			r := Reply{Lang: t.lang, Intent: intents.OutOfScope, Blocks: []Block{{Kind: Paragraph, Text: tr(t.lang,
				"I do not know that as a job title in the profiles I have.",
				"我掌握的职业档案中没有这个职位名称。")}}}
			if s, ok := withSuggestions(r, c.lib, c.lib.SuggestTitles(res.Normalized, maxSuggestions)); ok {
				return s
			}
		}
		return outOfScopeAnswer(t.lang, res.Normalized, c.current(t))
	}

	// A section question: find the profile it is about.
	if res.Code != "" {
		p, ok := c.lib.Profile(res.Code)
		if !ok {
			return c.unknownCode(t, res.Code, in)
		}
		return c.answerAll(t, in, res.Also, p)
	}
	if len(res.Titles) > 0 {
		m := res.Titles[0]
		if p, ok := c.lib.Profile(m.Code); ok {
			return c.answerAll(t, in, res.Also, p)
		}
		// A title classified in a group nobody has a profile for.
		r := lookupAnswer(t.lang, res, c.lib)
		r.Intent = in
		return r
	}
	if res.Occupation != "" {
		return c.unknownOccupation(t, res.Occupation, in)
	}
	if p := c.current(t); p != nil {
		return c.answerAll(t, in, res.Also, p)
	}
	return c.choose(t, in, res.Also...)
}

// more continues the last answer ("tell me more"): its long form where it
// has one, else a word that there is nothing more, with what else to ask.
func (c *Core) more(t *turn) (Reply, bool) {
	if t.sess.More != "" {
		return c.button(t, t.sess.More), true
	}
	p, ok := c.lib.Profile(t.sess.Profile)
	if !ok || !t.sess.LastIntent.Section() {
		return Reply{}, false
	}
	r := Reply{Lang: t.lang, Intent: t.sess.LastIntent, Answered: true, Blocks: []Block{{Kind: Paragraph, Text: tr(t.lang,
		"That is all the profile of "+occupation(t.lang, p)+" says on this. You can ask about:",
		occupation(t.lang, p)+"的职业档案关于这一点就这么多。还可以问：")}}}
	return withNext(r, t.sess.LastIntent, p), true
}

// smallTalk answers goodbyes, acknowledgements and "who are you".
func (c *Core) smallTalk(t *turn, normalized string) (Reply, bool) {
	switch smallTalkOf(normalized) {
	case farewell:
		return Reply{Lang: t.lang, Intent: intents.Thanks, Answered: true, Blocks: []Block{{Kind: Paragraph, Text: tr(t.lang,
			"Goodbye! Come back any time you have a question about an occupation.", "再见！有关于职业的问题随时来问。")}}}, true
	case acknowledgement:
		r := Reply{Lang: t.lang, Intent: intents.Thanks, Answered: true, Blocks: []Block{{Kind: Paragraph,
			Text: tr(t.lang, "Anything else you would like to know?", "还想了解哪些方面？")}}}
		if p := c.current(t); p != nil {
			r = withNext(r, intents.Help, p)
		}
		return r, true
	case identity:
		return c.withProfileButtons(t, helpAnswer(t.lang, c.lib, c.current(t))), true
	}
	return Reply{}, false
}

// lookup says where the title a question names belongs, and makes its
// profile the one the conversation is about.
func (c *Core) lookup(t *turn, res intents.Result) Reply {
	r := lookupAnswer(t.lang, res, c.lib)
	if len(res.Titles) > 0 {
		if _, ok := c.lib.Profile(res.Titles[0].Code); ok {
			t.sess.Profile = res.Titles[0].Code
		}
	}
	return r
}

// fewWords reports whether a normalised question is short enough to be a
// bare job title: four English words at most, ten Chinese characters at
// most.
func fewWords(normalized string) bool {
	words, han := 0, 0
	for _, tok := range strings.Fields(normalized) {
		if r, _ := utf8.DecodeRuneInString(tok); r >= utf8.RuneSelf {
			han += utf8.RuneCountInString(tok)
		} else {
			words++
		}
	}
	return words+han > 0 && words <= 4 && han <= 10
}

func bareFollowUp(last intents.Intent) bool {
	switch last {
	case intents.Duties, intents.Requirements, intents.Advancement, intents.Titles, intents.Related, intents.Source:
		return true
	}
	return false
}

// current is the profile the conversation is about: the one discussed
// last, or the only one there is.
func (c *Core) current(t *turn) *knowledge.Profile {
	if p, ok := c.lib.Profile(t.sess.Profile); ok {
		return p
	}
	if all := c.lib.Profiles(); len(all) == 1 {
		return &all[0]
	}
	return nil
}

// answerAll answers a section question and the further sections a
// compound question asked for, one after another in one reply; the
// buttons offer what was not answered yet.
func (c *Core) answerAll(t *turn, in intents.Intent, also []intents.Intent, p *knowledge.Profile) Reply {
	r := c.answer(t, in, p, false)
	if len(also) == 0 {
		return r
	}
	answered := []intents.Intent{in}
	for _, a := range also {
		next := c.answer(t, a, p, false)
		r.Blocks = append(r.Blocks, next.Blocks...)
		r.Buttons = next.Buttons
		answered = append(answered, a)
	}
	t.last = also[len(also)-1]
	isAnswered := func(b Button) bool {
		return slices.ContainsFunc(answered, func(a intents.Intent) bool { return b.Data == intentData(p.Code, a) })
	}
	r.Buttons = slices.DeleteFunc(r.Buttons, isAnswered)
	if len(r.Buttons) == 0 {
		r = withNext(r, intents.Help, p)
		r.Buttons = slices.DeleteFunc(r.Buttons, isAnswered)
	}
	return r
}

func (c *Core) answer(t *turn, in intents.Intent, p *knowledge.Profile, full bool) Reply {
	t.sess.Profile = p.Code
	t.sess.More = ""
	switch in {
	case intents.Titles:
		if !full && len(p.AllTitles) > len(p.ExampleTitles) {
			t.sess.More = "all:" + p.Code
		}
	case intents.Description:
		t.sess.More = intentData(p.Code, intents.Duties)
	}
	return section(t.lang, in, p, full)
}

// choose asks which profile a question is about when several could be
// meant, offering each as a button that answers the question.
// A compound question's further sections ride along in the buttons:
// "i:description+requirements:1253".
func (c *Core) choose(t *turn, in intents.Intent, also ...intents.Intent) Reply {
	r := Reply{Lang: t.lang, Intent: in, Answered: true, Blocks: []Block{{Kind: Paragraph,
		Text: tr(t.lang, "Which occupation do you mean?", "你问的是哪个职业？")}}}
	for i := range c.lib.Profiles() {
		if len(r.Buttons) == maxChoiceButtons {
			r.Blocks = append(r.Blocks, Block{Kind: Paragraph, Text: tr(t.lang,
				"Or name it: a NOC code or a job title.", "也可以直接输入 NOC 代码或职位名称。")})
			break
		}
		p := &c.lib.Profiles()[i]
		b := profileButton(t.lang, p, in)
		b.Data = intentData(p.Code, append([]intents.Intent{in}, also...)...)
		r.Buttons = append(r.Buttons, b)
	}
	return r
}

const maxChoiceButtons = 10

// unknownOccupation answers a question about an occupation no profile
// covers ("what education does a dentist need") by saying so, instead of
// answering from another occupation's profile; it offers the titles that
// share the word, or the same question about the profiles there are.
func (c *Core) unknownOccupation(t *turn, occupationWord string, in intents.Intent) Reply {
	r := Reply{Lang: t.lang, Intent: in, Blocks: []Block{{Kind: Paragraph, Text: tr(t.lang,
		fmt.Sprintf("None of the occupation profiles I have is about “%s”, so I cannot answer that for it.", occupationWord),
		fmt.Sprintf("我掌握的职业档案中没有关于“%s”的，所以无法就它回答。", occupationWord))}}}
	var named []knowledge.TitleMatch
	for _, m := range c.lib.SuggestTitles(occupationWord, maxSuggestions) {
		if titleNames(m.Title, occupationWord) {
			named = append(named, m)
		}
	}
	if s, ok := withSuggestions(r, c.lib, named); ok {
		return s
	}
	r.Blocks = append(r.Blocks, profileList(t.lang, c.lib)...)
	if in == intents.OutOfScope {
		in = intents.Description // the buttons offer what the profiles hold
	}
	return c.withProfileButtons(t, r, in)
}

func (c *Core) unknownCode(t *turn, code string, in intents.Intent) Reply {
	r := Reply{Lang: t.lang, Intent: in, Blocks: []Block{{Kind: Paragraph, Text: tr(t.lang,
		fmt.Sprintf("I have no profile for NOC %s.", code),
		fmt.Sprintf("我没有 NOC %s 的职业档案。", code))}}}
	if group := c.groupName(t.lang, code); group != "" {
		r.Blocks[0].Text += " " + tr(t.lang, "It is "+group+".", "它是"+group+"。")
	}
	return c.withProfileButtons(t, r, in)
}

// groupName is the name the profiles give a unit group they only mention
// as classified elsewhere, "" when none does.
func (c *Core) groupName(lang knowledge.Lang, code string) string {
	for _, p := range c.lib.Profiles() {
		for _, ref := range p.Elsewhere {
			if ref.Code == code && ref.Group.In(lang) != "" {
				return ref.Group.In(lang)
			}
		}
	}
	return ""
}

// withProfileButtons offers the known profiles as buttons.
func (c *Core) withProfileButtons(t *turn, r Reply, in ...intents.Intent) Reply {
	target := intents.Description
	if len(in) > 0 && in[0] != "" {
		target = in[0]
	}
	if len(r.Buttons) > 0 {
		return r
	}
	for i := range c.lib.Profiles() {
		if i == maxChoiceButtons {
			break
		}
		r.Buttons = append(r.Buttons, profileButton(t.lang, &c.lib.Profiles()[i], target))
	}
	return r
}

func (c *Core) greeting(t *turn) Reply {
	r := Reply{Lang: t.lang, Intent: intents.Greeting, Answered: true, Blocks: []Block{{Kind: Paragraph, Text: tr(t.lang,
		"Hello! I answer questions about Canadian NOC occupations from their official profiles, in English or Chinese: what the job is, duties, education, advancement, job titles and related occupations.",
		"你好！我根据加拿大 NOC 官方职业档案回答问题，中英文都可以：职业概况、主要职责、学历要求、晋升发展、职称头衔和相关职业。")}}}
	if p := c.current(t); p != nil {
		r.Blocks = append(r.Blocks, Block{Kind: Paragraph, Text: tr(t.lang, "Ask me about ", "可以问我关于") + occupation(t.lang, p) + tr(t.lang, ".", "的问题。")})
		return withNext(r, intents.Greeting, p)
	}
	return c.withProfileButtons(t, r)
}

// languageRequest recognises "in English please", "用中文回答" and the like.
func languageRequest(normalized string) (knowledge.Lang, bool) {
	s := " " + normalized + " "
	switch {
	case containsAny(s, " in english ", " english please ", " speak english ", " reply in english", " switch to english ", " english version ",
		"用英文", "用英语", "英文回答", "说英文", "说英语", "英文版", "英语回答") || normalized == "english" || normalized == "英文" || normalized == "英语":
		return knowledge.EN, true
	case containsAny(s, " in chinese ", " chinese please ", " speak chinese ", " reply in chinese", " switch to chinese ", " chinese version ",
		"用中文", "中文回答", "说中文", "中文版", "用汉语", "说汉语") || normalized == "chinese" || normalized == "中文" || normalized == "汉语":
		return knowledge.ZH, true
	}
	return "", false
}

// Small talk the intents do not name apart: the matcher reads "bye" and
// "ok" as out of scope, which is true but no reply to give them.
type smallTalkKind int

const (
	notSmallTalk smallTalkKind = iota
	farewell
	acknowledgement
	identity
)

func smallTalkOf(normalized string) smallTalkKind {
	switch normalized {
	case "bye", "goodbye", "bye bye", "see you", "see ya", "good bye", "bye for now", "see you later", "good night",
		"再见", "拜拜", "回头见", "下次见", "晚安", "先这样", "再会":
		return farewell
	case "ok", "okay", "k", "kk", "cool", "got it", "i see", "alright", "all right", "sure", "nice", "great", "understood", "noted",
		"好的", "好", "嗯", "嗯嗯", "哦", "明白了", "知道了", "了解", "了解了", "懂了", "收到", "行":
		return acknowledgement
	case "who are you", "what are you", "are you a bot", "are you human", "are you a robot", "are you real", "what is nocbot",
		"你是谁", "你是什么", "你是机器人吗", "你是人吗", "你是真人吗":
		return identity
	}
	return notSmallTalk
}

// isMoreRequest recognises "tell me more", "more", "详细一点".
func isMoreRequest(normalized string) bool {
	switch normalized {
	case "more", "tell me more", "more please", "go on", "continue", "and more", "more details", "details", "more detail",
		"in detail", "elaborate", "please elaborate", "tell me more about it", "can you elaborate",
		"更多", "详细一点", "详细点", "再多说一点", "继续", "还有呢", "多说一点", "展开说说",
		"再详细一点", "再详细点", "详细说说", "更详细", "更详细一点", "详细一些", "具体一点", "具体点", "再具体一点", "展开讲讲":
		return true
	}
	return false
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
