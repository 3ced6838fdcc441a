package bot

import (
	"time"

	"github.com/nocbot/nocbot/knowledge"
)

// Events receives what platform adapters observe while delivering replies,
// for metrics and logs. Implementations must be safe for concurrent use.
type Events interface {
	// Received: a message reached the core from the platform.
	Received(platform string)
	// Sent: one message went out (a reply split in three counts three).
	Sent(platform string, lang knowledge.Lang)
	// SendFailed: a message was given up on after its retries.
	SendFailed(platform string, err error)
	// RateLimited: the adapter waited before sending, by the platform's
	// word (429 retry_after) or its own pacing.
	RateLimited(platform string, wait time.Duration)
}

// NopEvents ignores everything.
type NopEvents struct{}

// Received implements Events.
func (NopEvents) Received(string) {}

// Sent implements Events.
func (NopEvents) Sent(string, knowledge.Lang) {}

// SendFailed implements Events.
func (NopEvents) SendFailed(string, error) {}

// RateLimited implements Events.
func (NopEvents) RateLimited(string, time.Duration) {}
