// Package discordtest is Discord on loopback for end-to-end tests of the
// adapter and of nocbot serve: the REST API (JSON, as discordgo calls it)
// and the gateway (a websocket), keeping Discord's rules that matter to a
// bot: an interaction answered once and within 3 seconds, an edit or
// follow-up only after it was answered, an autocomplete (type 4) answered
// with choices (callback type 8: at most 25, names and values of at most
// 100 characters) and nothing else, message limits (2000 characters,
// 5 rows of 5 buttons, custom_id up to 100, labels up to 80), no pings, and
// the bot's token on every REST call and in IDENTIFY.
//
// A bot reaches it either through its REST base URL (URL, as
// DISCORD_API_URL) or through Client, which sends every request to it; the
// gateway is wherever GET /gateway/bot says, which is the fake itself.
package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// The ids READY reports, and the server interactions come from when
// InteractionOpts.Guild is set.
const (
	BotID   = "100000000000000001"
	AppID   = "200000000000000002"
	GuildID = "300000000000000003"
)

// Server is a fake Discord. The zero value is not usable: call NewServer.
// Set the exported fields before the bot connects.
type Server struct {
	// WantIntents, when not zero, is checked in IDENTIFY.
	WantIntents int
	// CloseCode, when set, closes the gateway with it after IDENTIFY.
	CloseCode int
	// RejectResume answers RESUME with op 9 (session invalid), so the
	// client identifies again.
	RejectResume bool
	// HeartbeatMS is the heartbeat interval HELLO asks for.
	HeartbeatMS int

	t         testing.TB
	srv       *httptest.Server
	transport *http.Transport
	token     string // what Authorization must carry: "Bot " + token

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	reqs       []*Request
	hooks      []*Hook
	conn       *websocket.Conn
	writeMu    sync.Mutex // serialises writes to conn
	seq        int64
	identifies []Identify
	resumes    int
	readies    []string // "READY" / "RESUMED", in order
	dispatched map[string]time.Time
	kinds      map[string]int // interaction id -> interaction type
	acked      map[string]int // interaction token -> callback type
	violations []string
	msgID      int
	lastID     int
	onRequest  func(*Request)
	slow       []slowRule
	early      []gatewayFrame // sent after the next accepted RESUME, before RESUMED
}

type slowRule struct {
	match func(*Request) bool
	d     time.Duration
}

// Request is a REST call the fake answered.
type Request struct {
	Method string
	Path   string // below the API base: /gateway, /channels/1/messages
	Prefix string // what came before /api/v9
	Query  url.Values
	Header http.Header
	Body   []byte
	At     time.Time
	Status int // what the fake answered
}

// Message is the part of a message payload (or interaction callback)
// tests look at.
type Message struct {
	Type int `json:"type"` // interaction callbacks only
	Data *struct {
		Content         string           `json:"content"`
		Flags           int              `json:"flags"`
		Components      json.RawMessage  `json:"components"`
		AllowedMentions *AllowedMentions `json:"allowed_mentions"`
		Choices         []Choice         `json:"choices"`
	} `json:"data"`
	Content          string           `json:"content"`
	Flags            int              `json:"flags"`
	Components       json.RawMessage  `json:"components"`
	AllowedMentions  *AllowedMentions `json:"allowed_mentions"`
	MessageReference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

// Choice is one choice of an autocomplete answer (callback type 8).
type Choice struct {
	Name              string            `json:"name"`
	Value             any               `json:"value"`
	NameLocalizations map[string]string `json:"name_localizations"`
}

// Choices decodes the choices of an autocomplete answer.
func (r *Request) Choices() []Choice {
	m := r.Msg()
	if m.Data == nil {
		return nil
	}
	return m.Data.Choices
}

// AllowedMentions is who a message may ping.
type AllowedMentions struct {
	Parse       *[]string `json:"parse"`
	RepliedUser bool      `json:"replied_user"`
}

// Msg decodes the request's body as a message; an interaction callback's
// data is lifted to the top.
func (r *Request) Msg() Message {
	var m Message
	json.Unmarshal(r.Body, &m)
	if m.Data != nil {
		m.Content, m.Flags, m.Components, m.AllowedMentions = m.Data.Content, m.Data.Flags, m.Data.Components, m.Data.AllowedMentions
	}
	return m
}

// Row is an action row of buttons.
type Row struct {
	Type       int `json:"type"`
	Components []struct {
		Type     int    `json:"type"`
		Label    string `json:"label"`
		CustomID string `json:"custom_id"`
		Style    int    `json:"style"`
		URL      string `json:"url"`
	} `json:"components"`
}

// Rows decodes the message's components.
func (m Message) Rows() []Row {
	var rows []Row
	json.Unmarshal(m.Components, &rows)
	return rows
}

// CustomIDs lists the custom_id of every button, row by row.
func (m Message) CustomIDs() []string {
	var ids []string
	for _, r := range m.Rows() {
		for _, c := range r.Components {
			ids = append(ids, c.CustomID)
		}
	}
	return ids
}

// Identify is what an IDENTIFY carried.
type Identify struct {
	Token   string `json:"token"`
	Intents int    `json:"intents"`
	Shard   *[2]int
}

// Hook answers a request instead of the fake, once per match while Times
// lasts (Times < 0: always).
type Hook struct {
	Match  func(r *Request) bool
	Status int
	Header map[string]string
	Body   string
	Times  int
}

// NewServer starts a fake that accepts token (with or without "Bot "),
// closed when the test ends. Breaking one of Discord's rules fails t.
func NewServer(t testing.TB, token string) *Server {
	f := &Server{t: t, token: "Bot " + strings.TrimPrefix(token, "Bot "), HeartbeatMS: 10000,
		changed: make(chan struct{}), dispatched: map[string]time.Time{}, kinds: map[string]int{}, acked: map[string]int{},
		// Connections kept open, as HTTP/2 to discord.com would share one.
		transport: &http.Transport{MaxIdleConnsPerHost: 128, IdleConnTimeout: 30 * time.Second}}
	mux := http.NewServeMux()
	mux.HandleFunc("/", f.serveHTTP)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// URL is the base URL of the REST API (without /api/v9), as
// DISCORD_API_URL takes it.
func (f *Server) URL() string { return f.srv.URL }

// Client is an HTTP client that sends every request to the fake, whatever
// host it names.
func (f *Server) Client() *http.Client {
	base, _ := url.Parse(f.srv.URL)
	return &http.Client{Transport: toFake{base: base, next: f.transport}, Timeout: 10 * time.Second}
}

type toFake struct {
	base *url.URL
	next http.RoundTripper
}

func (t toFake) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, ""
	return t.next.RoundTrip(r)
}

// Close drops the gateway connection and stops the server; the test's
// end does it too.
func (f *Server) Close() {
	f.mu.Lock()
	c := f.conn
	f.conn = nil
	f.mu.Unlock()
	if c != nil {
		c.Close()
	}
	f.srv.CloseClientConnections()
	f.srv.Close()
	f.transport.CloseIdleConnections()
}

// notify wakes the waiters; f.mu is held.
func (f *Server) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// Until waits until cond holds, checking it again after every request
// and gateway event. It has no deadline of its own: a test that would
// wait forever ends with go test's -timeout, which names it. cond may
// call the Server's methods.
func (f *Server) Until(cond func() bool) {
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if cond() {
			return
		}
		<-ch
	}
}

// Requests returns the requests so far that match, in the order they were
// answered.
func (f *Server) Requests(match func(*Request) bool) []*Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*Request
	for _, r := range f.reqs {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

// WaitRequests waits for n answered requests that match and returns
// every one so far.
func (f *Server) WaitRequests(n int, match func(*Request) bool) []*Request {
	var got []*Request
	f.Until(func() bool {
		got = f.Requests(match)
		return len(got) >= n
	})
	return got
}

// AddHook makes requests that match get h's answer.
func (f *Server) AddHook(h *Hook) {
	f.mu.Lock()
	f.hooks = append(f.hooks, h)
	f.mu.Unlock()
}

// Slow makes the fake take d to answer requests that match, as a slow
// network would.
func (f *Server) Slow(match func(*Request) bool, d time.Duration) {
	f.mu.Lock()
	f.slow = append(f.slow, slowRule{match, d})
	f.mu.Unlock()
}

// OnRequest makes fn see every REST request once answered, from the
// server's goroutines.
func (f *Server) OnRequest(fn func(*Request)) {
	f.mu.Lock()
	f.onRequest = fn
	f.mu.Unlock()
}

// Identifies lists the IDENTIFY payloads so far.
func (f *Server) Identifies() []Identify {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Identify(nil), f.identifies...)
}

// Resumes is how many RESUMEs arrived.
func (f *Server) Resumes() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.resumes
}

// Readies lists "READY" and "RESUMED" in the order the fake sent them.
func (f *Server) Readies() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.readies...)
}

// Violations lists the rules the bot broke (each also failed the test).
func (f *Server) Violations() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.violations...)
}

// violation records a broken rule; f.mu is held.
func (f *Server) violation(format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	f.violations = append(f.violations, msg)
	f.t.Errorf("fake discord: %s", msg)
}

var (
	callbackRE = regexp.MustCompile(`^/interactions/([0-9]+)/([^/]+)/callback$`)
	originalRE = regexp.MustCompile(`^/webhooks/([0-9]+)/([^/]+)/messages/@original$`)
	followupRE = regexp.MustCompile(`^/webhooks/([0-9]+)/([^/]+)$`)
	channelRE  = regexp.MustCompile(`^/channels/([0-9]+)/messages$`)
	typingRE   = regexp.MustCompile(`^/channels/([0-9]+)/typing$`)
	commandsRE = regexp.MustCompile(`^/applications/([0-9]+)(/guilds/([0-9]+))?/commands$`)
)

func (f *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/ws/") || strings.HasSuffix(r.URL.Path, "/ws") {
		f.serveGateway(w, r)
		return
	}
	prefix, path, ok := strings.Cut(r.URL.Path, "/api/v9")
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	req := &Request{Method: r.Method, Path: path, Prefix: prefix, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, At: time.Now()}

	f.mu.Lock()
	var delay time.Duration
	for _, s := range f.slow {
		if s.match(req) {
			delay = max(delay, s.d)
		}
	}
	f.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}

	f.mu.Lock()
	status, header, resp := f.answer(req)
	req.Status = status
	f.reqs = append(f.reqs, req)
	f.notify()
	onRequest := f.onRequest
	f.mu.Unlock()
	if onRequest != nil {
		onRequest(req)
	}

	for k, v := range header {
		w.Header().Set(k, v)
	}
	if resp != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	io.WriteString(w, resp)
}

// APIError is the body of a Discord API error, for hooks.
func APIError(code int, msg string) string {
	b, _ := json.Marshal(map[string]any{"code": code, "message": msg})
	return string(b)
}

// answer decides the response to a request; f.mu is held.
func (f *Server) answer(r *Request) (int, map[string]string, string) {
	for _, h := range f.hooks {
		if h.Times != 0 && h.Match(r) {
			if h.Times > 0 {
				h.Times--
			}
			return h.Status, h.Header, h.Body
		}
	}
	if m := callbackRE.FindStringSubmatch(r.Path); m != nil && r.Method == http.MethodPost {
		return f.callback(r, m[1], m[2])
	}
	if r.Header.Get("Authorization") != f.token {
		// Quoting the credential back, as a careless proxy might: the bot
		// must not log or return it.
		return http.StatusUnauthorized, nil, APIError(0, "401: Unauthorized: "+r.Header.Get("Authorization"))
	}
	switch {
	case r.Method == http.MethodGet && (r.Path == "/gateway" || r.Path == "/gateway/bot"):
		u := "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"
		return http.StatusOK, nil, fmt.Sprintf(`{"url":%q,"shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":0,"max_concurrency":1}}`, u)
	case r.Method == http.MethodPut && commandsRE.MatchString(r.Path):
		var cmds []map[string]any
		if err := json.Unmarshal(r.Body, &cmds); err != nil {
			f.violation("commands body: %v", err)
			return http.StatusBadRequest, nil, APIError(50035, "Invalid Form Body")
		}
		for i, c := range cmds {
			c["id"] = fmt.Sprint(400000000000000000 + i)
			c["application_id"] = AppID
			c["version"] = "1"
		}
		b, _ := json.Marshal(cmds)
		return http.StatusOK, nil, string(b)
	case r.Method == http.MethodPatch && originalRE.MatchString(r.Path):
		return f.afterAnswer(r, originalRE, "edit of")
	case r.Method == http.MethodPost && followupRE.MatchString(r.Path):
		return f.afterAnswer(r, followupRE, "follow-up to")
	case r.Method == http.MethodPost && channelRE.MatchString(r.Path):
		return f.message(r, channelRE.FindStringSubmatch(r.Path)[1])
	case r.Method == http.MethodPost && typingRE.MatchString(r.Path):
		return http.StatusNoContent, nil, ""
	}
	return http.StatusNotFound, nil, APIError(0, "404: Not Found")
}

// afterAnswer is an edit of an interaction's answer or a follow-up to it,
// which Discord takes only once the interaction was answered; re matches
// the path with the token second. f.mu is held.
func (f *Server) afterAnswer(r *Request, re *regexp.Regexp, what string) (int, map[string]string, string) {
	if token := re.FindStringSubmatch(r.Path)[2]; f.acked[token] == 0 {
		f.violation("%s an interaction not answered yet", what)
		return http.StatusNotFound, nil, APIError(10015, "Unknown Webhook")
	}
	return f.message(r, "0")
}

// callback is POST /interactions/{id}/{token}/callback.
func (f *Server) callback(r *Request, id, token string) (int, map[string]string, string) {
	at, ok := f.dispatched[id]
	switch {
	case !ok:
		f.violation("callback for unknown interaction %s", id)
		return http.StatusNotFound, nil, APIError(10062, "Unknown interaction")
	case r.At.Sub(at) > 3*time.Second:
		f.violation("interaction %s answered after %v", id, r.At.Sub(at))
		return http.StatusNotFound, nil, APIError(10062, "Unknown interaction")
	case f.acked[token] != 0:
		f.violation("interaction %s answered twice", id)
		return http.StatusBadRequest, nil, APIError(40060, "Interaction has already been acknowledged.")
	}
	m := r.Msg()
	autocomplete := f.kinds[id] == 4
	switch {
	case autocomplete != (m.Type == 8):
		f.violation("callback type %d to an interaction of type %d", m.Type, f.kinds[id])
		return http.StatusBadRequest, nil, APIError(50035, "Invalid Form Body")
	case m.Type == 8:
		if err := checkChoices(m); err != nil {
			f.violation("autocomplete: %v", err)
			return http.StatusBadRequest, nil, APIError(50035, "Invalid Form Body")
		}
	case m.Type == 4:
		if err := checkMessage(m); err != nil {
			f.violation("callback: %v", err)
			return http.StatusBadRequest, nil, APIError(50035, "Invalid Form Body")
		}
	case m.Type == 5:
	default:
		f.violation("callback type %d", m.Type)
		return http.StatusBadRequest, nil, APIError(50035, "Invalid Form Body")
	}
	f.acked[token] = m.Type
	return http.StatusNoContent, nil, ""
}

// message answers a request that posts or edits a message.
func (f *Server) message(r *Request, channel string) (int, map[string]string, string) {
	m := r.Msg()
	if err := checkMessage(m); err != nil {
		f.violation("%s %s: %v", r.Method, r.Path, err)
		return http.StatusBadRequest, nil, APIError(50035, "Invalid Form Body")
	}
	f.msgID++
	b, _ := json.Marshal(map[string]any{"id": fmt.Sprint(500000000000000000 + f.msgID), "channel_id": channel,
		"content": m.Content, "author": map[string]any{"id": BotID, "username": "nocbot", "bot": true}})
	return http.StatusOK, nil, string(b)
}

// checkChoices applies Discord's limits on an autocomplete answer: at
// most 25 choices, names and localised names of 1-100 characters, string
// values of at most 100.
func checkChoices(m Message) error {
	if m.Data == nil {
		return fmt.Errorf("no data")
	}
	if len(m.Data.Choices) > 25 {
		return fmt.Errorf("%d choices", len(m.Data.Choices))
	}
	for _, c := range m.Data.Choices {
		if n := utf8.RuneCountInString(c.Name); n < 1 || n > 100 || !utf8.ValidString(c.Name) {
			return fmt.Errorf("choice name %q (%d characters)", c.Name, n)
		}
		for loc, name := range c.NameLocalizations {
			if n := utf8.RuneCountInString(name); n < 1 || n > 100 {
				return fmt.Errorf("choice name in %s %q (%d characters)", loc, name, n)
			}
		}
		switch v := c.Value.(type) {
		case string:
			if n := utf8.RuneCountInString(v); n < 1 || n > 100 {
				return fmt.Errorf("choice value %q (%d characters)", v, n)
			}
		case float64:
		default:
			return fmt.Errorf("choice value %v", c.Value)
		}
	}
	return nil
}

// checkMessage applies Discord's limits and the bot's rule that nobody is
// ever pinged.
func checkMessage(m Message) error {
	if n := utf8.RuneCountInString(m.Content); n > 2000 {
		return fmt.Errorf("content of %d characters", n)
	}
	if !utf8.ValidString(m.Content) {
		return fmt.Errorf("content is not UTF-8")
	}
	rows := m.Rows()
	if strings.TrimSpace(m.Content) == "" && len(rows) == 0 {
		return fmt.Errorf("empty message")
	}
	if len(rows) > 5 {
		return fmt.Errorf("%d action rows", len(rows))
	}
	seen := map[string]bool{}
	for _, r := range rows {
		if r.Type != 1 || len(r.Components) < 1 || len(r.Components) > 5 {
			return fmt.Errorf("action row of type %d with %d components", r.Type, len(r.Components))
		}
		for _, c := range r.Components {
			switch {
			case c.Type != 2:
				return fmt.Errorf("component type %d", c.Type)
			case c.Style == 5: // a link: a URL and no custom_id
				if !strings.HasPrefix(c.URL, "https://") || len(c.URL) > 512 || c.CustomID != "" || c.Label == "" || utf8.RuneCountInString(c.Label) > 80 {
					return fmt.Errorf("link button %q -> %q", c.Label, c.URL)
				}
				continue
			case c.URL != "":
				return fmt.Errorf("URL on a button of style %d", c.Style)
			case c.CustomID == "" || utf8.RuneCountInString(c.CustomID) > 100:
				return fmt.Errorf("custom_id %q", c.CustomID)
			case seen[c.CustomID]:
				return fmt.Errorf("custom_id %q twice", c.CustomID)
			case c.Label == "" || utf8.RuneCountInString(c.Label) > 80:
				return fmt.Errorf("label %q", c.Label)
			}
			seen[c.CustomID] = true
		}
	}
	if m.AllowedMentions == nil || m.AllowedMentions.Parse == nil || len(*m.AllowedMentions.Parse) != 0 || m.AllowedMentions.RepliedUser {
		return fmt.Errorf("allowed_mentions does not forbid every ping: %+v", m.AllowedMentions)
	}
	return nil
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

type gatewayFrame struct {
	Op   int             `json:"op"`
	D    json.RawMessage `json:"d"`
	Seq  int64           `json:"s,omitempty"`
	Type string          `json:"t,omitempty"`
}

func (f *Server) serveGateway(w http.ResponseWriter, r *http.Request) {
	c, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer c.Close()
	write := func(v any) error {
		f.writeMu.Lock()
		defer f.writeMu.Unlock()
		c.SetWriteDeadline(time.Now().Add(5 * time.Second))
		return c.WriteJSON(v)
	}
	if write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": f.HeartbeatMS}}) != nil {
		return
	}
	var first gatewayFrame
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if err := c.ReadJSON(&first); err != nil {
		return
	}
	c.SetReadDeadline(time.Time{})
	hello := func() bool {
		switch first.Op {
		case 2:
			var id Identify
			json.Unmarshal(first.D, &id)
			f.mu.Lock()
			f.identifies = append(f.identifies, id)
			f.notify()
			f.mu.Unlock()
			if id.Token != f.token {
				f.closeWith(c, 4004, "Authentication failed.")
				return false
			}
			if f.WantIntents != 0 && id.Intents != f.WantIntents {
				f.mu.Lock()
				f.violation("IDENTIFY intents %d, want %d", id.Intents, f.WantIntents)
				f.mu.Unlock()
			}
			if f.CloseCode != 0 {
				f.closeWith(c, f.CloseCode, "Disallowed intent(s).")
				return false
			}
			return f.sendReady(c)
		case 6:
			var res struct {
				Token     string `json:"token"`
				SessionID string `json:"session_id"`
				Seq       int64  `json:"seq"`
			}
			json.Unmarshal(first.D, &res)
			f.mu.Lock()
			f.resumes++
			reject := f.RejectResume
			f.notify()
			f.mu.Unlock()
			if res.Token != f.token {
				f.closeWith(c, 4004, "Authentication failed.")
				return false
			}
			if reject || res.SessionID != "fake-session" {
				// Session invalid: the client must identify again.
				if write(map[string]any{"op": 9, "d": false}) != nil {
					return false
				}
				var again gatewayFrame
				if err := c.ReadJSON(&again); err != nil || again.Op != 2 {
					return false
				}
				var id Identify
				json.Unmarshal(again.D, &id)
				f.mu.Lock()
				f.identifies = append(f.identifies, id)
				f.mu.Unlock()
				return f.sendReady(c)
			}
			f.mu.Lock()
			early := f.early
			f.early = nil
			f.mu.Unlock()
			for _, fr := range early {
				if write(fr) != nil {
					return false
				}
			}
			f.mu.Lock()
			f.seq++
			seq := f.seq
			f.mu.Unlock()
			return f.connected(c, "RESUMED", map[string]any{"op": 0, "s": seq, "t": "RESUMED", "d": map[string]any{}})
		}
		return false
	}
	if !hello() {
		return
	}
	for {
		var fr gatewayFrame
		if err := c.ReadJSON(&fr); err != nil {
			f.mu.Lock()
			if f.conn == c {
				f.conn = nil
				f.notify()
			}
			f.mu.Unlock()
			return
		}
		if fr.Op == 1 {
			write(map[string]any{"op": 11})
		}
	}
}

func (f *Server) sendReady(c *websocket.Conn) bool {
	f.mu.Lock()
	f.seq++
	seq := f.seq
	f.mu.Unlock()
	ready := map[string]any{"v": 9, "session_id": "fake-session", "resume_gateway_url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws",
		"user":        map[string]any{"id": BotID, "username": "nocbot", "bot": true},
		"application": map[string]any{"id": AppID}, "guilds": []any{}}
	return f.connected(c, "READY", map[string]any{"op": 0, "s": seq, "t": "READY", "d": ready})
}

// connected sends READY or RESUMED and makes c the connection dispatches
// go to, before anything else can be written on it.
func (f *Server) connected(c *websocket.Conn, how string, frame any) bool {
	f.writeMu.Lock()
	defer f.writeMu.Unlock()
	f.mu.Lock()
	f.conn = c
	f.mu.Unlock()
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if err := c.WriteJSON(frame); err != nil {
		return false
	}
	f.mu.Lock()
	f.readies = append(f.readies, how)
	f.notify()
	f.mu.Unlock()
	return true
}

func (f *Server) closeWith(c *websocket.Conn, code int, text string) {
	f.writeMu.Lock()
	c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	f.writeMu.Unlock()
	time.Sleep(50 * time.Millisecond)
}

// WaitConnected waits for the n-th READY or RESUMED.
func (f *Server) WaitConnected(n int) {
	f.Until(func() bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		return len(f.readies) >= n && f.conn != nil
	})
}

// Connected reports whether a bot is connected to the gateway.
func (f *Server) Connected() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.conn != nil
}

// IsCommands matches an accepted bulk overwrite of the slash commands,
// the last thing a bot does before it serves.
func IsCommands(r *Request) bool {
	return r.Method == http.MethodPut && commandsRE.MatchString(r.Path) && r.Status < 300
}

// Dispatch sends an event on the gateway (INTERACTION_CREATE starts the
// interaction's 3 seconds).
func (f *Server) Dispatch(t testing.TB, typ string, d any) {
	t.Helper()
	f.Send(t, 0, typ, d)
}

// Send sends a gateway message with any op, as a newer gateway might
// (discordgo logs the ops and event types it does not know).
func (f *Server) Send(t testing.TB, op int, typ string, d any) {
	t.Helper()
	raw := marshal(t, d)
	f.mu.Lock()
	c := f.conn
	frame := f.frameLocked(op, typ, raw)
	f.mu.Unlock()
	if c == nil {
		t.Fatal("dispatch: the bot is not connected")
	}
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(frame)
	f.writeMu.Lock()
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	err := c.WriteMessage(websocket.TextMessage, buf.Bytes())
	f.writeMu.Unlock()
	if err != nil {
		t.Fatalf("dispatch: %v", err)
	}
}

func marshal(t testing.TB, d any) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// frameLocked numbers a gateway message; f.mu is held.
func (f *Server) frameLocked(op int, typ string, raw json.RawMessage) gatewayFrame {
	f.seq++
	if typ == "INTERACTION_CREATE" {
		var i struct {
			ID   string `json:"id"`
			Type int    `json:"type"`
		}
		json.Unmarshal(raw, &i)
		f.kinds[i.ID] = i.Type
		// Discord's 3 seconds run from the interaction's creation.
		at := time.Now()
		if n, err := strconv.ParseInt(i.ID, 10, 64); err == nil {
			if created := time.UnixMilli(n>>22 + discordEpoch); created.Before(at) {
				at = created
			}
		}
		f.dispatched[i.ID] = at
	}
	return gatewayFrame{Op: op, Seq: f.seq, Type: typ, D: raw}
}

// DispatchBeforeResumed makes the next accepted RESUME get this event
// before RESUMED, as Discord may replay what the bot missed: discordgo
// then logs the event it did not expect. An interaction's 3 seconds
// start when it is queued.
func (f *Server) DispatchBeforeResumed(t testing.TB, typ string, d any) {
	t.Helper()
	raw := marshal(t, d)
	f.mu.Lock()
	f.early = append(f.early, f.frameLocked(0, typ, raw))
	f.mu.Unlock()
}

// DispatchedAt is when the interaction with this id was dispatched, or
// created if that was earlier: when its 3 seconds began.
func (f *Server) DispatchedAt(id string) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dispatched[id]
}

// Drop breaks the gateway connection without a close frame, as a network
// failure would.
func (f *Server) Drop() {
	f.mu.Lock()
	c := f.conn
	f.conn = nil
	f.notify()
	f.mu.Unlock()
	if c != nil {
		c.UnderlyingConn().Close()
	}
}

// Payload builders.

// NextID is a new snowflake made now, unique within this fake.
func (f *Server) NextID() string { return f.IDAt(time.Now()) }

// IDAt is a new snowflake made at t, unique within this fake: an
// interaction with an old one was created (and its 3 seconds began)
// before it was dispatched, as one replayed after a reconnect.
func (f *Server) IDAt(t time.Time) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastID++
	ms := t.UnixMilli() - discordEpoch
	return fmt.Sprint(ms<<22 | int64(f.lastID&(1<<22-1)))
}

// discordEpoch is the first millisecond of 2015 (Unix ms), where
// snowflake time counts from.
const discordEpoch = 1420070400000

// InteractionOpts says who sends an interaction, where.
type InteractionOpts struct {
	User, Channel, Locale string
	// Guild: in the server GuildID (else in a DM).
	Guild bool
	// EphemeralMessage: the button pressed is on an ephemeral message.
	EphemeralMessage bool
}

func (f *Server) interaction(o InteractionOpts, typ int) map[string]any {
	user := map[string]any{"id": o.User, "username": "user" + o.User}
	i := map[string]any{"id": f.NextID(), "application_id": AppID, "type": typ, "channel_id": o.Channel,
		"locale": o.Locale, "token": "itok-" + f.NextID() + "-aBc_D.e", "version": 1}
	if o.Guild {
		i["guild_id"] = GuildID
		i["member"] = map[string]any{"user": user}
	} else {
		i["user"] = user
	}
	return i
}

// SlashInteraction is an INTERACTION_CREATE for the slash command name
// with string options given as name/value pairs.
func (f *Server) SlashInteraction(o InteractionOpts, name string, options ...[2]string) map[string]any {
	i := f.interaction(o, 2)
	opts := []any{}
	for _, kv := range options {
		opts = append(opts, map[string]any{"name": kv[0], "type": 3, "value": kv[1]})
	}
	i["data"] = map[string]any{"id": "700000000000000001", "name": name, "type": 1, "options": opts}
	return i
}

// AutocompleteInteraction is an INTERACTION_CREATE of type 4: the user is
// typing typed into the option of the slash command name, with the other
// options' values as name/value pairs.
func (f *Server) AutocompleteInteraction(o InteractionOpts, name, option, typed string, others ...[2]string) map[string]any {
	i := f.interaction(o, 4)
	opts := []any{map[string]any{"name": option, "type": 3, "value": typed, "focused": true}}
	for _, kv := range others {
		opts = append(opts, map[string]any{"name": kv[0], "type": 3, "value": kv[1]})
	}
	i["data"] = map[string]any{"id": "700000000000000001", "name": name, "type": 1, "options": opts}
	return i
}

// ButtonInteraction is an INTERACTION_CREATE for a press of the button
// customID on one of the bot's messages.
func (f *Server) ButtonInteraction(o InteractionOpts, customID string) map[string]any {
	i := f.interaction(o, 3)
	i["data"] = map[string]any{"custom_id": customID, "component_type": 2}
	flags := 0
	if o.EphemeralMessage {
		flags = 64
	}
	i["message"] = map[string]any{"id": f.NextID(), "channel_id": o.Channel, "flags": flags,
		"author": map[string]any{"id": BotID, "bot": true}}
	return i
}

// MessageOpts describes a MESSAGE_CREATE.
type MessageOpts struct {
	User, Channel, Content string
	// Guild: in the server GuildID (else in a DM); Mention: the bot is
	// mentioned; IsBot: the author is a bot.
	Guild, Mention, IsBot bool
	// AuthorID overrides User as the author's id.
	AuthorID string
	// ReplyToBot makes the message a reply to one of the bot's.
	ReplyToBot bool
}

// MessageCreate is a MESSAGE_CREATE payload.
func (f *Server) MessageCreate(o MessageOpts) map[string]any {
	author := o.User
	if o.AuthorID != "" {
		author = o.AuthorID
	}
	m := map[string]any{"id": f.NextID(), "channel_id": o.Channel, "type": 0, "content": o.Content,
		"author": map[string]any{"id": author, "username": "user" + author, "bot": o.IsBot}, "mentions": []any{}}
	if o.Guild {
		m["guild_id"] = GuildID
	}
	if o.Mention {
		m["mentions"] = []any{map[string]any{"id": BotID, "username": "nocbot", "bot": true}}
	}
	if o.ReplyToBot {
		m["type"] = 19
		m["referenced_message"] = map[string]any{"id": f.NextID(), "channel_id": o.Channel, "content": "earlier answer",
			"author": map[string]any{"id": BotID, "username": "nocbot", "bot": true}}
	}
	return m
}

// InteractionID is the id of an interaction payload.
func InteractionID(i map[string]any) string { return i["id"].(string) }

// InteractionToken is the token of an interaction payload.
func InteractionToken(i map[string]any) string { return i["token"].(string) }

// Request matchers.

// IsCallback matches the accepted response to interaction i.
func IsCallback(i map[string]any) func(*Request) bool {
	p := "/interactions/" + InteractionID(i) + "/" + InteractionToken(i) + "/callback"
	return func(r *Request) bool { return r.Path == p && r.Status < 300 }
}

// IsAnswer matches the messages that answer interaction i: the callback
// (type 4), the edit of the original and the follow-ups, in order.
func IsAnswer(i map[string]any) func(*Request) bool {
	cb := "/interactions/" + InteractionID(i) + "/" + InteractionToken(i) + "/callback"
	wh := "/webhooks/" + AppID + "/" + InteractionToken(i)
	return func(r *Request) bool {
		if r.Status >= 300 {
			return false
		}
		if r.Path == cb {
			return r.Msg().Type == 4
		}
		return r.Path == wh || r.Path == wh+"/messages/@original"
	}
}

// IsChannelMessage matches an accepted message posted to channel.
func IsChannelMessage(channel string) func(*Request) bool {
	p := "/channels/" + channel + "/messages"
	return func(r *Request) bool { return r.Path == p && r.Method == http.MethodPost && r.Status < 300 }
}
