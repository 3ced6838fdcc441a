package metrics

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nocbot/nocbot/bot"
	"github.com/nocbot/nocbot/knowledge"
)

var _ bot.Events = (*Metrics)(nil)

func TestExposition(t *testing.T) {
	m := New()
	m.Received("telegram")
	m.Received("discord")
	m.Sent("telegram", knowledge.ZH)
	m.Sent("telegram", knowledge.ZH)
	m.SendFailed("discord", errors.New("boom"))
	m.RateLimited("telegram", 1500*time.Millisecond)
	m.Handled("telegram", knowledge.ZH, "requirements", true, 30*time.Microsecond)
	m.Handled("discord", knowledge.EN, "out_of_scope", false, time.Millisecond)

	body := scrape(t, m)
	for _, want := range []string{
		`nocbot_messages_received_total{platform="telegram"} 1`,
		`nocbot_messages_received_total{platform="discord"} 1`,
		`nocbot_messages_sent_total{lang="zh",platform="telegram"} 2`,
		`nocbot_send_failures_total{platform="discord"} 1`,
		`nocbot_rate_limit_waits_total{platform="telegram"} 1`,
		`nocbot_rate_limit_wait_seconds_total{platform="telegram"} 1.5`,
		`nocbot_questions_total{answered="true",intent="requirements",lang="zh",platform="telegram"} 1`,
		`nocbot_questions_total{answered="false",intent="out_of_scope",lang="en",platform="discord"} 1`,
		`nocbot_reply_seconds_count{platform="telegram"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestPlatformAtZero: a platform's series are there, at zero, before its
// first message.
func TestPlatformAtZero(t *testing.T) {
	m := New()
	m.Platform("telegram")
	body := scrape(t, m)
	for _, want := range []string{
		`nocbot_messages_received_total{platform="telegram"} 0`,
		`nocbot_messages_sent_total{lang="en",platform="telegram"} 0`,
		`nocbot_messages_sent_total{lang="zh",platform="telegram"} 0`,
		`nocbot_send_failures_total{platform="telegram"} 0`,
		`nocbot_updates_skipped_total{platform="telegram"} 0`,
		`nocbot_reply_seconds_count{platform="telegram"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// scrape is what /metrics serves.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

// Changed is closed by the next count, and a new one waits for the one
// after.
func TestChanged(t *testing.T) {
	m := New()
	first := m.Changed()
	select {
	case <-first:
		t.Fatal("closed before any count")
	default:
	}
	m.Received("telegram")
	<-first // closed by the count
	second := m.Changed()
	select {
	case <-second:
		t.Fatal("the next channel is closed before the next count")
	default:
	}
	m.Handled("telegram", "en", "duties", true, time.Millisecond)
	<-second
}
