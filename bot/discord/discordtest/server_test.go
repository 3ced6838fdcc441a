package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

const token = "test.token.value"

// recordingTB keeps the errors the fake reports instead of failing the
// test, so that the rules themselves can be tested.
type recordingTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

func (r *recordingTB) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// restChecked makes one REST call and checks its status and the
// violations the fake reports for it: none, or one about violation.
func restChecked(t *testing.T, tb *recordingTB, f *Server, name, method, path, auth, body string, status int, violation string) {
	t.Helper()
	before := len(tb.errors())
	got, reply := rest(t, f, method, path, auth, body)
	if got != status {
		t.Errorf("%s: status %d (%s), want %d", name, got, reply, status)
	}
	errs := tb.errors()[before:]
	switch {
	case violation == "" && len(errs) > 0:
		t.Errorf("%s: violations %q, want none", name, errs)
	case violation != "" && (len(errs) != 1 || !strings.Contains(errs[0], violation)):
		t.Errorf("%s: violations %q, want one about %q", name, errs, violation)
	}
}

func rest(t *testing.T, f *Server, method, path, auth, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL()+"/api/v9"+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// connect plays a bot's side of the gateway handshake up to IDENTIFY with
// tok.
func connect(t *testing.T, f *Server, tok string) *websocket.Conn {
	t.Helper()
	_, body := rest(t, f, http.MethodGet, "/gateway/bot", "Bot "+token, "")
	var gw struct{ URL string }
	if err := json.Unmarshal([]byte(body), &gw); err != nil || gw.URL == "" {
		t.Fatalf("GET /gateway/bot: %q", body)
	}
	c, _, err := websocket.DefaultDialer.Dial(gw.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	var hello gatewayFrame
	if err := c.ReadJSON(&hello); err != nil || hello.Op != 10 {
		t.Fatalf("HELLO: op %d, %v", hello.Op, err)
	}
	if err := c.WriteJSON(map[string]any{"op": 2, "d": map[string]any{"token": "Bot " + tok, "intents": 513}}); err != nil {
		t.Fatal(err)
	}
	return c
}

const okMessage = `{"content":"hi","allowed_mentions":{"parse":[]}}`

func TestGateway(t *testing.T) {
	f := NewServer(t, token)
	c := connect(t, f, token)
	var ready gatewayFrame
	if err := c.ReadJSON(&ready); err != nil || ready.Type != "READY" {
		t.Fatalf("after IDENTIFY: %+v, %v", ready, err)
	}
	f.WaitConnected(1)
	if ids := f.Identifies(); len(ids) != 1 || ids[0].Intents != 513 {
		t.Errorf("identifies %+v", ids)
	}
	f.Dispatch(t, "MESSAGE_CREATE", f.MessageCreate(MessageOpts{User: "1", Channel: "2", Content: "hello"}))
	var ev gatewayFrame
	if err := c.ReadJSON(&ev); err != nil || ev.Type != "MESSAGE_CREATE" || ev.Seq <= ready.Seq || !strings.Contains(string(ev.D), "hello") {
		t.Errorf("dispatch: %+v, %v", ev, err)
	}

	// A wrong token is refused with close code 4004.
	bad := connect(t, f, "wrong")
	_, _, err := bad.ReadMessage()
	if ce, ok := err.(*websocket.CloseError); !ok || ce.Code != 4004 {
		t.Errorf("IDENTIFY with a wrong token: %v, want close 4004", err)
	}
}

func TestRules(t *testing.T) {
	tb := &recordingTB{TB: t}
	f := NewServer(tb, token)
	connect(t, f, token)
	f.WaitConnected(1)
	i := f.SlashInteraction(InteractionOpts{User: "1", Channel: "2", Locale: "en-US"}, "help")
	f.Dispatch(t, "INTERACTION_CREATE", i)
	callback := "/interactions/" + InteractionID(i) + "/" + InteractionToken(i) + "/callback"
	original := "/webhooks/" + AppID + "/" + InteractionToken(i) + "/messages/@original"

	tests := []struct {
		name, method, path, auth, body string
		status                         int
		violation                      string // "" : none
	}{
		{"no token", http.MethodPost, "/channels/2/messages", "", okMessage, 401, ""},
		{"wrong token", http.MethodPost, "/channels/2/messages", "Bot nope", okMessage, 401, ""},
		{"message", http.MethodPost, "/channels/2/messages", "Bot " + token, okMessage, 200, ""},
		{"pings allowed", http.MethodPost, "/channels/2/messages", "Bot " + token, `{"content":"hi"}`, 400, "allowed_mentions"},
		{"too long", http.MethodPost, "/channels/2/messages", "Bot " + token,
			`{"content":"` + strings.Repeat("é", 2001) + `","allowed_mentions":{"parse":[]}}`, 400, "2001 characters"},
		{"empty", http.MethodPost, "/channels/2/messages", "Bot " + token, `{"content":" ","allowed_mentions":{"parse":[]}}`, 400, "empty"},
		{"same button twice", http.MethodPost, "/channels/2/messages", "Bot " + token,
			`{"content":"x","allowed_mentions":{"parse":[]},"components":[{"type":1,"components":[{"type":2,"label":"a","custom_id":"k"},{"type":2,"label":"b","custom_id":"k"}]}]}`,
			400, "twice"},
		{"edit before the answer", http.MethodPatch, original, "Bot " + token, okMessage, 404, "not answered yet"},
		{"unknown interaction", http.MethodPost, "/interactions/1/tok/callback", "", `{"type":5}`, 404, "unknown interaction"},
		{"answer", http.MethodPost, callback, "", `{"type":4,"data":` + okMessage + `}`, 204, ""},
		{"answered twice", http.MethodPost, callback, "", `{"type":5}`, 400, "twice"},
		{"edit after the answer", http.MethodPatch, original, "Bot " + token, okMessage, 200, ""},
		{"unknown route", http.MethodGet, "/nowhere", "Bot " + token, "", 404, ""},
	}
	for _, tt := range tests {
		restChecked(t, tb, f, tt.name, tt.method, tt.path, tt.auth, tt.body, tt.status, tt.violation)
	}
	if got := len(f.Violations()); got != len(tb.errors()) {
		t.Errorf("Violations() lists %d, %d reported", got, len(tb.errors()))
	}
}

// The rules of autocomplete: callback type 8 only, at most 25 choices,
// names and values of 1-100 characters, within 3 seconds of the
// interaction's creation.
func TestAutocompleteRules(t *testing.T) {
	tb := &recordingTB{TB: t}
	f := NewServer(tb, token)
	connect(t, f, token)
	f.WaitConnected(1)
	o := InteractionOpts{User: "1", Channel: "2", Locale: "zh-CN"}
	choices := func(n int, name, value string) string {
		var cs []string
		for range n {
			cs = append(cs, fmt.Sprintf(`{"name":%q,"value":%q}`, name, value))
		}
		return `{"type":8,"data":{"choices":[` + strings.Join(cs, ",") + `]}}`
	}
	tests := []struct {
		name      string
		created   time.Time // zero: now
		body      string
		status    int
		violation string
	}{
		{"25 choices", time.Time{}, choices(25, "31301 Registered nurses", "31301"), 204, ""},
		{"no choices", time.Time{}, choices(0, "", ""), 204, ""},
		{"26 choices", time.Time{}, choices(26, "31301 Registered nurses", "31301"), 400, "26 choices"},
		{"name of 101", time.Time{}, choices(1, strings.Repeat("护", 101), "31301"), 400, "choice name"},
		{"empty name", time.Time{}, choices(1, "", "31301"), 400, "choice name"},
		{"value of 101", time.Time{}, choices(1, "x", strings.Repeat("v", 101)), 400, "choice value"},
		{"a message instead", time.Time{}, `{"type":4,"data":` + okMessage + `}`, 400, "callback type 4"},
		{"deferred", time.Time{}, `{"type":5}`, 400, "callback type 5"},
		{"after 3 s", time.Now().Add(-3500 * time.Millisecond), choices(1, "x", "y"), 404, "answered after"},
	}
	for _, tt := range tests {
		i := f.interaction(o, 4)
		if !tt.created.IsZero() {
			i["id"] = f.IDAt(tt.created)
		}
		i["data"] = map[string]any{"id": "7", "name": "noc", "type": 1, "options": []any{map[string]any{"name": "code", "type": 3, "value": "nur", "focused": true}}}
		f.Dispatch(t, "INTERACTION_CREATE", i)
		restChecked(t, tb, f, tt.name, http.MethodPost, "/interactions/"+InteractionID(i)+"/"+InteractionToken(i)+"/callback", "", tt.body, tt.status, tt.violation)
	}
	// A slash command is not answered with choices.
	i := f.SlashInteraction(o, "noc")
	f.Dispatch(t, "INTERACTION_CREATE", i)
	before := len(tb.errors())
	if status, _ := rest(t, f, http.MethodPost, "/interactions/"+InteractionID(i)+"/"+InteractionToken(i)+"/callback", "", choices(1, "x", "y")); status != 400 || len(tb.errors()) != before+1 {
		t.Errorf("choices to a slash command: %d, violations %q", status, tb.errors()[before:])
	}
	// A link button is a URL and no custom_id.
	for _, c := range []struct {
		button string
		ok     bool
	}{
		{`{"type":2,"style":5,"label":"NOC 72106","url":"https://noc.esdc.gc.ca/x"}`, true},
		{`{"type":2,"style":5,"label":"NOC 72106","url":"javascript:alert(1)"}`, false},
		{`{"type":2,"style":5,"label":"NOC 72106","url":"https://x","custom_id":"k"}`, false},
		{`{"type":2,"style":2,"label":"a","custom_id":"k","url":"https://x"}`, false},
	} {
		before := len(tb.errors())
		status, _ := rest(t, f, http.MethodPost, "/channels/2/messages", "Bot "+token, `{"content":"x","allowed_mentions":{"parse":[]},"components":[{"type":1,"components":[`+c.button+`]}]}`)
		if ok := status == 200 && len(tb.errors()) == before; ok != c.ok {
			t.Errorf("%s: status %d, violations %q", c.button, status, tb.errors()[before:])
		}
	}
}

func TestHooksAndSlow(t *testing.T) {
	f := NewServer(t, token)
	f.AddHook(&Hook{Match: func(r *Request) bool { return r.Path == "/channels/3/messages" }, Status: 429, Times: 1,
		Header: map[string]string{"Retry-After": "1"}, Body: APIError(0, "slow down")})
	f.Slow(func(r *Request) bool { return r.Path == "/channels/4/messages" }, 50*time.Millisecond)

	if status, _ := rest(t, f, http.MethodPost, "/channels/3/messages", "Bot "+token, okMessage); status != 429 {
		t.Errorf("hooked: %d, want 429", status)
	}
	if status, _ := rest(t, f, http.MethodPost, "/channels/3/messages", "Bot "+token, okMessage); status != 200 {
		t.Errorf("after the hook ran out: %d, want 200", status)
	}
	start := time.Now()
	if status, _ := rest(t, f, http.MethodPost, "/channels/4/messages", "Bot "+token, okMessage); status != 200 {
		t.Errorf("slow: %d, want 200", status)
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Errorf("slow request answered in %v", took)
	}
	if n := len(f.Requests(IsChannelMessage("3"))); n != 1 {
		t.Errorf("IsChannelMessage matched %d, want the one accepted", n)
	}

	// Client sends requests for any host to the fake.
	resp, err := f.Client().Get("https://discord.com/api/v9/gateway")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /gateway without a token through Client: %d, want 401", resp.StatusCode)
	}
}
