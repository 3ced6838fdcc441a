package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// TestMeasureFaults measures how a real `nocbot serve` (the binary
// NOCBOT_MEASURE_BIN names) meets the faults an operator meets: a disk
// that fills, idle and slow HTTP clients, a read-only database, an update
// it cannot read and a second serve on the same database. It only logs
// what it sees, to compare two builds; it runs when NOCBOT_MEASURE_BIN is
// set, as root (it mounts small filesystems).
func TestMeasureFaults(t *testing.T) {
	bin := os.Getenv("NOCBOT_MEASURE_BIN")
	if bin == "" {
		t.Skip("a measurement: set NOCBOT_MEASURE_BIN")
	}
	t.Run("disk-full", func(t *testing.T) { measureDiskFull(t, bin) })
	t.Run("slow-client", func(t *testing.T) { measureSlowClients(t, bin) })
	t.Run("read-only", func(t *testing.T) { measureReadOnly(t, bin, false) })
	t.Run("read-only-after-kill", func(t *testing.T) { measureReadOnly(t, bin, true) })
	t.Run("poison", func(t *testing.T) { measurePoison(t, bin) })
	t.Run("two-processes", func(t *testing.T) { measureTwoProcesses(t, bin) })
}

// served is one serve process under measurement.
type served struct {
	cmd    *exec.Cmd
	log    string // its stdout and stderr
	exited chan struct{}
	code   int
}

func measureEnv(t *testing.T, tg *telegramtest.Server, db, addr string) []string {
	return []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin",
		"TELEGRAM_TOKEN=" + telegramtest.Token, "TELEGRAM_API_URL=" + tg.URL(),
		"NOCBOT_DB=" + db, "NOCBOT_SEEDS=" + bottest.FixtureDir(t),
		"NOCBOT_HTTP_ADDR=" + addr, "NOCBOT_SHUTDOWN_TIMEOUT=10s"}
}

// startServed runs shell's words before exec-ing bin serve (a ulimit).
func startServed(t *testing.T, bin string, environ []string, shell string) *served {
	dir := t.TempDir()
	p := &served{log: filepath.Join(dir, "serve.log"), exited: make(chan struct{})}
	logf, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command("sh", "-c", shell+" exec \"$0\" serve", bin)
	p.cmd.Env, p.cmd.Stdout, p.cmd.Stderr = environ, logf, logf
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		logf.Close()
		close(p.exited)
	}()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.exited })
	return p
}

// stop ends p with SIGTERM and returns its exit code.
func (p *served) stop() int {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.exited
	}
	return p.code
}

// exitedWithin reports whether p ended within d.
func (p *served) exitedWithin(d time.Duration) bool {
	select {
	case <-p.exited:
		return true
	case <-time.After(d):
		return false
	}
}

// firstLine is the first log line holding one of the words, or the first
// line.
func (p *served) firstLine(words ...string) string {
	data, _ := os.ReadFile(p.log)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for _, l := range lines {
		for _, w := range words {
			if strings.Contains(l, w) {
				return cut(l)
			}
		}
	}
	return cut(lines[0])
}

func (p *served) count(word string) int {
	data, _ := os.ReadFile(p.log)
	return strings.Count(string(data), word)
}

func cut(s string) string {
	if len(s) > 240 {
		return s[:240] + "…"
	}
	return s
}

// within waits until cond holds, as tg.Until does, for at most d.
func within(tg *telegramtest.Server, d time.Duration, cond func() bool) bool {
	done := make(chan struct{})
	go func() { tg.Until(cond); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// tally is how many of chats got a reply, how many none and how many
// more than one.
func tally(tg *telegramtest.Server, chats []int64) (answered, lost, dup int) {
	answered, lost, dup, _ = tallyCopies(tg, chats)
	return answered, lost, dup
}

// tallyCopies is tally with the number of extra replies.
func tallyCopies(tg *telegramtest.Server, chats []int64) (answered, lost, dup, copies int) {
	n := map[int64]int{}
	for _, s := range tg.Sent() {
		n[s.Chat]++
	}
	for _, c := range chats {
		switch {
		case n[c] == 0:
			lost++
			continue
		case n[c] > 1:
			dup++
			copies += n[c] - 1
		}
		answered++
	}
	return answered, lost, dup, copies
}

func pushChats(tg *telegramtest.Server, from, n int64) []int64 {
	var chats []int64
	for c := from; c < from+n; c++ {
		tg.Push(telegramtest.PrivateText(c, "what are the duties?", "en"))
		chats = append(chats, c)
	}
	return chats
}

// healthz asks on a connection of its own, as a fresh health checker
// does: a kept-alive one would skip the listener's queue.
func healthz(addr string) string {
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	resp, err := client.Get("http://" + addr + "/healthz")
	if err != nil {
		return fmt.Sprintf("no answer after %v (%v)", time.Since(start).Round(time.Millisecond), err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		b.WriteString(sc.Text())
	}
	return fmt.Sprintf("%d in %v %s", resp.StatusCode, time.Since(start).Round(time.Millisecond), cut(b.String()))
}

func descriptors(pid int) int {
	fds, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(fds)
}

// smallFS mounts a tmpfs of size in a directory of its own.
func smallFS(t *testing.T, size string) string {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// fill writes a file until the filesystem has no space left.
func fill(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Logf("fill: %v", err)
		return
	}
	defer f.Close()
	chunk := make([]byte, 1024)
	for {
		if _, err := f.Write(chunk); err != nil {
			return
		}
	}
}

func measureDiskFull(t *testing.T, bin string) {
	fs := smallFS(t, "3m")
	tg := telegramtest.NewServer(t)
	addr := freeAddr(t)
	p := startServed(t, bin, measureEnv(t, tg, filepath.Join(fs, "nocbot.db"), addr), "")
	if !within(tg, 30*time.Second, func() bool { return tg.Polling() > 0 }) {
		p.exitedWithin(time.Second)
		t.Fatalf("serve did not poll: exit %d: %s", p.code, p.firstLine("rror"))
	}
	chats := pushChats(tg, 1, 50)
	within(tg, 30*time.Second, func() bool { a, _, _ := tally(tg, chats); return a == 50 })
	a, _, _ := tally(tg, chats)
	t.Logf("before the disk fills: %d/50 answered; healthz %s", a, healthz(addr))

	fill(t, filepath.Join(fs, "filler"))
	full := pushChats(tg, 1001, 50)
	within(tg, 20*time.Second, func() bool { a, _, _ := tally(tg, full); return a == 50 })
	a, _, _ = tally(tg, full)
	polls := tg.Requests("getUpdates")
	probe := pushChats(tg, 1501, 1)
	polled := within(tg, 10*time.Second, func() bool { return tg.Requests("getUpdates") > polls })
	t.Logf("disk full: %d/50 answered in 20 s; polling after a new update: %v; pending at the fake %d; healthz %s; ERROR lines %d",
		a, polled, tg.Pending(), healthz(addr), p.count("level=ERROR"))

	os.Remove(filepath.Join(fs, "filler"))
	after := pushChats(tg, 2001, 50)
	all := append(append(append(chats, full...), probe...), after...)
	within(tg, 60*time.Second, func() bool { _, lost, _ := tally(tg, all); return lost == 0 && tg.Pending() == 0 })
	answered, lost, dup := tally(tg, all)
	t.Logf("space back: healthz %s", healthz(addr))
	code := p.stop()
	t.Logf("disk-full summary: %d updates, %d answered, %d lost, %d answered more than once; exit %d; first error: %s",
		len(all), answered, lost, dup, code, p.firstLine("level=ERROR", "level=WARN"))
}

func measureSlowClients(t *testing.T, bin string) {
	var lim syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	lim.Cur = max(lim.Cur, 10000)
	lim.Max = max(lim.Max, lim.Cur)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Logf("rlimit: %v", err)
	}
	tg := telegramtest.NewServer(t)
	addr := freeAddr(t)
	environ := append(measureEnv(t, tg, filepath.Join(t.TempDir(), "nocbot.db"), addr),
		"TELEGRAM_WEBHOOK_URL=https://bot.example/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET="+webhookSecret)
	p := startServed(t, bin, environ, "ulimit -n 2000 &&")
	if !within(tg, 30*time.Second, func() bool { return len(tg.Webhooks()) > 0 }) {
		t.Fatalf("serve set no webhook: %s", p.firstLine("rror"))
	}
	pid := p.cmd.Process.Pid
	t.Logf("at rest: %d descriptors; healthz %s", descriptors(pid), healthz(addr))

	// 2,100 keep-alive clients: each asks for /healthz once, then stays
	// connected and silent.
	var conns []net.Conn
	var mu sync.Mutex
	var answered, refused atomic.Int32
	var wg sync.WaitGroup
	for range 2100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.DialTimeout("tcp", addr, 10*time.Second)
			if err != nil {
				refused.Add(1)
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			go func() {
				r := bufio.NewReader(c)
				if resp, err := http.ReadResponse(r, nil); err == nil {
					resp.Body.Close()
					answered.Add(1)
				}
			}()
		}()
	}
	// 50 deliveries whose body comes one byte a second.
	for range 50 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			refused.Add(1)
			continue
		}
		mu.Lock()
		conns = append(conns, c)
		mu.Unlock()
		fmt.Fprintf(c, "POST /telegram/webhook HTTP/1.1\r\nHost: x\r\n%s: %s\r\nContent-Type: application/json\r\nContent-Length: 600\r\n\r\n", "X-Telegram-Bot-Api-Secret-Token", webhookSecret)
		go func() {
			tick := time.NewTicker(time.Second) // one byte a second: the slow client
			defer tick.Stop()
			for range 600 {
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
				<-tick.C
			}
		}()
	}
	wg.Wait()
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	start := time.Now()
	for _, at := range []time.Duration{3 * time.Second, 20 * time.Second, 70 * time.Second} {
		// The measurement is taken at these moments after the load began.
		point := time.NewTimer(time.Until(start.Add(at)))
		<-point.C
		t.Logf("%v after 2,100 idle and 50 slow clients (%d could not connect): %d descriptors; %d of the idle clients answered; healthz %s",
			at, refused.Load(), descriptors(pid), answered.Load(), healthz(addr))
	}
	t.Logf("slow-client: exit %d; Accept errors logged %d; first error: %s", p.stop(), p.count("Accept error"), p.firstLine("level=ERROR", "rror"))
}

// measureReadOnly remounts the database's filesystem read-only after a
// serve stopped cleanly, or was killed (leaving its -wal and -shm files).
func measureReadOnly(t *testing.T, bin string, kill bool) {
	fs := smallFS(t, "16m")
	tg := telegramtest.NewServer(t)
	addr := freeAddr(t)
	environ := measureEnv(t, tg, filepath.Join(fs, "nocbot.db"), addr)
	p := startServed(t, bin, environ, "")
	first := pushChats(tg, 1, 1)
	if !within(tg, 30*time.Second, func() bool { a, _, _ := tally(tg, first); return a == 1 }) {
		t.Fatalf("first serve answered nothing: %s", p.firstLine("rror"))
	}
	if kill {
		p.cmd.Process.Kill()
		<-p.exited
	} else {
		p.stop()
	}
	if out, err := exec.Command("mount", "-o", "remount,ro", fs).CombinedOutput(); err != nil {
		t.Skipf("remount read-only: %v %s", err, out)
	}
	p = startServed(t, bin, environ, "")
	if p.exitedWithin(10 * time.Second) {
		t.Logf("read-only summary: exit %d; %s", p.code, p.firstLine("rror", "read-only", "readonly"))
		return
	}
	chats := pushChats(tg, 101, 20)
	within(tg, 15*time.Second, func() bool { a, _, _ := tally(tg, chats); return a == 20 })
	a, _, _ := tally(tg, chats)
	more := pushChats(tg, 201, 20)
	within(tg, 15*time.Second, func() bool { a, _, _ := tally(tg, more); return a == 20 })
	b, _, _ := tally(tg, more)
	hz := healthz(addr)
	code := p.stop()
	t.Logf("read-only summary: still running after 10 s; answered %d/20 then %d/20; healthz %s; exit %d on SIGTERM; first error: %s",
		a, b, hz, code, p.firstLine("level=ERROR", "level=WARN"))
	exec.Command("mount", "-o", "remount,rw", fs).Run()
	p = startServed(t, bin, environ, "")
	all := append(chats, more...)
	within(tg, 30*time.Second, func() bool { _, lost, _ := tally(tg, all); return lost == 0 && tg.Pending() == 0 })
	_, lost, dup := tally(tg, all)
	p.stop()
	t.Logf("read-only, writable again: of 40 updates %d lost, %d answered more than once", lost, dup)
}

func measurePoison(t *testing.T, bin string) {
	tg := telegramtest.NewServer(t)
	addr := freeAddr(t)
	p := startServed(t, bin, measureEnv(t, tg, filepath.Join(t.TempDir(), "nocbot.db"), addr), "")
	before := pushChats(tg, 1, 1)
	tg.PushRaw(`"message":{"message_id":"seven","date":1,"chat":{"id":8101,"type":"private"},"text":"what are the duties?"}`)
	following := pushChats(tg, 11, 20)
	within(tg, 20*time.Second, func() bool { a, _, _ := tally(tg, following); return a == 20 })
	a0, _, _ := tally(tg, before)
	a, _, _ := tally(tg, following)
	hz := healthz(addr)
	t.Logf("poison summary: before it %d/1 answered, after it %d/20 answered; getUpdates calls %d; healthz %s; exit %d on SIGTERM; first warning: %s",
		a0, a, tg.Requests("getUpdates"), hz, p.stop(), p.firstLine("level=WARN", "level=ERROR"))
}

func measureTwoProcesses(t *testing.T, bin string) {
	tg := telegramtest.NewServer(t)
	db := filepath.Join(t.TempDir(), "nocbot.db")
	one := startServed(t, bin, measureEnv(t, tg, db, freeAddr(t)), "")
	if !within(tg, 30*time.Second, func() bool { return tg.Polling() > 0 }) {
		t.Fatalf("first serve did not poll: %s", one.firstLine("rror"))
	}
	two := startServed(t, bin, measureEnv(t, tg, db, freeAddr(t)), "")
	if two.exitedWithin(10 * time.Second) {
		t.Logf("second serve: exit %d: %s", two.code, two.firstLine("another", "rror"))
	} else {
		t.Logf("second serve still running after 10 s")
	}
	chats := make([]int64, 0, 100)
	tick := time.NewTicker(20 * time.Millisecond) // a stream: both serves poll while it arrives
	defer tick.Stop()
	for c := int64(1); c <= 100; c++ {
		chats = append(chats, pushChats(tg, c, 1)...)
		<-tick.C
	}
	within(tg, 60*time.Second, func() bool { _, lost, _ := tally(tg, chats); return lost == 0 && tg.Pending() == 0 })
	answered, lost, dup := tally(tg, chats)
	c1, c2 := one.stop(), two.stop()
	t.Logf("two-processes summary: 100 updates, %d answered, %d lost, %d answered twice or more (%d %%); exits %d and %d",
		answered, lost, dup, dup, c1, c2)
}
