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
