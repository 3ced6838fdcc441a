package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/nocbot/nocbot/bot"
	"io"
	"math/rand/v2"
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

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/nocbot/nocbot/bot/bottest"
	"github.com/nocbot/nocbot/bot/telegram"
	"github.com/nocbot/nocbot/bot/telegram/telegramtest"
)

// TestKillNine measures what a kill -9 mid-stream costs: a real `nocbot
// serve` process answers a stream of updates from the fake Bot API, is
// killed at a random point, restarted, and every update's replies are
// counted once the restarted process has answered all and stopped
// cleanly. It runs when NOCBOT_KILL_ROUNDS says how many rounds
// (NOCBOT_KILL_BIN: a nocbot binary to measure instead of building one).
// It fails when an update is lost, or when more than 0.5 % are answered
// twice with fast sends.
func TestKillNine(t *testing.T) {
	rounds, _ := strconv.Atoi(os.Getenv("NOCBOT_KILL_ROUNDS"))
	if rounds <= 0 {
		t.Skip("a measurement: set NOCBOT_KILL_ROUNDS")
	}
	bin := os.Getenv("NOCBOT_KILL_BIN")
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "nocbot")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
	}
	for _, mode := range []struct {
		name    string
		delay   time.Duration
		webhook bool
		limit   float64 // the share of duplicates allowed; 0: only measured
	}{
		{"polling/fast", 0, false, 0.005}, {"polling/slow", 300 * time.Millisecond, false, 0},
		{"webhook/fast", 0, true, 0.005}, {"webhook/slow", 300 * time.Millisecond, true, 0},
	} {
		t.Run(mode.name, func(t *testing.T) {
			lost, dup, copies, total := killRounds(t, bin, rounds, mode.delay, mode.webhook)
			share := float64(dup) / float64(total)
			t.Logf("%s sends, %d rounds of kill -9: %d updates, %d lost (%.2f %%), %d answered more than once (%.2f %%, %d extra replies)",
				mode.name, rounds, total, lost, 100*float64(lost)/float64(total), dup, 100*share, copies)
			if lost > 0 {
				t.Errorf("%d updates lost", lost)
			}
			if mode.limit > 0 && share > mode.limit {
				t.Errorf("%.2f %% of updates answered more than once, want at most %.1f %%", 100*share, 100*mode.limit)
			}
		})
	}
}

// killRounds runs the rounds on one database and counts, per update (each
// has a chat of its own), the replies it got. With webhook, updates are
// delivered to serve's listener as Telegram does: each again until it is
// acknowledged with 200, across the kill and restart.
func killRounds(t *testing.T, bin string, rounds int, delay time.Duration, webhook bool) (lost, dup, copies, total int) {
	const perRound = 300
	tg := telegramtest.NewServer(t)
	dir := t.TempDir()
	environ := []string{"HOME=" + dir, "PATH=/usr/bin:/bin",
		"TELEGRAM_TOKEN=" + telegramtest.Token, "TELEGRAM_API_URL=" + tg.URL(),
		"NOCBOT_DB=" + filepath.Join(dir, "nocbot.db"), "NOCBOT_SEEDS=" + bottest.FixtureDir(t),
		"NOCBOT_HTTP_ADDR=127.0.0.1:0", "NOCBOT_LOG_LEVEL=warn", "NOCBOT_SHUTDOWN_TIMEOUT=30s"}
	var hook string
	if webhook {
		addr := freeAddr(t)
		hook = "http://" + addr + "/telegram/webhook"
		environ = append(environ, "NOCBOT_HTTP_ADDR="+addr,
			"TELEGRAM_WEBHOOK_URL=https://bot.example/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET="+webhookSecret)
	}
	start := func(round int) *exec.Cmd {
		cmd := exec.Command(bin, "serve")
		cmd.Env, cmd.Dir = environ, dir
		logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("round%d.log", round)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { logf.Close() })
		cmd.Stdout, cmd.Stderr = logf, logf
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	rng := rand.New(rand.NewPCG(17, uint64(delay)))
	for round := range rounds {
		first := int64(round*100000 + 1)
		chats := make([]int64, perRound)
		for i := range chats {
			chats[i] = first + int64(i)
			if delay > 0 {
				tg.SlowChat(chats[i], delay)
			}
		}
		cmd := start(2 * round)
		pushed := make(chan struct{})
		go func() {
			defer close(pushed)
			// A stream, not a burst: one update every 2 ms.
			tick := time.NewTicker(2 * time.Millisecond)
			defer tick.Stop()
			for _, c := range chats {
				u := telegramtest.PrivateText(c, "hello", "en")
				if webhook {
					tg.AddChats(c)
					u.UpdateID = int(c)
					deliver(hook, u)
				} else {
					tg.Push(u)
				}
				<-tick.C
			}
		}()
		before := len(tg.Sent())
		killAt := before + perRound/5 + rng.IntN(perRound*3/5)
		tg.Until(func() bool { return len(tg.Sent()) >= killAt })
		cmd.Process.Kill()
		cmd.Wait()
		if !webhook {
			<-pushed
		}
		cmd = start(2*round + 1)
		if webhook {
			<-pushed // the rest of the updates, and those not acknowledged, go to the restarted serve
		}
		answered := func() bool {
			got := map[int64]bool{}
			for _, s := range tg.Sent() {
				if s.Chat >= first && s.Chat < first+perRound {
					got[s.Chat] = true
				}
			}
			return len(got) == perRound
		}
		done := make(chan struct{})
		go func() { tg.Until(func() bool { return answered() && (webhook || tg.Pending() == 0) }); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Minute): // lost updates never come
		}
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			log, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("round%d.log", 2*round+1)))
			t.Fatalf("round %d: serve after the restart: %v\n%s", round, err, log)
		}
		_, roundLost, roundDup, roundCopies := tallyCopies(tg, chats)
		lost, dup, copies = lost+roundLost, dup+roundDup, copies+roundCopies
		total += perRound
		t.Logf("round %d: killed after %d replies; %d updates answered more than once", round, killAt-before, roundDup)
	}
	if logs, _ := filepath.Glob(filepath.Join(dir, "round*.log")); len(logs) > 0 {
		var b strings.Builder
		for _, p := range logs {
			data, _ := os.ReadFile(p)
			b.Write(data)
		}
		if strings.Contains(b.String(), "level=ERROR") {
			t.Logf("serve's errors:\n%s", b.String())
		}
	}
	return lost, dup, copies, total
}

// webhookSecret is the secret serve is given for webhook deliveries.
const webhookSecret = "measure_secret_0123456789"

// freeAddr is a loopback address with a port free at the time of asking.
func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// deliver posts u to a webhook as Telegram does: again, after a backoff,
// until the answer is 200. It reports how many attempts it made.
func deliver(url string, u tgbotapi.Update) int {
	body, _ := json.Marshal(u)
	client := &http.Client{Timeout: 10 * time.Second}
	retry := bot.NewBackoff(50*time.Millisecond, time.Second)
	for attempt := 1; ; attempt++ {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(telegram.SecretHeader, webhookSecret)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return attempt
			}
		}
		bot.Sleep(context.Background(), retry.Next(0))
	}
}
