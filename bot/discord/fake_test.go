package discord

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"
)

// fakeDiscord is Discord on loopback: the REST API (JSON, as discordgo
// calls it) and the gateway (gorilla/websocket), keeping Discord's rules
// that matter here: an interaction answered once and within 3 seconds, an
// edit or follow-up only after it was answered, message limits (2000
// characters, 5 rows of 5 buttons, custom_id up to 100, labels up to 80),
// and the bot's token on every REST call and in IDENTIFY.
type fakeDiscord struct {
	t           testing.TB
	srv         *httptest.Server
	token       string // what Authorization and IDENTIFY must carry
	botID       string
	appID       string
	wantIntents int // checked in IDENTIFY when not zero
	// closeCode, when set, closes the gateway with it after IDENTIFY.
	closeCode int
	// rejectResume answers RESUME with op 9 (session invalid), so the
	// client identifies again.
	rejectResume bool
	heartbeatMS  int
	// onRequest, when set, sees every request once answered.
	onRequest func(*fakeRequest)

	mu         sync.Mutex
	changed    chan struct{} // closed and replaced on every change
	reqs       []*fakeRequest
	hooks      []*hook
	conn       *websocket.Conn
	writeMu    sync.Mutex // serialises writes to conn
	seq        int64
	identifies []identifyPayload
	resumes    int
	readies    []string // "READY" / "RESUMED", in order
	dispatched map[string]time.Time
	acked      map[string]int // interaction token -> callback type
	violations []string
	msgID      int
}

type fakeRequest struct {
	Method string
	Path   string // below the API base: /gateway, /channels/1/messages
	Prefix string // what came before /api/v9
	Query  url.Values
	Header http.Header
	Body   []byte
	At     time.Time
	Status int // what the fake answered
}

// msgBody is the part of a message payload the tests look at.
type msgBody struct {
	Type int `json:"type"` // interaction callbacks only
	Data *struct {
		Content         string           `json:"content"`
		Flags           int              `json:"flags"`
		Components      json.RawMessage  `json:"components"`
		AllowedMentions *allowedMentions `json:"allowed_mentions"`
	} `json:"data"`
	Content          string           `json:"content"`
	Flags            int              `json:"flags"`
	Components       json.RawMessage  `json:"components"`
	AllowedMentions  *allowedMentions `json:"allowed_mentions"`
	MessageReference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

type allowedMentions struct {
	Parse       *[]string `json:"parse"`
	RepliedUser bool      `json:"replied_user"`
}

func (r *fakeRequest) msg() msgBody {
	var m msgBody
	json.Unmarshal(r.Body, &m)
	if m.Data != nil {
		m.Content, m.Flags, m.Components, m.AllowedMentions = m.Data.Content, m.Data.Flags, m.Data.Components, m.Data.AllowedMentions
	}
	return m
}

type row struct {
	Type       int `json:"type"`
	Components []struct {
		Type     int    `json:"type"`
		Label    string `json:"label"`
		CustomID string `json:"custom_id"`
		Style    int    `json:"style"`
	} `json:"components"`
}

func (m msgBody) rows() []row {
	var rows []row
	json.Unmarshal(m.Components, &rows)
	return rows
}

func (m msgBody) customIDs() []string {
	var ids []string
	for _, r := range m.rows() {
		for _, c := range r.Components {
			ids = append(ids, c.CustomID)
		}
	}
	return ids
}

type identifyPayload struct {
	Token   string `json:"token"`
	Intents int    `json:"intents"`
	Shard   *[2]int
}

// hook answers a request instead of the fake, once per match while times
// lasts (times < 0: always).
type hook struct {
	match  func(r *fakeRequest) bool
	status int
	header map[string]string
	body   string
	times  int
}

const (
	fakeBotID = "100000000000000001"
	fakeAppID = "200000000000000002"
	fakeGuild = "300000000000000003"
)

func newFakeDiscord(t testing.TB, token string) *fakeDiscord {
	f := &fakeDiscord{t: t, token: "Bot " + token, botID: fakeBotID, appID: fakeAppID, heartbeatMS: 10000,
		changed: make(chan struct{}), dispatched: map[string]time.Time{}, acked: map[string]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/", f.serveHTTP)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.close)
	return f
}

func (f *fakeDiscord) close() {
	f.mu.Lock()
	c := f.conn
	f.conn = nil
	f.mu.Unlock()
	if c != nil {
		c.Close()
	}
	f.srv.CloseClientConnections()
	f.srv.Close()
}

// notify wakes the waiters; f.mu is held.
func (f *fakeDiscord) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// waitFor waits until cond (called with f.mu held) is true.
func (f *fakeDiscord) waitFor(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		f.mu.Lock()
		ok := cond()
		ch := f.changed
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}

// requests returns the requests so far that match.
func (f *fakeDiscord) requests(match func(*fakeRequest) bool) []*fakeRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.matching(match)
}

func (f *fakeDiscord) matching(match func(*fakeRequest) bool) []*fakeRequest {
	var out []*fakeRequest
	for _, r := range f.reqs {
		if match(r) {
			out = append(out, r)
		}
	}
	return out
}

// waitRequests waits for n answered requests that match and returns them.
func (f *fakeDiscord) waitRequests(t testing.TB, n int, match func(*fakeRequest) bool) []*fakeRequest {
	t.Helper()
	var got []*fakeRequest
	f.waitFor(t, fmt.Sprintf("%d matching requests", n), 10*time.Second, func() bool {
		got = f.matching(match)
		return len(got) >= n
	})
	return got
}

func (f *fakeDiscord) addHook(h *hook) {
	f.mu.Lock()
	f.hooks = append(f.hooks, h)
	f.mu.Unlock()
}

func (f *fakeDiscord) violation(format string, a ...any) {
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

func (f *fakeDiscord) serveHTTP(w http.ResponseWriter, r *http.Request) {
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
	req := &fakeRequest{Method: r.Method, Path: path, Prefix: prefix, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, At: time.Now()}

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

func apiError(code int, msg string) string {
	b, _ := json.Marshal(map[string]any{"code": code, "message": msg})
	return string(b)
}

// answer decides the response to a request; f.mu is held.
func (f *fakeDiscord) answer(r *fakeRequest) (int, map[string]string, string) {
	for _, h := range f.hooks {
		if h.times != 0 && h.match(r) {
			if h.times > 0 {
				h.times--
			}
			return h.status, h.header, h.body
		}
	}
	if m := callbackRE.FindStringSubmatch(r.Path); m != nil && r.Method == http.MethodPost {
		return f.callback(r, m[1], m[2])
	}
	if r.Header.Get("Authorization") != f.token {
		// Quoting the credential back, as a careless proxy might: the bot
		// must not log or return it.
		return http.StatusUnauthorized, nil, apiError(0, "401: Unauthorized: "+r.Header.Get("Authorization"))
	}
	switch {
	case r.Method == http.MethodGet && (r.Path == "/gateway" || r.Path == "/gateway/bot"):
		u := "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"
		return http.StatusOK, nil, fmt.Sprintf(`{"url":%q,"shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":0,"max_concurrency":1}}`, u)
	case r.Method == http.MethodPut && commandsRE.MatchString(r.Path):
		var cmds []map[string]any
		if err := json.Unmarshal(r.Body, &cmds); err != nil {
			f.violation("commands body: %v", err)
			return http.StatusBadRequest, nil, apiError(50035, "Invalid Form Body")
		}
		for i, c := range cmds {
			c["id"] = fmt.Sprint(400000000000000000 + i)
			c["application_id"] = f.appID
			c["version"] = "1"
		}
		b, _ := json.Marshal(cmds)
		return http.StatusOK, nil, string(b)
	case r.Method == http.MethodPatch && originalRE.MatchString(r.Path):
		m := originalRE.FindStringSubmatch(r.Path)
		if f.acked[m[2]] == 0 {
			f.violation("edit of an interaction not answered yet")
			return http.StatusNotFound, nil, apiError(10015, "Unknown Webhook")
		}
		return f.message(r, "0")
	case r.Method == http.MethodPost && followupRE.MatchString(r.Path):
		m := followupRE.FindStringSubmatch(r.Path)
		if f.acked[m[2]] == 0 {
			f.violation("follow-up to an interaction not answered yet")
			return http.StatusNotFound, nil, apiError(10015, "Unknown Webhook")
		}
		return f.message(r, "0")
	case r.Method == http.MethodPost && channelRE.MatchString(r.Path):
		return f.message(r, channelRE.FindStringSubmatch(r.Path)[1])
	case r.Method == http.MethodPost && typingRE.MatchString(r.Path):
		return http.StatusNoContent, nil, ""
	}
	return http.StatusNotFound, nil, apiError(0, "404: Not Found")
}

// callback is POST /interactions/{id}/{token}/callback.
func (f *fakeDiscord) callback(r *fakeRequest, id, token string) (int, map[string]string, string) {
	at, ok := f.dispatched[id]
	switch {
	case !ok:
		f.violation("callback for unknown interaction %s", id)
		return http.StatusNotFound, nil, apiError(10062, "Unknown interaction")
	case r.At.Sub(at) > 3*time.Second:
		f.violation("interaction %s answered after %v", id, r.At.Sub(at))
		return http.StatusNotFound, nil, apiError(10062, "Unknown interaction")
	case f.acked[token] != 0:
		f.violation("interaction %s answered twice", id)
		return http.StatusBadRequest, nil, apiError(40060, "Interaction has already been acknowledged.")
	}
	m := r.msg()
	switch m.Type {
	case 4:
		if err := checkMessage(m); err != nil {
			f.violation("callback: %v", err)
			return http.StatusBadRequest, nil, apiError(50035, "Invalid Form Body")
		}
	case 5:
	default:
		f.violation("callback type %d", m.Type)
		return http.StatusBadRequest, nil, apiError(50035, "Invalid Form Body")
	}
	f.acked[token] = m.Type
	return http.StatusNoContent, nil, ""
}

// message answers a request that posts or edits a message.
func (f *fakeDiscord) message(r *fakeRequest, channel string) (int, map[string]string, string) {
	m := r.msg()
	if err := checkMessage(m); err != nil {
		f.violation("%s %s: %v", r.Method, r.Path, err)
		return http.StatusBadRequest, nil, apiError(50035, "Invalid Form Body")
	}
	f.msgID++
	b, _ := json.Marshal(map[string]any{"id": fmt.Sprint(500000000000000000 + f.msgID), "channel_id": channel,
		"content": m.Content, "author": map[string]any{"id": f.botID, "username": "nocbot", "bot": true}})
	return http.StatusOK, nil, string(b)
}

// checkMessage applies Discord's limits and the bot's rule that nobody is
// ever pinged.
func checkMessage(m msgBody) error {
	if n := utf8.RuneCountInString(m.Content); n > 2000 {
		return fmt.Errorf("content of %d characters", n)
	}
	if !utf8.ValidString(m.Content) {
		return fmt.Errorf("content is not UTF-8")
	}
	rows := m.rows()
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

func (f *fakeDiscord) serveGateway(w http.ResponseWriter, r *http.Request) {
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
	if write(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": f.heartbeatMS}}) != nil {
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
			var id identifyPayload
			json.Unmarshal(first.D, &id)
			f.mu.Lock()
			f.identifies = append(f.identifies, id)
			f.notify()
			f.mu.Unlock()
			if id.Token != f.token {
				f.closeWith(c, 4004, "Authentication failed.")
				return false
			}
			if f.wantIntents != 0 && id.Intents != f.wantIntents {
				f.mu.Lock()
				f.violation("IDENTIFY intents %d, want %d", id.Intents, f.wantIntents)
				f.mu.Unlock()
			}
			if f.closeCode != 0 {
				f.closeWith(c, f.closeCode, "Disallowed intent(s).")
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
			reject := f.rejectResume
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
				var id identifyPayload
				json.Unmarshal(again.D, &id)
				f.mu.Lock()
				f.identifies = append(f.identifies, id)
				f.mu.Unlock()
				return f.sendReady(c)
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

func (f *fakeDiscord) sendReady(c *websocket.Conn) bool {
	f.mu.Lock()
	f.seq++
	seq := f.seq
	f.mu.Unlock()
	ready := map[string]any{"v": 9, "session_id": "fake-session", "resume_gateway_url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws",
		"user":        map[string]any{"id": f.botID, "username": "nocbot", "bot": true},
		"application": map[string]any{"id": f.appID}, "guilds": []any{}}
	return f.connected(c, "READY", map[string]any{"op": 0, "s": seq, "t": "READY", "d": ready})
}

// connected sends READY or RESUMED and makes c the connection dispatches
// go to, before anything else can be written on it.
func (f *fakeDiscord) connected(c *websocket.Conn, how string, frame any) bool {
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

func (f *fakeDiscord) closeWith(c *websocket.Conn, code int, text string) {
	f.writeMu.Lock()
	c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(time.Second))
	f.writeMu.Unlock()
	time.Sleep(50 * time.Millisecond)
}

// waitConnected waits for the n-th READY or RESUMED.
func (f *fakeDiscord) waitConnected(t testing.TB, n int) {
	t.Helper()
	f.waitFor(t, fmt.Sprintf("connection %d", n), 10*time.Second, func() bool { return len(f.readies) >= n && f.conn != nil })
}

// dispatch sends an event on the gateway.
func (f *fakeDiscord) dispatch(t testing.TB, typ string, d any) {
	t.Helper()
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	c := f.conn
	f.seq++
	frame := gatewayFrame{Op: 0, Seq: f.seq, Type: typ, D: raw}
	if typ == "INTERACTION_CREATE" {
		var i struct {
			ID string `json:"id"`
		}
		json.Unmarshal(raw, &i)
		f.dispatched[i.ID] = time.Now()
	}
	f.mu.Unlock()
	if c == nil {
		t.Fatal("dispatch: the bot is not connected")
	}
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(frame)
	f.writeMu.Lock()
	c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	err = c.WriteMessage(websocket.TextMessage, buf.Bytes())
	f.writeMu.Unlock()
	if err != nil {
		t.Fatalf("dispatch: %v", err)
	}
}

func (f *fakeDiscord) dispatchedAt(id string) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dispatched[id]
}

// drop breaks the gateway connection without a close frame, as a network
// failure would.
func (f *fakeDiscord) drop() {
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

var idSeq struct {
	sync.Mutex
	n int
}

func nextID() string {
	idSeq.Lock()
	defer idSeq.Unlock()
	idSeq.n++
	return fmt.Sprint(600000000000000000 + idSeq.n)
}

type interactionOpts struct {
	user, channel, locale string
	guild                 bool
	ephemeralMessage      bool
}

func (o interactionOpts) base(typ int) map[string]any {
	user := map[string]any{"id": o.user, "username": "user" + o.user}
	i := map[string]any{"id": nextID(), "application_id": fakeAppID, "type": typ, "channel_id": o.channel,
		"locale": o.locale, "token": "itok-" + nextID() + "-aBc_D.e", "version": 1}
	if o.guild {
		i["guild_id"] = fakeGuild
		i["member"] = map[string]any{"user": user}
	} else {
		i["user"] = user
	}
	return i
}

func slashInteraction(o interactionOpts, name string, options ...[2]string) map[string]any {
	i := o.base(2)
	opts := []any{}
	for _, kv := range options {
		opts = append(opts, map[string]any{"name": kv[0], "type": 3, "value": kv[1]})
	}
	i["data"] = map[string]any{"id": "700000000000000001", "name": name, "type": 1, "options": opts}
	return i
}

func buttonInteraction(o interactionOpts, customID string) map[string]any {
	i := o.base(3)
	i["data"] = map[string]any{"custom_id": customID, "component_type": 2}
	flags := 0
	if o.ephemeralMessage {
		flags = 64
	}
	i["message"] = map[string]any{"id": nextID(), "channel_id": o.channel, "flags": flags,
		"author": map[string]any{"id": fakeBotID, "bot": true}}
	return i
}

type messageOpts struct {
	user, channel, content string
	guild, mention, isBot  bool
	authorID               string // overrides user
	replyToBot             bool
}

func messageCreate(o messageOpts) map[string]any {
	author := o.user
	if o.authorID != "" {
		author = o.authorID
	}
	m := map[string]any{"id": nextID(), "channel_id": o.channel, "type": 0, "content": o.content,
		"author": map[string]any{"id": author, "username": "user" + author, "bot": o.isBot}, "mentions": []any{}}
	if o.guild {
		m["guild_id"] = fakeGuild
	}
	if o.mention {
		m["mentions"] = []any{map[string]any{"id": fakeBotID, "username": "nocbot", "bot": true}}
	}
	if o.replyToBot {
		m["type"] = 19
		m["referenced_message"] = map[string]any{"id": nextID(), "channel_id": o.channel, "content": "earlier answer",
			"author": map[string]any{"id": fakeBotID, "username": "nocbot", "bot": true}}
	}
	return m
}

func interactionID(i map[string]any) string    { return i["id"].(string) }
func interactionToken(i map[string]any) string { return i["token"].(string) }

// Request matchers.

func isCallback(i map[string]any) func(*fakeRequest) bool {
	p := "/interactions/" + interactionID(i) + "/" + interactionToken(i) + "/callback"
	return func(r *fakeRequest) bool { return r.Path == p && r.Status < 300 }
}

// isAnswer matches the messages that answer an interaction: the callback
// (type 4), the edit of the original and the follow-ups, in order.
func isAnswer(i map[string]any) func(*fakeRequest) bool {
	cb := "/interactions/" + interactionID(i) + "/" + interactionToken(i) + "/callback"
	wh := "/webhooks/" + fakeAppID + "/" + interactionToken(i)
	return func(r *fakeRequest) bool {
		if r.Status >= 300 {
			return false
		}
		if r.Path == cb {
			return r.msg().Type == 4
		}
		return r.Path == wh || r.Path == wh+"/messages/@original"
	}
}

func isChannelMessage(channel string) func(*fakeRequest) bool {
	p := "/channels/" + channel + "/messages"
	return func(r *fakeRequest) bool { return r.Path == p && r.Method == http.MethodPost && r.Status < 300 }
}
