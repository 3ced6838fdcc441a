package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/discord/discordtest"
	"github.com/nocbot/nocbot/bot/telegram"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
	"github.com/nocbot/nocbot/metrics"
)

// listener is a loopback listener on a port of its own, for serve's HTTP
// endpoints.
func listener(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// serving runs `nocbot serve` in process until stop is called (the
// SIGTERM path: the context main cancels on a signal), its HTTP endpoints
// on ln (NOCBOT_HTTP_ADDR is ln's address). environ names the profiles in
// NOCBOT_SEEDS (bottest.FixtureDir): serve's tests answer from the fixture
// set, never from what nocbot ships.
func serving(t *testing.T, environ map[string]string, ln net.Listener, logs io.Writer) (stop func() int) {
	t.Helper()
	return servingWatched(t, environ, ln, logs, nil)
}

// servingWatched is serving, giving serve's metrics to onMetrics.
func servingWatched(t *testing.T, environ map[string]string, ln net.Listener, logs io.Writer, onMetrics func(*metrics.Metrics)) (stop func() int) {
	t.Helper()
	if environ["NOCBOT_SEEDS"] == "" {
		t.Fatal("serving: no NOCBOT_SEEDS; serve tests answer from bottest.FixtureDir")
	}
	getenv := func(k string) string {
		if k == "NOCBOT_HTTP_ADDR" {
			return ln.Addr().String()
		}
		return environ[k]
	}
	return bottest.Run(t, func(ctx context.Context) int {
		return run(ctx, []string{"serve"}, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs,
			getenv: getenv, httpListener: ln, onMetrics: onMetrics})
	})
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// telegramServing waits until the Telegram bot serves: it polls only once
// it does.
func telegramServing(tg *telegramtest.Server) { tg.WaitRequests("getUpdates", 1) }

// discordServing waits until the Discord bot serves: it registers the
// commands once the gateway is open and READY handled.
func discordServing(dc *discordtest.Server) { dc.WaitRequests(1, discordtest.IsCommands) }

// metricValue reads one sample of /metrics text, 0 when absent.
func metricValue(body, sample string) float64 {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// waitMetrics waits until every sample of /metrics reaches its value. The
// counts move after the platform accepted a message, with nothing a fake
// sees to wait on, so it reads /metrics again and again; its minute is a
// safety net that names what is missing, far above any real wait.
func waitMetrics(t *testing.T, addr string, m *metrics.Metrics, want map[string]float64) {
	t.Helper()
	for {
		changed := m.Changed() // before reading: a change after the read wakes us
		_, body := get(t, "http://"+addr+"/metrics")
		short := false
		for sample, n := range want {
			if metricValue(body, sample) < n {
				short = true
			}
		}
		if !short {
			return
		}
		<-changed
	}
}

const discordToken = "MTAwMDAwMDAwMDAwMDAwMDAx.Gx7abc.s3cr3t-T0KEN_value_do-not-log"

// TestServeBothPlatforms runs nocbot serve against the fake Telegram and
// the fake Discord at once: both answer in the language asked, /healthz
// and /metrics report both, and a SIGTERM while replies are in flight on
// both loses nothing.
func TestServeBothPlatforms(t *testing.T) {
	tg := telegramtest.NewServer(t)
	dc := discordtest.NewServer(t, discordToken)
	ln := listener(t)
	addr := ln.Addr().String()
	environ := map[string]string{
		"HOME": t.TempDir(), "NOCBOT_DB": filepath.Join(t.TempDir(), "nocbot.db"), "NOCBOT_SEEDS": bottest.FixtureDir(t),
		"NOCBOT_LOG_FORMAT": "json", "NOCBOT_SHUTDOWN_TIMEOUT": "10s",
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
		"DISCORD_TOKEN": discordToken, "DISCORD_APP_ID": discordtest.AppID, "DISCORD_GUILD_ID": discordtest.GuildID,
		"DISCORD_API_URL": dc.URL(),
	}
	logs := &bottest.LogBuffer{}
	served := make(chan *metrics.Metrics, 1)
	stop := servingWatched(t, environ, ln, logs, func(m *metrics.Metrics) { served <- m })
	m := <-served
	telegramServing(tg)
	discordServing(dc)

	// Both answer, each in the language asked.
	tg.Push(telegramtest.PrivateText(1, "需要什么学历？", "zh-hans"), telegramtest.PrivateText(2, "what are the duties?", "en"))
	ask := dc.SlashInteraction(discordtest.InteractionOpts{User: "801", Channel: "900000000000000001", Locale: "zh-CN", Guild: true},
		"ask", [2]string{"question", "需要什么学历？"})
	dc.Dispatch(t, "INTERACTION_CREATE", ask)
	dc.Dispatch(t, "MESSAGE_CREATE", dc.MessageCreate(discordtest.MessageOpts{User: "802", Channel: "900000000000000002",
		Content: "<@" + discordtest.BotID + "> how do I get promoted?", Guild: true, Mention: true}))
	for _, s := range tg.WaitSent(2) {
		if (s.Chat == 1) != strings.Contains(s.Text, "文凭") {
			t.Errorf("telegram chat %d got %q", s.Chat, s.Text)
		}
	}
	if m := dc.WaitRequests(1, discordtest.IsAnswer(ask))[0].Msg(); !strings.Contains(m.Content, "文凭") {
		t.Errorf("discord /ask in Chinese got %q", m.Content)
	}
	if m := dc.WaitRequests(1, discordtest.IsChannelMessage("900000000000000002"))[0].Msg(); !strings.Contains(m.Content, "supervisor") {
		t.Errorf("discord mention in English got %q", m.Content)
	}

	// Search while typing, on both, from the profiles serve loaded.
	iq := tg.InlineQuery(3, "weld", "", "en")
	tg.Push(iq)
	if a := tg.WaitInlineAnswer(iq.InlineQuery.ID); len(a.Results) != 1 || a.Results[0].ID != "en-72106" {
		t.Errorf("telegram inline query \"weld\" got %+v", a.Results)
	}
	ac := dc.AutocompleteInteraction(discordtest.InteractionOpts{User: "803", Channel: "900000000000000003", Locale: "zh-CN", Guild: true}, "noc", "code", "weld")
	dc.Dispatch(t, "INTERACTION_CREATE", ac)
	if cs := dc.WaitRequests(1, discordtest.IsCallback(ac))[0].Choices(); len(cs) != 1 || cs[0].Name != "72106 焊工及相关机器操作员" {
		t.Errorf("discord autocomplete \"weld\" got %+v", cs)
	}

	code, body := get(t, "http://"+addr+"/healthz")
	for _, want := range []string{`"database":"ok"`, `"telegram":"ok"`, `"discord":"ok"`} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("/healthz: %d %s; want %s", code, body, want)
		}
	}
	// The container's health check, with the address as the image sets it.
	_, port, _ := net.SplitHostPort(addr)
	healthEnv := map[string]string{"NOCBOT_HTTP_ADDR": ":" + port}
	if code, out, stderr := runCmd(t, "", healthEnv, "health"); code != 0 || !strings.Contains(out, `"discord":"ok"`) {
		t.Errorf("nocbot health: exit %d, %q %q", code, out, stderr)
	}
	// The adapters count a message once the platform accepted it, a
	// moment after the fake saw it: wait for the counts.
	waitMetrics(t, addr, m, map[string]float64{
		`nocbot_messages_received_total{platform="telegram"}`:                                         2,
		`nocbot_messages_received_total{platform="discord"}`:                                          2,
		`nocbot_messages_sent_total{lang="zh",platform="telegram"}`:                                   1,
		`nocbot_messages_sent_total{lang="en",platform="telegram"}`:                                   1,
		`nocbot_messages_sent_total{lang="zh",platform="discord"}`:                                    1,
		`nocbot_messages_sent_total{lang="en",platform="discord"}`:                                    1,
		`nocbot_questions_total{answered="true",intent="requirements",lang="zh",platform="telegram"}`: 1,
		`nocbot_questions_total{answered="true",intent="requirements",lang="zh",platform="discord"}`:  1,
		`nocbot_questions_total{answered="true",intent="advancement",lang="en",platform="discord"}`:   1,
		`nocbot_reply_seconds_count{platform="discord"}`:                                              1,
		`nocbot_reply_seconds_count{platform="telegram"}`:                                             1,
	})

	// SIGTERM in the middle of both streams. Telegram: replies in flight
	// finish, the rest are fetched again after the restart, none doubled.
	// Discord: every event the bot received is answered before it exits
	// (Discord does not redeliver).
	var stream []tgbotapi.Update
	for c := range 30 {
		for range 3 {
			stream = append(stream, telegramtest.PrivateText(int64(100+c), "how do I get promoted", ""))
		}
		tg.SlowChat(int64(100+c), 100*time.Millisecond) // replies still in flight at SIGTERM, on any machine
	}
	const discordStream = 30
	dc.Slow(func(r *discordtest.Request) bool { return strings.HasPrefix(r.Path, "/channels/91") }, time.Second)
	tg.Push(stream...)
	for c := range discordStream {
		dc.Dispatch(t, "MESSAGE_CREATE", dc.MessageCreate(discordtest.MessageOpts{User: fmt.Sprint(810 + c),
			Channel: fmt.Sprint(910000000000000000 + c), Content: "<@" + discordtest.BotID + "> 怎么晋升？", Guild: true, Mention: true}))
	}
	discordReplies := func() int {
		return len(dc.Requests(func(r *discordtest.Request) bool {
			return strings.HasPrefix(r.Path, "/channels/91") && r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/messages") && r.Status < 300
		}))
	}
	tg.WaitSent(2 + 20)
	waitMetrics(t, addr, m, map[string]float64{`nocbot_messages_received_total{platform="discord"}`: 2 + discordStream})
	if n := len(tg.Sent()); n == 2+len(stream) {
		t.Fatal("every Telegram reply was sent before SIGTERM: the test would prove nothing")
	}
	if n := discordReplies(); n == discordStream {
		t.Fatal("every Discord reply was sent before SIGTERM: the test would prove nothing")
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	}
	if n := discordReplies(); n != discordStream {
		t.Errorf("%d of %d Discord replies sent before serve exited", n, discordStream)
	}
	if code, _, stderr := runCmd(t, "", healthEnv, "health"); code == 0 {
		t.Errorf("nocbot health with serve stopped: exit 0 (%s)", stderr)
	}

	serving(t, environ, listener(t), logs)
	// One more question in each chat: a chat answers in order, so once
	// its reply is sent, anything the restart would send again is too.
	for c := range 30 {
		tg.Push(telegramtest.PrivateText(int64(100+c), "/help", ""))
	}
	tg.WaitSent(2 + len(stream) + 30)
	perChat := map[int64][]string{}
	for _, s := range tg.Sent() {
		perChat[s.Chat] = append(perChat[s.Chat], s.Text)
	}
	for c := range 30 {
		if got := perChat[int64(100+c)]; len(got) != 4 || !strings.Contains(got[3], "/noc") {
			t.Errorf("telegram chat %d got %d replies across the restart, want 3 and the help", 100+c, len(got))
		}
	}
	perChannel := map[string]int{}
	for _, r := range dc.Requests(func(r *discordtest.Request) bool { return strings.HasPrefix(r.Path, "/channels/91") && r.Status < 300 }) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/messages") {
			perChannel[r.Path]++
			if m := r.Msg(); !strings.Contains(m.Content, "主管") {
				t.Errorf("discord %s got %q", r.Path, m.Content)
			}
		}
	}
	if len(perChannel) != discordStream {
		t.Errorf("%d Discord channels answered, want %d", len(perChannel), discordStream)
	}
	for path, n := range perChannel {
		if n != 1 {
			t.Errorf("discord %s got %d replies, want 1", path, n)
		}
	}

	out := logs.String()
	for _, secret := range []string{telegramtest.Token, "TEST-secret", discordToken, "s3cr3t-T0KEN"} {
		if strings.Contains(out, secret) {
			t.Errorf("a log line holds a token (%.8s…)", secret)
		}
	}
	for _, text := range []string{"how do I get promoted", "怎么晋升", "需要什么学历"} {
		if strings.Contains(out, text) {
			t.Errorf("message text %q logged at info level", text)
		}
	}
	for _, want := range []string{`"msg":"message"`, `"platform":"discord"`, `"platform":"telegram"`, `"intent":"advancement"`} {
		if !strings.Contains(out, want) {
			t.Errorf("no per-message log line with %s:\n%s", want, out)
		}
	}
}

func TestServeConfigErrors(t *testing.T) {
	base := func(extra map[string]string) map[string]string {
		m := map[string]string{"HOME": t.TempDir(), "NOCBOT_DB": filepath.Join(t.TempDir(), "x.db"), "TELEGRAM_TOKEN": "123:abcdefghijkl"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name    string
		environ map[string]string
		args    []string
		want    string
	}{
		{"no platform", map[string]string{"HOME": t.TempDir()}, nil, "DISCORD_TOKEN"},
		{"bad log format", base(map[string]string{"NOCBOT_LOG_FORMAT": "xml"}), nil, "NOCBOT_LOG_FORMAT"},
		{"bad log level", base(map[string]string{"NOCBOT_LOG_LEVEL": "loud"}), nil, "NOCBOT_LOG_LEVEL"},
		{"bad duration", base(map[string]string{"NOCBOT_SHUTDOWN_TIMEOUT": "soon"}), nil, "NOCBOT_SHUTDOWN_TIMEOUT"},
		{"bad sessions", base(map[string]string{"NOCBOT_MAX_SESSIONS": "-3"}), nil, "NOCBOT_MAX_SESSIONS"},
		{"bad http addr", base(map[string]string{"NOCBOT_HTTP_ADDR": "nonsense"}), nil, "NOCBOT_HTTP_ADDR"},
		{"bad flag value", base(nil), []string{"--session-ttl", "-1m"}, "NOCBOT_SESSION_TTL"},
		{"bad token", map[string]string{"HOME": t.TempDir(), "TELEGRAM_TOKEN": "nonsense"}, nil, "TELEGRAM_TOKEN"},
		{"bad discord shard", map[string]string{"HOME": t.TempDir(), "DISCORD_TOKEN": "abc.def.ghi", "DISCORD_APP_ID": "123", "DISCORD_SHARD_ID": "x", "DISCORD_SHARD_COUNT": "2"}, nil, "DISCORD_SHARD_ID"},
		{"missing env file", base(nil), []string{"--env-file", filepath.Join(t.TempDir(), "none.env")}, "env file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, "", tt.environ, append([]string{"serve"}, tt.args...)...)
			if code == 0 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want a failure naming %s", code, stderr, tt.want)
			}
			if strings.Contains(stderr, "abcdefghijkl") {
				t.Error("the token is in the error")
			}
		})
	}
	_, _, stderr := runCmd(t, "", map[string]string{"HOME": t.TempDir()}, "serve")
	if !strings.Contains(stderr, "nocbot chat") {
		t.Errorf("with no platform, the message does not point to nocbot chat: %q", stderr)
	}
}

func TestServeReadsEnvFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "test.env")
	if err := writeFile(file, "NOCBOT_LOG_FORMAT=xml\n"); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "", map[string]string{"HOME": dir, "TELEGRAM_TOKEN": "123:abcdefghijkl"}, "serve", "--env-file", file)
	if code == 0 || !strings.Contains(stderr, `NOCBOT_LOG_FORMAT="xml"`) {
		t.Errorf("the env file was not read: exit %d, %q", code, stderr)
	}
	// The environment wins over the file.
	code, _, stderr = runCmd(t, "", map[string]string{"HOME": dir, "TELEGRAM_TOKEN": "123:abcdefghijkl", "NOCBOT_LOG_FORMAT": "json", "NOCBOT_LOG_LEVEL": "loud"}, "serve", "--env-file", file)
	if code == 0 || !strings.Contains(stderr, "NOCBOT_LOG_LEVEL") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// A Bot API out of reach at start is waited for in the background: Discord
// answers meanwhile, /healthz says Telegram is connecting, and Telegram
// answers once getMe does.
func TestServeTelegramLateDiscordNotHeld(t *testing.T) {
	tg := telegramtest.NewServer(t)
	tg.InjectFailures("getMe", 502, 502, 502)
	releaseGetMe := tg.HoldMethod("getMe") // Telegram still connecting while Discord answers
	dc := discordtest.NewServer(t, discordToken)
	ln := listener(t)
	addr := ln.Addr().String()
	environ := map[string]string{
		"HOME": t.TempDir(), "NOCBOT_DB": filepath.Join(t.TempDir(), "nocbot.db"), "NOCBOT_SEEDS": bottest.FixtureDir(t),
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
		"DISCORD_TOKEN": discordToken, "DISCORD_APP_ID": discordtest.AppID, "DISCORD_API_URL": dc.URL(),
	}
	logs := &bottest.LogBuffer{}
	serving(t, environ, ln, logs)
	discordServing(dc)
	ask := dc.SlashInteraction(discordtest.InteractionOpts{User: "1", Channel: "900000000000000009", Locale: "en-US"}, "ask", [2]string{"question", "what are the duties?"})
	dc.Dispatch(t, "INTERACTION_CREATE", ask)
	dc.WaitRequests(1, discordtest.IsAnswer(ask))
	code, body := get(t, "http://"+addr+"/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"telegram":"error: connecting`) || !strings.Contains(body, `"discord":"ok"`) {
		t.Errorf("/healthz while Telegram connects: %d %s", code, body)
	}
	releaseGetMe()
	telegramServing(tg)
	if code, body := get(t, "http://"+addr+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz once Telegram polls: %d %s", code, body)
	}
	tg.Push(telegramtest.PrivateText(1, "需要什么学历？", "zh-hans"))
	if got := tg.WaitSent(1); !strings.Contains(got[0].Text, "文凭") {
		t.Errorf("telegram got %q", got[0].Text)
	}
	if n := strings.Count(logs.String(), "out of reach at start"); n != 3 {
		t.Errorf("%d getMe retries logged, want 3", n)
	}
}

// A SIGTERM while Telegram is still connecting is a clean stop.
func TestServeStopWhileConnecting(t *testing.T) {
	tg := telegramtest.NewServer(t)
	tg.InjectFailures("getMe", 502, 502, 502, 502, 502, 502, 502, 502)
	environ := map[string]string{
		"HOME": t.TempDir(), "NOCBOT_DB": filepath.Join(t.TempDir(), "nocbot.db"), "NOCBOT_SEEDS": bottest.FixtureDir(t),
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
	}
	logs := &bottest.LogBuffer{}
	stop := serving(t, environ, listener(t), logs)
	// A second getMe: the first failure was logged and retried.
	tg.WaitRequests("getMe", 2)
	if !strings.Contains(logs.String(), "out of reach at start") {
		t.Fatalf("no retry logged:\n%s", logs.String())
	}
	if code := stop(); code != 0 {
		t.Errorf("serve exited %d when stopped while connecting:\n%s", code, logs.String())
	}
}

// Webhook mode through serve's listener: deliveries before Telegram has
// connected get 503 (Telegram delivers again), then each is answered once.
func TestServeTelegramWebhook(t *testing.T) {
	tg := telegramtest.NewServer(t)
	releaseGetMe := tg.HoldMethod("getMe") // still connecting until released
	ln := listener(t)
	addr := ln.Addr().String()
	const secret = "s3cret-webhook-token_0123"
	environ := map[string]string{
		"HOME": t.TempDir(), "NOCBOT_DB": filepath.Join(t.TempDir(), "nocbot.db"), "NOCBOT_SEEDS": bottest.FixtureDir(t),
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
		"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": secret,
	}
	serving(t, environ, ln, &bottest.LogBuffer{})
	tg.AddChats(4000)
	deliver := func(id int, secret, text string) int {
		u := telegramtest.PrivateText(4000, text, "zh-hans")
		u.UpdateID = id
		body, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/telegram/webhook", bytes.NewReader(body))
		req.Header.Set(telegram.SecretHeader, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	const question = "需要什么学历？"
	tg.WaitRequests("getMe", 1)
	if code := deliver(1, secret, question); code != http.StatusServiceUnavailable {
		t.Errorf("delivery while Telegram connects: %d, want 503", code)
	}
	releaseGetMe()
	tg.WaitRequests("setWebhook", 1) // serving
	if code := deliver(1, secret, question); code != http.StatusOK {
		t.Errorf("delivery: %d, want 200", code)
	}
	if code := deliver(2, "wrong-secret-token-0000", question); code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", code)
	}
	if code := deliver(1, secret, question); code != http.StatusOK {
		t.Errorf("redelivery: %d, want 200", code)
	}
	// A question in English after them, in the same chat: answered in
	// order, so its reply comes after any the redelivery would cause.
	if code := deliver(3, secret, "what are the duties?"); code != http.StatusOK {
		t.Errorf("next update: %d, want 200", code)
	}
	got := tg.WaitSent(2)
	if !strings.Contains(got[0].Text, "文凭") || strings.Contains(got[1].Text, "文凭") {
		t.Errorf("replies %.40q, %.40q; want the answer once, then the next question's", got[0].Text, got[1].Text)
	}
}

// net/http's own log lines (a handler's panic, with its value) go through
// serve's logger: redacted, in its format.
func TestServeHTTPErrorLog(t *testing.T) {
	logs := &bottest.LogBuffer{}
	log := slog.New(bot.NewRedactor(telegramtest.Token).Handler(slog.NewJSONHandler(logs, nil)))
	ln := listener(t)
	boom := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("bad request for bot" + telegramtest.Token) })
	stop, err := startHTTP(context.Background(), "", ln, http.NotFoundHandler(), metrics.New(), map[string]http.Handler{"GET /boom": boom}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	// The server logs the panic, then drops the connection.
	if resp, err := http.Get("http://" + ln.Addr().String() + "/boom"); err == nil {
		resp.Body.Close()
		t.Fatalf("a panicking handler answered %s", resp.Status)
	}
	out := logs.String()
	if !strings.Contains(out, `"level":"ERROR","msg":"http: panic serving`) || !strings.Contains(out, "bad request for bot"+bot.Redacted) {
		t.Errorf("net/http's log line is not in serve's log:\n%s", out)
	}
	if strings.Contains(out, telegramtest.Token) {
		t.Errorf("net/http's log line holds the token:\n%s", out)
	}
}

// While serve runs, code that is handed no logger (slog's default, the
// log package) logs through serve's: redacted, interaction tokens too. Once
// serve returns, both are as they were.
func TestServeDefaultLogger(t *testing.T) {
	tg := telegramtest.NewServer(t)
	environ := map[string]string{
		"HOME": t.TempDir(), "NOCBOT_DB": filepath.Join(t.TempDir(), "nocbot.db"), "NOCBOT_SEEDS": bottest.FixtureDir(t),
		"NOCBOT_LOG_FORMAT": "json", "NOCBOT_LOG_LEVEL": "debug",
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL(),
	}
	prevSlog, prevOut, prevFlags := slog.Default(), stdlog.Writer(), stdlog.Flags()
	logs := &bottest.LogBuffer{}
	stop := serving(t, environ, listener(t), logs)
	telegramServing(tg)
	const interaction = "aW50ZXJhY3Rpb246MTIzNDU2.tok-en_value"
	slog.Debug("library line", "url", "https://discord.com/api/v10/interactions/123456/"+interaction+"/callback")
	stdlog.Print("log package line for bot" + telegramtest.Token)
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	}
	out := logs.String()
	for _, want := range []string{`"msg":"library line"`, "interactions/123456/" + bot.Redacted, `"msg":"log package line for bot` + bot.Redacted} {
		if !strings.Contains(out, want) {
			t.Errorf("serve's log lacks %s:\n%s", want, out)
		}
	}
	for _, secret := range []string{interaction, telegramtest.Token} {
		if strings.Contains(out, secret) {
			t.Errorf("serve's log holds %.8s…", secret)
		}
	}
	if slog.Default() != prevSlog || stdlog.Writer() != prevOut || stdlog.Flags() != prevFlags {
		t.Error("serve left its logger as the default")
	}
}

// A panic in the core is an apology, counted and logged like any message:
// one reply, one "message" line, one question in the metrics.
func TestServeHandlerObservesPanics(t *testing.T) {
	tg := telegramtest.NewServer(t)
	logs := &bottest.LogBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	m := metrics.New()
	core := bot.HandlerFunc(func(context.Context, bot.Message) bot.Reply { panic("a bug in the core") })
	tgb, err := telegram.New(telegram.Config{Token: telegramtest.Token, APIURL: tg.URL()}, serveHandler(core, m, log), nil, m, log)
	if err != nil {
		t.Fatal(err)
	}
	stop := bottest.Run(t, tgb.Run)
	telegramServing(tg)
	tg.Push(telegramtest.PrivateText(1, "what are the duties?", "en"))
	got := tg.WaitSent(1)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if len(tg.Sent()) != 1 || !strings.Contains(got[0].Text, "Sorry, something went wrong") {
		t.Errorf("sent %d replies, first %q; want one apology", len(tg.Sent()), got[0].Text)
	}
	out := logs.String()
	for line, want := range map[string]int{`"msg":"message"`: 1, `"msg":"handler panicked; sent an apology"`: 1} {
		if n := strings.Count(out, line); n != want {
			t.Errorf("%d lines with %s, want %d:\n%s", n, line, want, out)
		}
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if n := metricValue(rec.Body.String(), `nocbot_questions_total{answered="false",intent="none",lang="en",platform="telegram"}`); n != 1 {
		t.Errorf("the apology counted %v times in the metrics, want 1:\n%s", n, rec.Body.String())
	}
}
