// Package metrics exposes nocbot's counters in the Prometheus format:
// messages in and out per platform and language, intents, answered or not,
// reply latency, send failures and rate-limit waits.
//
// The out-of-scope share is a query, not a gauge:
//
//	sum(rate(nocbot_questions_total{intent="out_of_scope"}[1h])) / sum(rate(nocbot_questions_total[1h]))
package metrics

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/nocbot/nocbot/knowledge"
)

// Metrics holds nocbot's instruments in a registry of its own (never the
// global one), so several instances can live in one test binary.
type Metrics struct {
	reg          *prometheus.Registry
	received     *prometheus.CounterVec
	sent         *prometheus.CounterVec
	questions    *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	sendFailures *prometheus.CounterVec
	rateWaits    *prometheus.CounterVec
	rateWaitSecs *prometheus.CounterVec
	skipped      *prometheus.CounterVec

	// changed is closed and replaced on every count, for whoever waits
	// for one (Changed): tests wait on it instead of polling /metrics.
	mu      sync.Mutex
	changed chan struct{}
}

// Changed returns a channel closed at the next change of any count.
func (m *Metrics) Changed() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changed
}

func (m *Metrics) bump() {
	m.mu.Lock()
	close(m.changed)
	m.changed = make(chan struct{})
	m.mu.Unlock()
}

// New creates the instruments, with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		changed: make(chan struct{}),
		reg:     prometheus.NewRegistry(),
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nocbot_messages_received_total", Help: "Messages received from chat platforms.",
		}, []string{"platform"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nocbot_messages_sent_total", Help: "Messages sent to chat platforms (a split reply counts each part).",
		}, []string{"platform", "lang"}),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nocbot_questions_total", Help: "Messages handled by the core, by reply language, intent and whether the profiles answered them.",
		}, []string{"platform", "lang", "intent", "answered"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "nocbot_reply_seconds", Help: "Time the core took to compose a reply.",
			Buckets: []float64{.00001, .00005, .0001, .00025, .0005, .001, .0025, .005, .01, .05, .25, 1},
		}, []string{"platform"}),
		sendFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nocbot_send_failures_total", Help: "Messages given up on after retries.",
		}, []string{"platform"}),
		rateWaits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nocbot_rate_limit_waits_total", Help: "Times a send waited for a rate limit.",
		}, []string{"platform"}),
		rateWaitSecs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nocbot_rate_limit_wait_seconds_total", Help: "Time spent waiting for rate limits.",
		}, []string{"platform"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "nocbot_updates_skipped_total", Help: "Updates from a platform skipped unanswered because they could not be read.",
		}, []string{"platform"}),
	}
	m.reg.MustRegister(m.received, m.sent, m.questions, m.latency, m.sendFailures, m.rateWaits, m.rateWaitSecs, m.skipped,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Platform creates a platform's series at zero, so /metrics shows them
// (and a rate over them works) before its first message.
func (m *Metrics) Platform(platform string) {
	m.received.WithLabelValues(platform)
	for _, l := range []knowledge.Lang{knowledge.EN, knowledge.ZH} {
		m.sent.WithLabelValues(platform, string(l))
	}
	m.latency.WithLabelValues(platform)
	m.sendFailures.WithLabelValues(platform)
	m.rateWaits.WithLabelValues(platform)
	m.rateWaitSecs.WithLabelValues(platform)
	m.skipped.WithLabelValues(platform)
}

// Skipped counts an update that could not be read and was skipped.
func (m *Metrics) Skipped(platform string) {
	m.skipped.WithLabelValues(platform).Inc()
	m.bump()
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Received implements bot.Events.
func (m *Metrics) Received(platform string) {
	m.received.WithLabelValues(platform).Inc()
	m.bump()
}

// Sent implements bot.Events.
func (m *Metrics) Sent(platform string, lang knowledge.Lang) {
	m.sent.WithLabelValues(platform, string(lang)).Inc()
	m.bump()
}

// SendFailed implements bot.Events.
func (m *Metrics) SendFailed(platform string, _ error) {
	m.sendFailures.WithLabelValues(platform).Inc()
	m.bump()
}

// RateLimited implements bot.Events.
func (m *Metrics) RateLimited(platform string, wait time.Duration) {
	m.rateWaits.WithLabelValues(platform).Inc()
	m.rateWaitSecs.WithLabelValues(platform).Add(wait.Seconds())
	m.bump()
}

// Handled records one message the core answered.
func (m *Metrics) Handled(platform string, lang knowledge.Lang, intent string, answered bool, took time.Duration) {
	if intent == "" {
		intent = "none"
	}
	m.questions.WithLabelValues(platform, string(lang), intent, strconv.FormatBool(answered)).Inc()
	m.latency.WithLabelValues(platform).Observe(took.Seconds())
	m.bump()
}
