package main

import (
	"context"
	"database/sql"
	"errors"
	"github.com/nocbot/nocbot/knowledge"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// telegramEnv is serve's environment for the fake Bot API on db.
func telegramEnv(t *testing.T, tg *telegramtest.Server, db string) map[string]string {
	return map[string]string{"HOME": t.TempDir(), "NOCBOT_DB": db, "NOCBOT_SEEDS": bottest.FixtureDir(t),
		"TELEGRAM_TOKEN": telegramtest.Token, "TELEGRAM_API_URL": tg.URL()}
}

// A second serve on a database already served exits at once, naming the
// process that holds it; the first answers on.
func TestServeOnePerDatabase(t *testing.T) {
	tg := telegramtest.NewServer(t)
	db := filepath.Join(t.TempDir(), "nocbot.db")
	environ := telegramEnv(t, tg, db)
	ln := listener(t)
	stop := serving(t, environ, ln, io.Discard)
	telegramServing(tg)

	second := withEnv(environ, map[string]string{"NOCBOT_HTTP_ADDR": ""})
	code, _, stderr := runCmd(t, "", second, "serve")
	if code != 1 || !strings.Contains(stderr, "another nocbot serve is using this database") ||
		!strings.Contains(stderr, "process "+strconv.Itoa(os.Getpid())) || !strings.Contains(stderr, db) {
		t.Errorf("second serve: exit %d, %q", code, stderr)
	}
	tg.Push(telegramtest.PrivateText(1, "what are the duties?", "en"))
	tg.WaitSent(1)
	if code := stop(); code != 0 {
		t.Fatalf("first serve exited %d", code)
	}
	// Once the first has stopped, the database is free again.
	logs := &bottest.LogBuffer{}
	stop = serving(t, environ, listener(t), logs)
	n := tg.Requests("getUpdates")
	tg.WaitRequests("getUpdates", n+1)
	if code := stop(); code != 0 {
		t.Errorf("serve after the first stopped: exit %d\n%s", code, logs.String())
	}
}

func withEnv(base, over map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// A database damaged on disk stops serve at start with what to do.
func TestServeCorruptDatabase(t *testing.T) {
	tg := telegramtest.NewServer(t)
	db := filepath.Join(t.TempDir(), "nocbot.db")
	environ := withEnv(telegramEnv(t, tg, db), map[string]string{"NOCBOT_HTTP_ADDR": ""})
	if code, _, stderr := runCmd(t, "", environ, "import"); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(db)
	if err != nil || len(data) < 3*4096 {
		t.Fatalf("database of %d bytes (%v)", len(data), err)
	}
	for i := 4096; i < len(data); i++ { // every page after the first
		data[i] ^= 0x5a
	}
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runCmd(t, "", environ, "serve")
	if code != 1 || !strings.Contains(stderr, db) || !strings.Contains(stderr, "move") {
		t.Errorf("serve on a damaged database: exit %d, %q", code, stderr)
	}
	if tg.Requests("getUpdates") != 0 {
		t.Error("serve polled with a damaged database")
	}
}

// serve refuses a database it cannot write (a read-only file, or one a
// process of another user left), naming the file and what to do, before
// it takes any update. Root writes any file, so as root the check runs in
// a copy of this test binary as another user.
func TestServeReadOnlyDatabase(t *testing.T) {
	if os.Getenv("NOCBOT_TEST_SERVE_AS_CHILD") != "" {
		return // the child's part is TestServeChild
	}
	tg := telegramtest.NewServer(t)
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o755) // the other user reaches the directory
	db := filepath.Join(dir, "nocbot.db")
	environ := withEnv(telegramEnv(t, tg, db), map[string]string{"NOCBOT_HTTP_ADDR": ""})
	os.Chmod(environ["NOCBOT_SEEDS"], 0o755)
	os.Chmod(filepath.Dir(environ["NOCBOT_SEEDS"]), 0o755)
	if code, _, stderr := runCmd(t, "", environ, "import"); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	for _, tt := range []struct {
		name     string
		lockFile bool // the lock file exists, writable: the database itself is refused
		want     string
	}{
		{"read-only directory", false, "directory of " + db + " must be writable"},
		{"read-only file", true, "writable path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(db + ".lock")
			if tt.lockFile {
				if err := os.WriteFile(db+".lock", nil, 0o666); err != nil {
					t.Fatal(err)
				}
				os.Chmod(db+".lock", 0o666)
			}
			os.Chmod(db, 0o444)
			os.Chmod(dir, 0o555)
			t.Cleanup(func() { os.Chmod(dir, 0o755); os.Chmod(db, 0o644) })
			code, stderr := serveAsOtherUser(t, environ)
			if code != 1 || !strings.Contains(stderr, db) || !strings.Contains(stderr, tt.want) {
				t.Errorf("serve on a read-only database: exit %d, %q", code, stderr)
			}
			if tg.Requests("getUpdates") != 0 {
				t.Error("serve polled with a database it cannot write")
			}
		})
	}
}

// serveAsOtherUser runs serve with environ: in process when this user
// cannot override file permissions, else in a copy of the test binary as
// user nobody.
func serveAsOtherUser(t *testing.T, environ map[string]string) (int, string) {
	t.Helper()
	if os.Geteuid() != 0 {
		code, _, stderr := runCmd(t, "", environ, "serve")
		return code, stderr
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "nocbot.test")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Dir(bin), 0o755)
	os.Chmod(filepath.Dir(filepath.Dir(bin)), 0o755)
	cmd := exec.Command(bin, "-test.run=^TestServeChild$")
	cmd.Env = []string{"NOCBOT_TEST_SERVE_AS_CHILD=1", "PATH=/usr/bin:/bin"}
	for k, v := range environ {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var stderr strings.Builder
	cmd.Stderr, cmd.Stdout = &stderr, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, stderr.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), stderr.String()
	}
	t.Fatalf("run as nobody: %v", err)
	return 0, ""
}

// TestServeChild is serve in a child process (serveAsOtherUser): it exits
// with serve's code.
func TestServeChild(t *testing.T) {
	if os.Getenv("NOCBOT_TEST_SERVE_AS_CHILD") == "" {
		t.Skip("run by serveAsOtherUser")
	}
	os.Exit(run(context.Background(), []string{"serve"}, env{stdin: strings.NewReader(""), stdout: os.Stderr, stderr: os.Stderr,
		getenv: os.Getenv, lookupEnv: os.LookupEnv}))
}

// NOCBOT_HTTP_ADDR set empty means no listener; unset, the default.
func TestHTTPAddrEmptyMeansNone(t *testing.T) {
	for _, tt := range []struct {
		name    string
		environ map[string]string
		dotenv  string
		want    string
	}{
		{"unset", map[string]string{}, "", "127.0.0.1:8080"},
		{"set empty", map[string]string{"NOCBOT_HTTP_ADDR": ""}, "", ""},
		{"set", map[string]string{"NOCBOT_HTTP_ADDR": "127.0.0.1:9999"}, "", "127.0.0.1:9999"},
		{"empty in .env", map[string]string{}, "NOCBOT_HTTP_ADDR=\n", ""},
		{"empty in the environment, set in .env", map[string]string{"NOCBOT_HTTP_ADDR": ""}, "NOCBOT_HTTP_ADDR=127.0.0.1:7777\n", "127.0.0.1:7777"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			environ := withEnv(tt.environ, nil)
			if tt.dotenv != "" {
				path := filepath.Join(t.TempDir(), ".env")
				if err := os.WriteFile(path, []byte(tt.dotenv), 0o600); err != nil {
					t.Fatal(err)
				}
				environ["NOCBOT_ENV_FILE"] = path
			}
			e := env{stderr: io.Discard, getenv: func(k string) string { return environ[k] },
				lookupEnv: func(k string) (string, bool) { v, ok := environ[k]; return v, ok }}
			cfg, _, err := parseServeConfig(e, nil)
			if err != nil || cfg.httpAddr != tt.want {
				t.Errorf("http address %q (%v), want %q", cfg.httpAddr, err, tt.want)
			}
		})
	}
}

// NOCBOT_SEEDS is read by every command that reads profiles, as by serve.
func TestSeedsFromEnvironment(t *testing.T) {
	missing := map[string]string{"HOME": t.TempDir(), "NOCBOT_SEEDS": filepath.Join(t.TempDir(), "nowhere")}
	for _, args := range [][]string{{"ask", "what are the duties?"}, {"chat"}, {"profile", "1252"}} {
		if code, _, stderr := runCmd(t, "", missing, args...); code == 0 || !strings.Contains(stderr, "seeds directory") {
			t.Errorf("%s with NOCBOT_SEEDS naming no directory: exit %d, %q", args[0], code, stderr)
		}
	}
	two := map[string]string{"HOME": t.TempDir(), "NOCBOT_SEEDS": twoProfiles(t)}
	if code, out, stderr := runCmd(t, "", two, "profile", "1253"); code != 0 || !strings.Contains(out, "1253") {
		t.Errorf("profile 1253 from NOCBOT_SEEDS: exit %d, %q %q", code, out, stderr)
	}
	if code, out, stderr := runCmd(t, "/noc 1253\n", two, "chat"); code != 0 || !strings.Contains(out, "1253") {
		t.Errorf("chat from NOCBOT_SEEDS: exit %d, %q %q", code, out, stderr)
	}
}

// Before the first message, /metrics has the platform's series at zero
// and /healthz a line for each part.
func TestServeMetricsBeforeFirstMessage(t *testing.T) {
	tg := telegramtest.NewServer(t)
	ln := listener(t)
	stop := serving(t, telegramEnv(t, tg, filepath.Join(t.TempDir(), "nocbot.db")), ln, io.Discard)
	defer stop()
	telegramServing(tg)
	_, body := get(t, "http://"+ln.Addr().String()+"/metrics")
	for _, want := range []string{
		`nocbot_messages_received_total{platform="telegram"} 0`,
		`nocbot_messages_sent_total{lang="en",platform="telegram"} 0`,
		`nocbot_updates_skipped_total{platform="telegram"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	code, body := get(t, "http://"+ln.Addr().String()+"/healthz")
	for _, want := range []string{`"database":"ok"`, `"question_log":"ok"`, `"telegram":"ok"`} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Errorf("/healthz: %d %s; want %s", code, body, want)
		}
	}
}

// The listener holds at most n connections: the next is accepted once
// one closes.
func TestLimitListener(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := limitListener(raw, 2)
	defer ln.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	var clients []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients = append(clients, c)
	}
	first, second := <-accepted, <-accepted
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	default:
	}
	first.Close()
	third := <-accepted // accepted once the first closed
	second.Close()
	third.Close()
	ln.Close()
	for range accepted {
	}
}

// When every slot is taken by keep-alive connections between requests, a
// new client is served: the connection idle longest makes room.
func TestLimitListenerEvictsIdle(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := limitListener(raw, 2)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }),
		ConnState: ln.ConnState}
	go srv.Serve(ln)
	defer srv.Close()
	// Two clients, each with its own keep-alive connection left idle.
	var idle []*http.Client
	for range 2 {
		c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		resp, err := c.Get("http://" + raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		idle = append(idle, c)
	}
	// A third is answered although both slots are held.
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := fresh.Get("http://" + raw.Addr().String() + "/healthz")
	if err != nil {
		t.Fatalf("a new client behind two idle keep-alives: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "ok" {
		t.Errorf("body %q", body)
	}
	for _, c := range idle {
		c.CloseIdleConnections()
	}
}

// The start check writes: a database that opens and reads but takes no
// write is refused with what to do.
func TestCheckWritable(t *testing.T) {
	db := filepath.Join(t.TempDir(), "nocbot.db")
	if code, _, stderr := runCmd(t, "", map[string]string{"HOME": t.TempDir(), "NOCBOT_SEEDS": bottest.FixtureDir(t)}, "import", "--db", db); code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	for _, tt := range []struct {
		name, query string
		want        string // "" for no error
	}{
		{"writable", "", ""},
		{"read-only", "?mode=ro", "cannot be written"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := sql.Open("sqlite3", "file:"+db+tt.query)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			err = checkWritable(context.Background(), conn, db)
			if (tt.want == "") != (err == nil) || (err != nil && (!strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), db))) {
				t.Errorf("checkWritable: %v, want %q", err, tt.want)
			}
		})
	}
}

// The health write check writes at most once per interval, whatever the
// number of requests, and sees a failure once the interval has passed.
func TestWriteProbe(t *testing.T) {
	store, err := knowledge.Open(context.Background(), filepath.Join(t.TempDir(), "nocbot.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	clock := time.Unix(1000, 0)
	p := newWriteProbe(store.DB())
	p.now = func() time.Time { return clock }
	if err := p.check(context.Background()); err != nil {
		t.Fatalf("first check: %v", err)
	}
	first := p.at
	store.Close() // every write fails from now on
	for range 100 {
		if err := p.check(context.Background()); err != nil {
			t.Fatalf("within the interval the last result stands: %v", err)
		}
	}
	if p.at != first {
		t.Error("a check within the interval wrote again")
	}
	clock = clock.Add(p.every)
	if err := p.check(context.Background()); err == nil {
		t.Error("after the interval the check did not see the closed database")
	}
}
