package telegramtest

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

func TestValidateHTML(t *testing.T) {
	tests := []struct {
		html string
		ok   bool
	}{
		{"plain text", true},
		{"", true},
		{"<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>c</code> <pre>p</pre> <tg-spoiler>x</tg-spoiler>", true},
		{`<span class="tg-spoiler">x</span>`, true},
		{`<a href="https://example.org/?a=1&amp;b=2">link</a>`, true},
		{"<b><i>nested</i></b>", true},
		{"&lt; &gt; &amp; &quot; &#60; &#x3C;", true},
		{"健康记录 👩‍⚕️", true},
		{"a < b", false},
		{"a > b", false},
		{"a & b", false},
		{"&nbsp;", false},
		{"&#xZZ;", false},
		{"&amp", false},
		{"<b>unclosed", false},
		{"</b>", false},
		{"<b><i>crossed</b></i>", false},
		{"<script>x</script>", false},
		{"<div>x</div>", false},
		{`<b class="x">x</b>`, false},
		{`<span>x</span>`, false},
		{`<a href='https://x.org'>x</a>`, false},
		{`<a href="https://x.org/?a&b">x</a>`, false},
		{`<a href="x"">x</a>`, false},
		{`<a>x</a>`, false},
		{`<a href="https://a.org"><a href="https://b.org">x</a></a>`, false},
		{"<b", false},
		{"<<b>>", false},
		{"\xff", false},
	}
	for _, tt := range tests {
		if err := ValidateHTML(tt.html); (err == nil) != tt.ok {
			t.Errorf("ValidateHTML(%q) = %v, want ok=%v", tt.html, err, tt.ok)
		}
	}
}

// call makes a Bot API request the way the library does.
func call(t *testing.T, ctx context.Context, f *Server, method string, params url.Values) (tgbotapi.APIResponse, int) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, f.URL()+"/bot"+Token+"/"+method, strings.NewReader(params.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return tgbotapi.APIResponse{}, 0
	}
	defer resp.Body.Close()
	var r tgbotapi.APIResponse
	json.NewDecoder(resp.Body).Decode(&r)
	return r, resp.StatusCode
}

func updateIDs(t *testing.T, r tgbotapi.APIResponse) []int {
	t.Helper()
	var us []tgbotapi.Update
	if err := json.Unmarshal(r.Result, &us); err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, u := range us {
		ids = append(ids, u.UpdateID)
	}
	return ids
}

func TestGetUpdates(t *testing.T) {
	f := NewServer(t)
	ctx := context.Background()
	f.Push(PrivateText(1, "a", ""), PrivateText(1, "b", ""), PrivateText(2, "c", ""))
	get := func(offset, limit, timeout int) []int {
		r, code := call(t, ctx, f, "getUpdates", url.Values{"offset": {strconv.Itoa(offset)}, "limit": {strconv.Itoa(limit)}, "timeout": {strconv.Itoa(timeout)}})
		if code != http.StatusOK {
			t.Fatalf("getUpdates: %d", code)
		}
		return updateIDs(t, r)
	}
	if ids := get(0, 2, 0); len(ids) != 2 || ids[0] != 1 || ids[1] != 2 {
		t.Errorf("limit 2: %v", ids)
	}
	if ids := get(0, 100, 0); len(ids) != 3 {
		t.Errorf("unconfirmed updates come again: %v", ids)
	}
	if ids := get(3, 100, 0); len(ids) != 1 || ids[0] != 3 || f.Pending() != 1 {
		t.Errorf("offset 3 confirms 1 and 2: %v, pending %d", ids, f.Pending())
	}
	if ids := get(1, 100, 0); len(ids) != 1 {
		t.Errorf("confirmed updates are gone for good: %v", ids)
	}
	// A long poll waits for the next update: parked, it gets the one pushed.
	polled := make(chan []int, 1)
	go func() {
		r, _ := call(t, ctx, f, "getUpdates", url.Values{"offset": {"4"}, "limit": {"100"}, "timeout": {"30"}})
		var us []tgbotapi.Update
		json.Unmarshal(r.Result, &us)
		var ids []int
		for _, u := range us {
			ids = append(ids, u.UpdateID)
		}
		polled <- ids
	}()
	f.Until(func() bool { return f.Polling() == 1 })
	f.Push(PrivateText(1, "d", ""))
	if ids := <-polled; len(ids) != 1 || ids[0] != 4 {
		t.Errorf("long poll: %v, want [4]", ids)
	}
	// ... or its timeout.
	began := time.Now()
	if ids := get(5, 100, 1); len(ids) != 0 || time.Since(began) < 900*time.Millisecond {
		t.Errorf("long poll timeout: %v after %v", ids, time.Since(began))
	}
	// ... or the client going away: the fake stops waiting.
	cctx, cancel := context.WithCancel(ctx)
	gone := make(chan struct{})
	go func() {
		call(t, cctx, f, "getUpdates", url.Values{"offset": {"5"}, "timeout": {"30"}})
		close(gone)
	}()
	f.Until(func() bool { return f.Polling() == 1 })
	cancel()
	<-gone
	f.Until(func() bool { return f.Polling() == 0 })
}

func TestSendMessageValidation(t *testing.T) {
	f := NewServer(t)
	f.AddChats(1)
	ctx := context.Background()
	long := strings.Repeat("a", MaxMessage+1)
	astral := strings.Repeat("😀", MaxMessage/2) // 4096 UTF-16 units
	tests := []struct {
		name   string
		params url.Values
		want   int
	}{
		{"valid", url.Values{"chat_id": {"1"}, "text": {"<b>hi</b>"}, "parse_mode": {"HTML"}}, http.StatusOK},
		{"plain", url.Values{"chat_id": {"1"}, "text": {"a < b"}}, http.StatusOK},
		{"at the limit in UTF-16", url.Values{"chat_id": {"1"}, "text": {astral}, "parse_mode": {"HTML"}}, http.StatusOK},
		{"over the limit in UTF-16", url.Values{"chat_id": {"1"}, "text": {astral + "a"}, "parse_mode": {"HTML"}}, http.StatusBadRequest},
		{"too long", url.Values{"chat_id": {"1"}, "text": {long}, "parse_mode": {"HTML"}}, http.StatusBadRequest},
		{"empty", url.Values{"chat_id": {"1"}, "text": {""}, "parse_mode": {"HTML"}}, http.StatusBadRequest},
		{"bad HTML", url.Values{"chat_id": {"1"}, "text": {"a < b"}, "parse_mode": {"HTML"}}, http.StatusBadRequest},
		{"unknown chat", url.Values{"chat_id": {"2"}, "text": {"hi"}, "parse_mode": {"HTML"}}, http.StatusBadRequest},
		{"callback data too long", url.Values{"chat_id": {"1"}, "text": {"hi"}, "parse_mode": {"HTML"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"x","callback_data":"` + strings.Repeat("x", 65) + `"}]]}`}}, http.StatusBadRequest},
		{"callback data at the limit", url.Values{"chat_id": {"1"}, "text": {"hi"}, "parse_mode": {"HTML"},
			"reply_markup": {`{"inline_keyboard":[[{"text":"x","callback_data":"` + strings.Repeat("x", 64) + `"}]]}`}}, http.StatusOK},
	}
	for _, tt := range tests {
		if _, code := call(t, ctx, f, "sendMessage", tt.params); code != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, code, tt.want)
		}
	}
	if _, code := call(t, ctx, f, "setMyCommands", url.Values{"commands": {`[{"command":"Bad Name","description":"x"}]`}}); code != http.StatusBadRequest {
		t.Errorf("setMyCommands with a bad name: %d", code)
	}
	req, _ := http.NewRequest(http.MethodPost, f.URL()+"/botWRONG/getMe", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// answerInlineQuery is taken within Telegram's limits only, once, for a
// query the fake sent.
func TestAnswerInlineQueryLimits(t *testing.T) {
	f := NewServer(t)
	ctx := context.Background()
	result := func(id, title, text string) string {
		b, _ := json.Marshal(map[string]any{"type": "article", "id": id, "title": title,
			"input_message_content": map[string]any{"message_text": text, "parse_mode": "HTML"}})
		return string(b)
	}
	results := func(n int) string {
		var rs []string
		for i := range n {
			rs = append(rs, result(strconv.Itoa(i), "t", "<b>card</b>"))
		}
		return "[" + strings.Join(rs, ",") + "]"
	}
	tests := []struct {
		name   string
		params url.Values
		ok     bool
	}{
		{"50 results", url.Values{"results": {results(50)}, "next_offset": {"50"}, "cache_time": {"300"}}, true},
		{"none, with the button", url.Values{"results": {"[]"}, "button": {`{"text":"Open","start_parameter":"search"}`}}, true},
		{"51 results", url.Values{"results": {results(51)}}, false},
		{"next_offset of 65 bytes", url.Values{"results": {"[]"}, "next_offset": {strings.Repeat("1", 65)}}, false},
		{"id of 65 bytes", url.Values{"results": {"[" + result(strings.Repeat("i", 65), "t", "x") + "]"}}, false},
		{"the same id twice", url.Values{"results": {"[" + result("a", "t", "x") + "," + result("a", "t", "y") + "]"}}, false},
		{"no title", url.Values{"results": {"[" + result("a", " ", "x") + "]"}}, false},
		{"message of 4097", url.Values{"results": {"[" + result("a", "t", strings.Repeat("x", 4097)) + "]"}}, false},
		{"bad HTML", url.Values{"results": {"[" + result("a", "t", "<b>x") + "]"}}, false},
		{"bad start parameter", url.Values{"results": {"[]"}, "button": {`{"text":"Open","start_parameter":"a b"}`}}, false},
		{"negative cache_time", url.Values{"results": {"[]"}, "cache_time": {"-1"}}, false},
	}
	for k, tt := range tests {
		u := f.InlineQuery(int64(k+1), "weld", "", "en")
		f.Push(u)
		tt.params.Set("inline_query_id", u.InlineQuery.ID)
		resp, _ := call(t, ctx, f, "answerInlineQuery", tt.params)
		if resp.Ok != tt.ok {
			t.Errorf("%s: ok %v (%s), want %v", tt.name, resp.Ok, resp.Description, tt.ok)
		}
		if tt.ok {
			if again, _ := call(t, ctx, f, "answerInlineQuery", tt.params); again.Ok {
				t.Errorf("%s: answered twice", tt.name)
			}
		}
	}
	if resp, _ := call(t, ctx, f, "answerInlineQuery", url.Values{"inline_query_id": {"never-sent"}, "results": {"[]"}}); resp.Ok {
		t.Errorf("an answer to a query never sent was taken")
	}
	if got := len(f.InlineAnswers()); got != 2 {
		t.Errorf("%d answers recorded, want 2", got)
	}
}

// A keyboard button does exactly one thing: a callback, a URL or an
// inline query.
func TestKeyboardButtonKinds(t *testing.T) {
	for _, c := range []struct {
		kb string
		ok bool
	}{
		{`{"inline_keyboard":[[{"text":"a","callback_data":"i:duties:1252"}]]}`, true},
		{`{"inline_keyboard":[[{"text":"Share","switch_inline_query":"72106"}]]}`, true},
		{`{"inline_keyboard":[[{"text":"Open","url":"https://t.me/nocbot_test_bot?start=noc_72106"}]]}`, true},
		{`{"inline_keyboard":[[{"text":"a"}]]}`, false},
		{`{"inline_keyboard":[[{"text":"a","callback_data":"x","switch_inline_query":"y"}]]}`, false},
		{`{"inline_keyboard":[[{"text":"a","url":"javascript:alert(1)"}]]}`, false},
	} {
		if err := validateKeyboard(c.kb); (err == nil) != c.ok {
			t.Errorf("validateKeyboard(%s) = %v, want ok %v", c.kb, err, c.ok)
		}
	}
}
