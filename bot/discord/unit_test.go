package discord

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/knowledge"
)

func TestConfigFromEnv(t *testing.T) {
	const tok = "abc.DEF-ghi_jkl"
	ok := map[string]string{"DISCORD_TOKEN": tok}
	with := func(kv ...string) map[string]string {
		m := map[string]string{"DISCORD_TOKEN": tok}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	cases := []struct {
		name    string
		env     map[string]string
		want    Config
		wantErr []string // each must be in the error
	}{
		{"token only", ok, Config{Token: tok}, nil},
		{"everything", with("DISCORD_APP_ID", "200000000000000002", "DISCORD_GUILD_ID", "300000000000000003",
			"DISCORD_SHARD_ID", "1", "DISCORD_SHARD_COUNT", "4", "DISCORD_API_URL", "http://proxy:8080",
			"DISCORD_MESSAGE_CONTENT", "yes"),
			Config{Token: tok, AppID: "200000000000000002", GuildID: "300000000000000003", ShardID: 1, ShardCount: 4,
				APIURL: "http://proxy:8080", MessageContent: true}, nil},
		{"token with the Bot prefix", map[string]string{"DISCORD_TOKEN": " Bot " + tok + " "}, Config{Token: tok}, nil},
		{"message content off", with("DISCORD_MESSAGE_CONTENT", "false"), Config{Token: tok}, nil},
		{"no token", map[string]string{}, Config{}, []string{"DISCORD_TOKEN is not set"}},
		{"token with a space", map[string]string{"DISCORD_TOKEN": "abc def"}, Config{}, []string{"DISCORD_TOKEN holds"}},
		{"app id not a number", with("DISCORD_APP_ID", "my-app"), Config{}, []string{`DISCORD_APP_ID="my-app"`}},
		{"guild id too big", with("DISCORD_GUILD_ID", "99999999999999999999"), Config{}, []string{"DISCORD_GUILD_ID"}},
		{"shard id not a number", with("DISCORD_SHARD_ID", "one", "DISCORD_SHARD_COUNT", "2"), Config{}, []string{`DISCORD_SHARD_ID="one"`}},
		{"shard id equal to count", with("DISCORD_SHARD_ID", "2", "DISCORD_SHARD_COUNT", "2"), Config{}, []string{"DISCORD_SHARD_ID=2", "DISCORD_SHARD_COUNT=2"}},
		{"shard id without count", with("DISCORD_SHARD_ID", "1"), Config{}, []string{"without DISCORD_SHARD_COUNT"}},
		{"negative shard count", with("DISCORD_SHARD_COUNT", "-1"), Config{}, []string{"DISCORD_SHARD_COUNT=-1"}},
		{"api url without scheme", with("DISCORD_API_URL", "proxy:8080"), Config{}, []string{"DISCORD_API_URL"}},
		{"api url with a query", with("DISCORD_API_URL", "http://proxy/?x=1"), Config{}, []string{"DISCORD_API_URL"}},
		{"api url with a password", with("DISCORD_API_URL", "http://user:hunter2-pw@proxy:8080"), Config{}, []string{"DISCORD_API_URL", "user:xxxxx@proxy"}},
		{"api url with a password, no scheme", with("DISCORD_API_URL", "//user:hunter2-pw@proxy:8080"), Config{}, []string{"DISCORD_API_URL", "user:xxxxx@proxy"}},
		{"api url with a password that does not parse", with("DISCORD_API_URL", "http://user:hunter2-pw@proxy:80x/"), Config{}, []string{"DISCORD_API_URL: not a URL", "invalid port"}},
		{"message content not a bool", with("DISCORD_MESSAGE_CONTENT", "maybe"), Config{}, []string{"DISCORD_MESSAGE_CONTENT"}},
		{"two errors at once", with("DISCORD_APP_ID", "x", "DISCORD_GUILD_ID", "y"), Config{}, []string{"DISCORD_APP_ID", "DISCORD_GUILD_ID"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string { return c.env[k] })
			if c.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if got != c.want {
					t.Errorf("got %+v, want %+v", got, c.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, got %+v", got)
			}
			for _, w := range c.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tk := c.env["DISCORD_TOKEN"]; tk != "" && strings.Contains(err.Error(), strings.TrimSpace(tk)) {
				t.Errorf("error %q holds the token", err)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q holds the API URL's password", err)
			}
		})
	}
}

func TestRender(t *testing.T) {
	cases := []struct {
		name  string
		block bot.Block
		want  string
	}{
		{"heading is bold", bot.Block{Kind: bot.Heading, Text: "Main duties"}, "**Main duties**"},
		{"heading text escaped", bot.Block{Kind: bot.Heading, Text: "*a* _b_"}, `**\*a\* \_b\_**`},
		{"list as bullets", bot.Block{Kind: bot.List, Items: []string{"one", " ", "two"}}, "• one\n• two"},
		{"link masked, no preview", bot.Block{Kind: bot.Link, Text: "Official [profile]", URL: "https://example.org/a_b?c=(d)"},
			`[Official \[profile\]](<https://example.org/a_b?c=(d)>)`},
		{"link without label", bot.Block{Kind: bot.Link, URL: "https://example.org/a_b"}, "<https://example.org/a_b>"},
		{"not a web link", bot.Block{Kind: bot.Link, Text: "Mail", URL: "mailto:x@example.org"}, "Mail: mailto:x@example.org"},
		{"link with a space", bot.Block{Kind: bot.Link, Text: "Bad", URL: "https://example.org/a b"}, "Bad: <https://example.org/a> b"},
		{"markdown escaped", bot.Block{Kind: bot.Paragraph, Text: `**b** __u__ ~~s~~ ||sp|| ` + "`c`" + ` [l](u) \ `},
			`\*\*b\*\* \_\_u\_\_ \~\~s\~\~ \|\|sp\|\| \` + "`c\\`" + ` \[l\]\(u\) \\`},
		{"line starts", bot.Block{Kind: bot.Paragraph, Text: "# h\n> q\n- l\n+ p\n  12. n\n-# small\n1.5 kg and 2. x"},
			"\\# h\n\\> q\n\\- l\n\\+ p\n  12\\. n\n\\-\\# small\n1\\.5 kg and 2. x"},
		{"mentions do not render", bot.Block{Kind: bot.Paragraph, Text: "<@123> <@&456> <#789> <t:1:R> @everyone"},
			`\<@123\> \<@&456\> \<\#789\> \<t:1:R\> @everyone`},
		{"bare URL kept whole", bot.Block{Kind: bot.Paragraph, Text: "see https://example.org/x_y*z. ok"}, "see <https://example.org/x_y*z>. ok"},
		{"Chinese untouched", bot.Block{Kind: bot.Paragraph, Text: "主要职责：收集、编码（医疗记录）。"}, "主要职责：收集、编码（医疗记录）。"},
		{"marker runes from outside neutralised", bot.Block{Kind: bot.Paragraph, Text: "a\uE000b\uE002c"}, "a\uFFFDb\uFFFDc"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := render(bot.Reply{Blocks: []bot.Block{c.block}}).parts
			if len(got) != 1 || got[0] != c.want {
				t.Errorf("got %q\nwant %q", got, c.want)
			}
		})
	}
	t.Run("blocks separated by blank lines", func(t *testing.T) {
		got := render(bot.Reply{Blocks: []bot.Block{{Kind: bot.Heading, Text: "H"}, {Kind: bot.Paragraph, Text: "p"}, {Kind: bot.List, Items: []string{"i"}}}}).parts
		if want := "**H**\n\np\n\n• i"; len(got) != 1 || got[0] != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("empty reply", func(t *testing.T) {
		got := render(bot.Reply{Lang: knowledge.ZH}).parts
		if len(got) != 1 || !hasHan(got[0]) {
			t.Errorf("got %q, want one apologetic message in Chinese", got)
		}
	})
}

func TestButtonRows(t *testing.T) {
	var bs []bot.Button
	for i := range 30 {
		bs = append(bs, bot.Button{Label: strings.Repeat("长", 10*i), Data: "d" + strings.Repeat("x", i)})
	}
	bs = append([]bot.Button{{Label: "dup", Data: "dx"}, {Label: "no data"}, {Label: "too long", Data: strings.Repeat("y", 101)}}, bs...)
	rows := buttonRows(bs)
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 5", len(rows))
	}
	seen := map[string]bool{}
	var order []string
	for _, r := range rows {
		row := r.(discordgo.ActionsRow)
		if len(row.Components) != 5 {
			t.Errorf("row of %d", len(row.Components))
		}
		for _, c := range row.Components {
			b := c.(discordgo.Button)
			if seen[b.CustomID] || b.CustomID == "" || utf8.RuneCountInString(b.CustomID) > 100 {
				t.Errorf("custom_id %q", b.CustomID)
			}
			seen[b.CustomID] = true
			if n := utf8.RuneCountInString(b.Label); n == 0 || n > 80 {
				t.Errorf("label of %d characters", n)
			}
			order = append(order, b.CustomID)
		}
	}
	if order[0] != "dx" || order[1] != "d" || order[2] != "dxx" {
		t.Errorf("order %q: want the reply's order, a repeated data dropped", order[:3])
	}
	if b := rows[0].(discordgo.ActionsRow).Components[1].(discordgo.Button); b.Label != "d" {
		t.Errorf("empty label %q, want the data", b.Label)
	}
	if got := buttonRows(nil); got != nil {
		t.Errorf("no buttons gave %v", got)
	}
}

func TestSlashCommands(t *testing.T) {
	cmds := slashCommands()
	for _, c := range cmds {
		if !validName(c.Name) || c.Name != strings.ToLower(c.Name) {
			t.Errorf("name %q", c.Name)
		}
		if c.DescriptionLocalizations == nil || !hasHan((*c.DescriptionLocalizations)[discordgo.ChineseCN]) {
			t.Errorf("/%s has no Chinese description", c.Name)
		}
		for _, o := range c.Options {
			if !hasHan(o.DescriptionLocalizations[discordgo.ChineseCN]) {
				t.Errorf("/%s %s has no Chinese description", c.Name, o.Name)
			}
		}
	}
	if len(cmds) > 100 || slices.ContainsFunc(cmds, func(c *discordgo.ApplicationCommand) bool { return c.Name == "start" }) {
		t.Errorf("%d commands, /start included", len(cmds))
	}
}

func TestCommandText(t *testing.T) {
	opt := func(name, v string) []*discordgo.ApplicationCommandInteractionDataOption {
		return []*discordgo.ApplicationCommandInteractionDataOption{{Name: name, Type: discordgo.ApplicationCommandOptionString, Value: v}}
	}
	cases := []struct {
		data discordgo.ApplicationCommandInteractionData
		want string
	}{
		{discordgo.ApplicationCommandInteractionData{Name: "ask", Options: opt("question", "  需要什么学历？ ")}, "需要什么学历？"},
		{discordgo.ApplicationCommandInteractionData{Name: "ask"}, ""},
		{discordgo.ApplicationCommandInteractionData{Name: "duties"}, "/duties"},
		{discordgo.ApplicationCommandInteractionData{Name: "noc", Options: opt("code", " 12 52")}, "/noc 1252"},
		{discordgo.ApplicationCommandInteractionData{Name: "lang", Options: opt("language", "zh")}, "/lang zh"},
		// /match keeps its words: the description is free text.
		{discordgo.ApplicationCommandInteractionData{Name: "match", Options: opt("duties", "  I weld frames; I grind  welds ")}, "/match I weld frames; I grind  welds"},
		{discordgo.ApplicationCommandInteractionData{Name: "gone"}, "/gone"},
	}
	for _, c := range cases {
		if got := commandText(c.data); got != c.want {
			t.Errorf("%s: %q, want %q", c.data.Name, got, c.want)
		}
	}
}

func TestInteractionMessage(t *testing.T) {
	user := &discordgo.User{ID: "7"}
	base := func(typ discordgo.InteractionType, data discordgo.InteractionData) *discordgo.Interaction {
		return &discordgo.Interaction{ID: "1", Token: "t", Type: typ, Data: data, ChannelID: "9", Member: &discordgo.Member{User: user}, Locale: discordgo.ChineseTW}
	}
	cases := []struct {
		name      string
		i         *discordgo.Interaction
		ok        bool
		want      bot.Message
		ephemeral bool
	}{
		{"slash command", base(discordgo.InteractionApplicationCommand, discordgo.ApplicationCommandInteractionData{Name: "duties", CommandType: discordgo.ChatApplicationCommand}),
			true, bot.Message{Platform: "discord", Chat: "9", User: "7", Text: "/duties", UserLang: "zh-TW", ID: "1"}, false},
		{"help", base(discordgo.InteractionApplicationCommand, discordgo.ApplicationCommandInteractionData{Name: "help"}),
			true, bot.Message{Platform: "discord", Chat: "9", User: "7", Text: "/help", UserLang: "zh-TW", ID: "1"}, true},
		{"button", base(discordgo.InteractionMessageComponent, discordgo.MessageComponentInteractionData{CustomID: "lang:en", ComponentType: discordgo.ButtonComponent}),
			true, bot.Message{Platform: "discord", Chat: "9", User: "7", Button: "lang:en", UserLang: "zh-TW", ID: "1"}, false},
		{"select menu", base(discordgo.InteractionMessageComponent, discordgo.MessageComponentInteractionData{CustomID: "x", ComponentType: discordgo.SelectMenuComponent}), false, bot.Message{}, false},
		{"autocomplete", base(discordgo.InteractionApplicationCommandAutocomplete, discordgo.ApplicationCommandInteractionData{Name: "noc"}), false, bot.Message{}, false},
		{"user command", base(discordgo.InteractionApplicationCommand, discordgo.ApplicationCommandInteractionData{Name: "x", CommandType: discordgo.UserApplicationCommand}), false, bot.Message{}, false},
		{"no data", base(discordgo.InteractionApplicationCommand, nil), false, bot.Message{}, false},
		{"no user", &discordgo.Interaction{ID: "1", Token: "t", Type: discordgo.InteractionApplicationCommand, Data: discordgo.ApplicationCommandInteractionData{Name: "help"}}, false, bot.Message{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, eph, ok := interactionMessage(c.i)
			if ok != c.ok || (ok && (got != c.want || eph != c.ephemeral)) {
				t.Errorf("got %+v ephemeral=%v ok=%v, want %+v ephemeral=%v ok=%v", got, eph, ok, c.want, c.ephemeral, c.ok)
			}
		})
	}
}

func TestAddressed(t *testing.T) {
	const me = "42"
	bot42 := &discordgo.User{ID: me}
	cases := []struct {
		name     string
		m        discordgo.Message
		mc       bool
		wantText string
		wantOK   bool
	}{
		{"direct message", discordgo.Message{Content: "hi there"}, false, "hi there", true},
		{"direct message with a mention", discordgo.Message{Content: "<@42> hi"}, false, "hi", true},
		{"guild mention", discordgo.Message{GuildID: "g", Content: "<@42>  what\ndo they do?", Mentions: []*discordgo.User{bot42}}, false, "what do they do?", true},
		{"guild nickname mention in text only", discordgo.Message{GuildID: "g", Content: "hey <@!42>"}, false, "hey", true},
		{"guild mention of someone else", discordgo.Message{GuildID: "g", Content: "<@43> hi", Mentions: []*discordgo.User{{ID: "43"}}}, false, "", false},
		{"guild, no mention", discordgo.Message{GuildID: "g", Content: "what  do they do?"}, false, "", false},
		{"reply to the bot, no intent", discordgo.Message{GuildID: "g", Content: "", ReferencedMessage: &discordgo.Message{Author: bot42}}, false, "", false},
		{"reply to the bot, with intent", discordgo.Message{GuildID: "g", Content: "and education?", ReferencedMessage: &discordgo.Message{Author: bot42}}, true, "and education?", true},
		{"reply to someone else, with intent", discordgo.Message{GuildID: "g", Content: "x", ReferencedMessage: &discordgo.Message{Author: &discordgo.User{ID: "5"}}}, true, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text, ok := addressed(&c.m, me, c.mc)
			if ok != c.wantOK || text != c.wantText {
				t.Errorf("got %q %v, want %q %v", text, ok, c.wantText, c.wantOK)
			}
		})
	}
}

func TestRestPoolRotates(t *testing.T) {
	now := time.Unix(0, 0)
	made := 0
	p := &restPool{rotateAfter: time.Minute, now: func() time.Time { return now },
		make: func() *discordgo.Session { made++; s, _ := discordgo.New("Bot x"); return s }}
	a := p.get()
	now = now.Add(59 * time.Second)
	if p.get() != a {
		t.Error("rotated within the period")
	}
	now = now.Add(time.Second)
	if b := p.get(); b == a || made != 2 {
		t.Errorf("did not rotate after the period (made %d)", made)
	}
}

func TestRewriteTransport(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = append(got, r.Host+" "+r.URL.RequestURI()) }))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	c := httpClient(Config{APIURL: srv.URL + "/base/"})
	for _, target := range []string{discordgo.EndpointGateway + "?x=1", srv.URL + "/other"} {
		resp, err := c.Get(target)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	want := []string{u.Host + " /base/api/v9/gateway?x=1", u.Host + " /other"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if c.Timeout != 20*time.Second {
		t.Errorf("timeout %v", c.Timeout)
	}
}

func TestRedact(t *testing.T) {
	r := redactor("sec.ret-TOKEN")
	in := `Bot sec.ret-TOKEN failed at https://discord.com/api/v9/interactions/123/aW50ZXJhY3Rpb24.tok-en_x/callback and /webhooks/456/tok.en2/messages/@original`
	got := r.String(in)
	for _, secret := range []string{"sec.ret-TOKEN", "aW50ZXJhY3Rpb24", "tok.en2"} {
		if strings.Contains(got, secret) {
			t.Errorf("%q survived: %s", secret, got)
		}
	}
	if !strings.Contains(got, "interactions/123/[redacted]/callback") || !strings.Contains(got, "webhooks/456/[redacted]/messages") {
		t.Errorf("redacted too much or too little: %s", got)
	}
}

// unescape reads finalised text the way Discord shows it: a backslash
// before punctuation shows the punctuation, <url> shows the URL.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] == '<' {
			if end := strings.IndexByte(s[i:], '>'); end > 0 && strings.HasPrefix(s[i+1:], "http") {
				b.WriteString(s[i+1 : i+end])
				i += end + 1
				continue
			}
		}
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += size
	}
	return b.String()
}

// checkEscaped reports the first character of user text that Discord
// could read as markup in finalised text: every special character must be
// escaped, outside <url>s.
func checkEscaped(s string) string {
	lineStart, digits := true, false
	for i := 0; i < len(s); {
		if s[i] == '<' && strings.HasPrefix(s[i+1:], "http") {
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return "unclosed <url"
			}
			if strings.ContainsAny(s[i:i+end], " \n\t") {
				return "space inside <url>"
			}
			i += end + 1
			lineStart, digits = false, false
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == '\\' {
			if i+1 >= len(s) {
				return "dangling backslash"
			}
			next, nsize := utf8.DecodeRuneInString(s[i+1:])
			if next > unicode.MaxASCII || unicode.IsLetter(next) || unicode.IsDigit(next) || unicode.IsSpace(next) {
				return "backslash before " + string(next)
			}
			i += 1 + nsize
			lineStart, digits = false, false
			continue
		}
		switch {
		case strings.ContainsRune(markdownSpecial, r):
			return "unescaped " + string(r)
		case r == '.' && digits:
			return "numbered list"
		case r == '+' && lineStart:
			return "list marker +"
		}
		switch {
		case r == '\n':
			lineStart, digits = true, false
		case lineStart && (r == ' ' || r == '\t'):
		case (lineStart || digits) && r >= '0' && r <= '9':
			lineStart, digits = false, true
		default:
			lineStart, digits = false, false
		}
		i += size
	}
	return ""
}

// startsSomewhere reports whether r begins the text, a line, a word or a
// list item of text, where a message may begin with it.
func startsSomewhere(text string, r rune) bool {
	prev := ' '
	for _, c := range text {
		if c == r && (unicode.IsSpace(prev) || prev == '|') {
			return true
		}
		prev = c
	}
	return false
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

// checkParts checks the messages made of user text: within the limit,
// valid UTF-8, fully escaped, together saying what the text said, and no
// message starting with a mark that belongs to the character before.
func checkParts(t testing.TB, text string, parts []string, limit int) {
	t.Helper()
	var all strings.Builder
	for k, p := range parts {
		if n := utf8.RuneCountInString(p); n > limit || n == 0 {
			t.Fatalf("part %d: %d characters, limit %d", k, n, limit)
		}
		if !utf8.ValidString(p) {
			t.Fatalf("part %d: invalid UTF-8", k)
		}
		if why := checkEscaped(p); why != "" {
			t.Fatalf("part %d: %s in %q", k, why, p)
		}
		if k > 0 {
			if r, _ := utf8.DecodeRuneInString(p); unicode.In(r, unicode.Mn, unicode.Me) || r == '\u200d' {
				if !startsSomewhere(text, r) {
					t.Fatalf("part %d starts with %U, cut from its character", k, r)
				}
			}
		}
		all.WriteString(unescape(p))
	}
	if got, want := squash(all.String()), squash(strings.ToValidUTF8(text, "\uFFFD")); got != want {
		t.Fatalf("the parts say something else:\n got %q\nwant %q", got, want)
	}
}

func TestSplitLong(t *testing.T) {
	cases := []struct {
		name  string
		text  string
		limit int
	}{
		{"markdown everywhere", strings.Repeat("**a** _b_ `c` [d](e) <@1> | ~ # - > \\ ", 300), 2000},
		{"one long word of markup", strings.Repeat("*", 5000), 2000},
		{"Chinese, no spaces", strings.Repeat("健康信息管理职业，收集、编码和管理健康信息。", 200), 2000},
		{"combining marks", strings.Repeat("e\u0301", 3000), 2000},
		{"emoji sequences", strings.Repeat("👩\u200d💻🇨🇦", 1500), 2000},
		{"a URL longer than a message", "see https://example.org/" + strings.Repeat("a_b", 1000) + " ok", 2000},
		{"numbered lines", strings.Repeat("12. item\n+ plus\n", 500), 2000},
		{"small limit", strings.Repeat("a_b ", 50), 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parts := renderText(bot.Reply{Blocks: []bot.Block{{Kind: bot.Paragraph, Text: c.text}}}, c.limit)
			if len(parts) < 2 {
				t.Fatalf("%d parts", len(parts))
			}
			checkParts(t, c.text, parts, c.limit)
		})
	}
}

// FuzzRenderSplit: whatever the text, the messages are within the limit,
// valid, fully escaped and say the text; the seed corpus runs with every
// go test.
func FuzzRenderSplit(f *testing.F) {
	for _, s := range []string{
		"", "hello", "**bold** _it_ `code` ~~s~~ ||sp|| [l](u) <@123> @everyone # h\n> q\n- l\n1. n",
		strings.Repeat("健康信息管理。", 400), strings.Repeat("a\\", 1500), "https://x.org/a_b*c. (https://y.org)",
		strings.Repeat("e\u0301", 1200), "\uE000\uE001\uE002\uE003", "\xff\xfe bad utf8", "1.\n2.\n 3. x",
		strings.Repeat("*", 2100), "+ plus\n\t+ tab", "<https://x.org>", "a<http://b c>d",
	} {
		f.Add(s, 2000)
		f.Add(s, 50)
	}
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if limit < 8 || limit > 4000 {
			limit = 8 + (limit%3993+3993)%3993
		}
		r := bot.Reply{Blocks: []bot.Block{{Kind: bot.Paragraph, Text: text}, {Kind: bot.List, Items: strings.Split(text, "|")}}}
		parts := renderText(r, limit)
		if strings.TrimSpace(strings.ToValidUTF8(text, "")) == "" {
			return
		}
		// The list repeats the text, cut at the |s, as bullets.
		var items []string
		for _, it := range strings.Split(text, "|") {
			if strings.TrimSpace(sanitize(it)) != "" {
				items = append(items, "•"+it)
			}
		}
		want := text + strings.Join(items, "")
		checkParts(t, sanitize(want), parts, limit)
	})
}
