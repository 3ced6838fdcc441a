package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// serving runs `nocbot serve` in process until stop is called (the
// SIGTERM path: the context main cancels on a signal).
func serving(t *testing.T, environ map[string]string, logs io.Writer) (stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs,
			getenv: func(k string) string { return environ[k] }})
	}()
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-done:
			case <-time.After(15 * time.Second):
				t.Error("serve did not stop within 15 s of the signal")
			}
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return stop
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

func waitHealthy(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("serve never became healthy")
}

func TestServeTelegramEndToEnd(t *testing.T) {
	f := telegramtest.NewServer(t)
	addr := freeAddr(t)
	environ := map[string]string{
		"HOME": t.TempDir(), "NOCBOT_DB": filepath.Join(t.TempDir(), "nocbot.db"), "NOCBOT_HTTP_ADDR": addr,
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": f.URL(), "NOCBOT_LOG_FORMAT": "json",
	}
	logs := &syncBuffer{}
	stop := serving(t, environ, logs)
	waitHealthy(t, addr)

	f.Push(telegramtest.PrivateText(1, "需要什么学历？", "zh-hans"), telegramtest.PrivateText(2, "what are the duties?", "en"))
	got := f.WaitSent(t, 2, 10*time.Second)
	for _, s := range got {
		if (s.Chat == 1) != strings.Contains(s.Text, "文凭") {
			t.Errorf("chat %d got %q", s.Chat, s.Text)
		}
	}
	code, body := get(t, "http://"+addr+"/healthz")
	if code != http.StatusOK || !strings.Contains(body, `"telegram":"ok"`) || !strings.Contains(body, `"database":"ok"`) {
		t.Errorf("/healthz: %d %s", code, body)
	}
	code, body = get(t, "http://"+addr+"/metrics")
	for _, want := range []string{`nocbot_messages_sent_total{lang="zh",platform="telegram"} 1`, `nocbot_messages_received_total{platform="telegram"} 2`,
		`nocbot_questions_total{answered="true",intent="requirements",lang="zh",platform="telegram"} 1`, `nocbot_reply_seconds_bucket`} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}

	// SIGTERM in the middle of a stream: nothing lost, nothing doubled.
	var stream []tgbotapi.Update
	for c := range 30 {
		for range 3 {
			stream = append(stream, telegramtest.PrivateText(int64(100+c), "how do I get promoted", ""))
		}
	}
	for c := range 30 {
		f.SlowChat(int64(100+c), 10*time.Millisecond)
	}
	f.Push(stream...)
	f.WaitSent(t, 2+20, 10*time.Second)
	if code := stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, logs.String())
	}
	serving(t, environ, logs)
	f.WaitSent(t, 2+len(stream), 20*time.Second)
	time.Sleep(300 * time.Millisecond)
	perChat := map[int64]int{}
	for _, s := range f.Sent() {
		perChat[s.Chat]++
	}
	for c := range 30 {
		if n := perChat[int64(100+c)]; n != 3 {
			t.Errorf("chat %d got %d replies across the restart, want 3", 100+c, n)
		}
	}
	out := logs.String()
	if strings.Contains(out, telegramtest.Token) || strings.Contains(out, "TEST-secret") {
		t.Error("a log line holds the token")
	}
	if strings.Contains(out, "how do I get promoted") {
		t.Error("message text logged at info level")
	}
	if !strings.Contains(out, `"msg":"message"`) || !strings.Contains(out, `"intent":"advancement"`) {
		t.Errorf("no per-message log line:\n%s", out)
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
