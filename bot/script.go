package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// script is the Chinese script a reply is written in: Simplified (the
// profiles' own), or Traditional in its generic, Taiwan or Hong Kong
// form. The zero value is not known yet: Simplified, unless the
// platform's language setting says Traditional.
type script string

const (
	unknownScript script = ""
	simplified    script = "hans"
	traditional   script = "hant"
	taiwan        script = "tw"
	hongKong      script = "hk"
)

// isTraditional reports whether replies in sc are converted.
func (sc script) isTraditional() bool { return sc == traditional || sc == taiwan || sc == hongKong }

// conversationScript is the script of the conversation so far: the one
// the asker wrote or chose last, else the platform's.
func conversationScript(sess session, userLang string) script {
	if sess.Script != unknownScript {
		return sess.Script
	}
	return platformScript(userLang)
}

// scriptOf reads a script as /lang and platforms spell it: "zh-hant",
// "zh-TW", "繁體", "traditional"; "zh-hans", "zh-CN", "简体". ok is false
// for a name that says no script (plain "zh", "en").
func scriptOf(name string) (script, bool) {
	s := strings.ToLower(strings.TrimSpace(name))
	s = strings.ReplaceAll(s, "_", "-")
	switch s {
	case "zh-hant", "hant", "traditional", "繁体", "繁體", "繁体中文", "繁體中文", "正体", "正體":
		return traditional, true
	case "zh-tw", "zh-hant-tw", "tw":
		return taiwan, true
	case "zh-hk", "zh-mo", "zh-hant-hk", "zh-hant-mo", "hk":
		return hongKong, true
	case "zh-hans", "zh-cn", "zh-sg", "zh-hans-cn", "hans", "simplified", "简体", "簡體", "简体中文", "簡體中文":
		return simplified, true
	}
	return unknownScript, false
}

// requestedScript is the script a question asks replies in ("用繁體",
// "in simplified").
func requestedScript(asked intents.Script) (script, bool) {
	switch asked {
	case intents.Traditional:
		return traditional, true
	case intents.Simplified:
		return simplified, true
	}
	return unknownScript, false
}

// platformScript is the script a platform language setting names:
// zh-TW for Taiwan, zh-HK for Hong Kong, zh-CN Simplified; unknown for
// one that names none.
func platformScript(userLang string) script {
	if sc, ok := scriptOf(userLang); ok {
		return sc
	}
	return unknownScript
}

// writtenTraditional reports whether a question was typed in Traditional
// characters: the classifier reads Chinese in Simplified, so its Han
// characters differ from the typed ones exactly when some were
// Traditional.
func writtenTraditional(typed, normalized string) bool {
	next := func(s string, i int) (rune, int) {
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if r >= 0x2E80 && unicode.Is(unicode.Han, r) {
				return r, i
			}
		}
		return 0, i
	}
	i, j := 0, 0
	for {
		var a, b rune
		a, i = next(typed, i)
		b, j = next(normalized, j)
		if a == 0 || b == 0 {
			return false
		}
		if a != b {
			return true
		}
	}
}

// converters turns Simplified replies into the Traditional scripts,
// loading each OpenCC dictionary the first time a reply needs it: most
// conversations never do.
type converters struct {
	s2t, s2tw, s2hk func() (*opencc.OpenCC, error)
	// t2s reads Traditional as Simplified: the matcher's normaliser, so
	// its dictionaries are loaded once for questions and searches.
	t2s *intents.Normalizer
	// done remembers converted replies: OpenCC takes a millisecond for a
	// long section, and the same sections are asked again and again. It
	// is emptied when it would hold more than maxBytes.
	mu              sync.Mutex
	done            map[convertKey]string
	bytes, maxBytes int
}

type convertKey struct {
	text string
	sc   script
}

// maxConvertedBytes bounds the memory of remembered conversions: some
// thousand sections.
const maxConvertedBytes = 4 << 20

// newConverters reads Traditional with a normaliser of its own; the core
// gives it the matcher's instead.
func newConverters() *converters {
	load := func(config string) func() (*opencc.OpenCC, error) {
		return sync.OnceValues(func() (*opencc.OpenCC, error) { return opencc.New(config) })
	}
	t2s, _ := intents.NewNormalizer(nil) // never fails
	return &converters{s2t: load("s2t"), s2tw: load("s2tw"), s2hk: load("s2hk"), t2s: t2s, done: map[convertKey]string{}, maxBytes: maxConvertedBytes}
}

// load loads every dictionary now, the way a reply or search would the
// first time it needs one, stopping early when ctx ends.
func (c *converters) load(ctx context.Context) error {
	var errs []error
	for _, step := range []struct {
		name string
		load func() error
	}{
		{"t2s", c.t2s.Load},
		{"s2t", func() error { _, err := c.s2t(); return err }},
		{"s2tw", func() error { _, err := c.s2tw(); return err }},
		{"s2hk", func() error { _, err := c.s2hk(); return err }},
	} {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := step.load(); err != nil {
			errs = append(errs, fmt.Errorf("load the %s converter: %w", step.name, err))
		}
	}
	return errors.Join(errs...)
}

// convertReply is convert for a whole reply's text, remembered.
func (c *converters) convertReply(s string, sc script) string {
	key := convertKey{s, sc}
	c.mu.Lock()
	out, ok := c.done[key]
	c.mu.Unlock()
	if ok {
		return out
	}
	out = c.convert(s, sc)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.bytes+len(s)+len(out) > c.maxBytes {
		clear(c.done)
		c.bytes = 0
	}
	if _, ok := c.done[key]; !ok && len(s)+len(out) <= c.maxBytes {
		c.done[key] = out
		c.bytes += len(s) + len(out)
	}
	return out
}

// convert writes s in sc; s unchanged for Simplified or when the
// dictionary cannot be loaded (a Simplified answer beats none).
func (c *converters) convert(s string, sc script) string {
	if !sc.isTraditional() || !knowledge.HasHan(s) {
		return s
	}
	load := c.s2t
	switch sc {
	case taiwan:
		load = c.s2tw
	case hongKong:
		load = c.s2hk
	}
	cc, err := load()
	if err != nil {
		return s
	}
	out, err := cc.Convert(s)
	if err != nil {
		return s
	}
	return out
}

// changesToTraditional reports whether s holds a character Traditional
// writes differently: a question that does is Simplified; one that does
// not ("你好") could be either.
func (c *converters) changesToTraditional(s string) bool {
	return c.convert(s, traditional) != s
}

// inScript writes a Chinese reply in sc: every block, list item and
// button label. Button data stays as it is: the core reads it back. The
// texts go through the converter as one, joined by a separator no reply
// holds: a call per text costs more than the text.
func (c *converters) inScript(r Reply, sc script) Reply {
	if !sc.isTraditional() || r.Lang != "zh" {
		return r
	}
	const sep = "\x1f"
	var parts []string
	for _, b := range r.Blocks {
		parts = append(parts, b.Text)
		parts = append(parts, b.Items...)
	}
	for _, b := range r.Buttons {
		parts = append(parts, b.Label)
	}
	if r.Share != nil {
		parts = append(parts, r.Share.Label)
	}
	joined := strings.Join(parts, sep)
	for _, p := range parts {
		if strings.Contains(p, sep) {
			return r // cannot happen with the replies the core writes; unconverted beats mangled
		}
	}
	conv := strings.Split(c.convertReply(joined, sc), sep)
	if len(conv) != len(parts) {
		return r
	}
	blocks := make([]Block, len(r.Blocks))
	k := 0
	for i, b := range r.Blocks {
		b.Text = conv[k]
		k++
		if len(b.Items) > 0 {
			b.Items = conv[k : k+len(b.Items) : k+len(b.Items)]
			k += len(b.Items)
		}
		blocks[i] = b
	}
	r.Blocks = blocks
	if len(r.Buttons) > 0 {
		buttons := make([]Button, len(r.Buttons))
		for i, b := range r.Buttons {
			b.Label = conv[k]
			k++
			buttons[i] = b
		}
		r.Buttons = buttons
	}
	if r.Share != nil {
		share := *r.Share
		share.Label = conv[k]
		r.Share = &share
	}
	return r
}

// questionScript is the script the asker wrote a question in: Traditional
// (in the platform's variant) when it holds Traditional characters;
// Simplified when it holds characters Traditional writes differently;
// otherwise (no Chinese, or only characters both scripts share) the
// conversation's.
func (c *converters) questionScript(typed, normalized string, sess session, userLang string) script {
	cur := conversationScript(sess, userLang)
	switch {
	case !knowledge.HasHan(typed):
		return cur
	case writtenTraditional(typed, normalized):
		if cur.isTraditional() {
			return cur // keeps the variant (tw, hk)
		}
		return traditional
	case !cur.isTraditional():
		return simplified
	case c.changesToTraditional(clipBytes(typed, 2048)):
		return simplified
	}
	return cur
}

func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// scriptSwitch pins Chinese replies in the script asked for ("用繁體",
// "简体中文") and says the last answer again in it, or greets.
func (d *decider) scriptSwitch() (plan, bool) {
	sc, ok := requestedScript(d.in.Res.ScriptRequest)
	if !ok {
		return plan{}, false
	}
	d.lang, d.pin = knowledge.ZH, true
	d.script, d.scriptPin = sc, true
	if v := platformScript(d.in.UserLang); sc == traditional && v.isTraditional() {
		d.script = v
	}
	if d.sess.LastIntent.Section() && d.sess.Profile != "" {
		if p, asked, ok := d.resolve(d.sess.Profile); ok {
			pl := d.answer(p, d.sess.LastIntent, false)
			pl.Asked = asked
			return pl, true
		}
	}
	return d.greeting(), true
}

// setScript answers /lang zh-hant and the like: Chinese replies, in that
// script, from now on.
func (d *decider) setScript(sc script) plan {
	d.script, d.scriptPin = sc, true
	return d.setLang(knowledge.ZH)
}
