package discord

import (
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/bot/discord/discordtest"
)

// TestDiscordgoLogsNoPayload makes discordgo log whole gateway events: an
// interaction replayed after a reconnect before RESUMED (logged with %#v,
// its JSON as a byte dump), an event type and an op it does not know
// (logged with the JSON as text). No log line, decoded every way a
// payload could be printed, holds the interaction's token, what the user
// wrote or the raw ids.
func TestDiscordgoLogsNoPayload(t *testing.T) {
	t.Parallel()
	h := startBot(t, setup{})
	f := h.f
	const text = "my passport number is ZX1234567 whats the salary"
	opts := discordtest.InteractionOpts{User: "1301", Channel: "1300000000000000001", Locale: "en-US"}
	first := f.SlashInteraction(opts, "help")
	f.Dispatch(t, "INTERACTION_CREATE", first)
	f.WaitRequests(1, discordtest.IsCallback(first))

	early := f.SlashInteraction(opts, "ask", [2]string{"question", text})
	f.DispatchBeforeResumed(t, "INTERACTION_CREATE", early)
	f.Drop()
	f.WaitConnected(2)
	f.WaitRequests(1, discordtest.IsCallback(early))

	unknown := f.MessageCreate(discordtest.MessageOpts{User: "1302", Channel: opts.Channel, Content: text})
	unknown["token"] = discordtest.InteractionToken(early)
	f.Dispatch(t, "NOCBOT_FUTURE_EVENT", unknown)
	f.Send(t, 42, "", unknown)
	// The gateway's events are read in order: once the next one is
	// answered, the lines about those before it are written.
	last := f.SlashInteraction(opts, "help")
	f.Dispatch(t, "INTERACTION_CREATE", last)
	f.WaitRequests(1, discordtest.IsCallback(last))
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}

	logs := h.logs.String()
	for _, want := range []string{"Expected READY/RESUMED", "unknown event", "unknown Op"} {
		if !strings.Contains(logs, want) {
			t.Errorf("discordgo did not log %q: the test did not provoke it", want)
		}
	}
	secrets := map[string]string{
		"interaction token": discordtest.InteractionToken(early),
		"message text":      text,
		"interaction id":    discordtest.InteractionID(early),
		"message id":        unknown["id"].(string),
	}
	for _, line := range strings.Split(logs, "\n") {
		if !strings.Contains(line, "discordgo") {
			continue
		}
		for _, form := range decodedForms(line) {
			for what, s := range secrets {
				if strings.Contains(form, s) {
					t.Errorf("the %s reached a log line:\n%s", what, line)
				}
			}
		}
	}
}

var (
	hexDumpRE = regexp.MustCompile(`0x[0-9a-fA-F]{1,2}(?:,\s*0x[0-9a-fA-F]{1,2})+`)
	decDumpRE = regexp.MustCompile(`\[[0-9]{1,3}(?: [0-9]{1,3})+\]`)
	hexRunRE  = regexp.MustCompile(`[0-9a-fA-F]{16,}`)
	b64RunRE  = regexp.MustCompile(`[A-Za-z0-9+/_\-]{16,}={0,2}`)
)

// decodedForms is a log line and what it says once byte dumps
// ([]byte{0x7b, ...} and [123 34 ...]), hex, base64 and Go or JSON string
// escapes are decoded.
func decodedForms(line string) []string {
	forms := []string{line, strings.NewReplacer(`\"`, `"`, `\\`, `\`).Replace(line)}
	if u, err := strconv.Unquote(`"` + strings.ReplaceAll(line, `"`, `\"`) + `"`); err == nil {
		forms = append(forms, u)
	}
	for _, m := range hexDumpRE.FindAllString(line, -1) {
		var b []byte
		for _, x := range strings.Split(m, ",") {
			n, _ := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(x), "0x"), 16, 8)
			b = append(b, byte(n))
		}
		forms = append(forms, string(b))
	}
	for _, m := range decDumpRE.FindAllString(line, -1) {
		var b []byte
		for _, x := range strings.Fields(strings.Trim(m, "[]")) {
			n, _ := strconv.ParseUint(x, 10, 8)
			b = append(b, byte(n))
		}
		forms = append(forms, string(b))
	}
	for _, m := range hexRunRE.FindAllString(line, -1) {
		if b, err := hex.DecodeString(m[:len(m)&^1]); err == nil {
			forms = append(forms, string(b))
		}
	}
	for _, m := range b64RunRE.FindAllString(line, -1) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(m); err == nil {
				forms = append(forms, string(b))
			}
		}
	}
	return forms
}

func TestDecodedForms(t *testing.T) {
	t.Parallel()
	const s = "itok-1-aBc_D.e hello"
	for _, line := range []string{
		`RawData:json.RawMessage{0x69, 0x74, 0x6f, 0x6b, 0x2d, 0x31, 0x2d, 0x61, 0x42, 0x63, 0x5f, 0x44, 0x2e, 0x65, 0x20, 0x68, 0x65, 0x6c, 0x6c, 0x6f}`,
		`data=[105 116 111 107 45 49 45 97 66 99 95 68 46 101 32 104 101 108 108 111]`,
		"x=" + hex.EncodeToString([]byte(s)),
		"x=" + base64.StdEncoding.EncodeToString([]byte(s)),
		"x=" + base64.RawURLEncoding.EncodeToString([]byte(s)),
		`msg="a \"itok-1-aBc_D.e hello\""`,
	} {
		found := false
		for _, f := range decodedForms(line) {
			found = found || strings.Contains(f, s)
		}
		if !found {
			t.Errorf("%s: not decoded", line)
		}
	}
}
