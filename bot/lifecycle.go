package bot

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// State is where a Platform is in its life.
type State int

// The states, in the order a platform goes through them. Connecting
// follows Serving again when a connection drops.
const (
	StateNew State = iota
	StateConnecting
	StateServing
	StateStopping
	StateStopped
)

func (s State) String() string {
	switch s {
	case StateNew:
		return "not started"
	case StateConnecting:
		return "connecting"
	case StateServing:
		return "serving"
	case StateStopping:
		return "stopping"
	case StateStopped:
		return "stopped"
	}
	return fmt.Sprintf("state %d", int(s))
}

// ErrRunTwice is returned by a Platform's second Run.
var ErrRunTwice = errors.New("Run called twice")

// Lifecycle is the state of a Platform and its last problem, for Run and
// Healthy: one place for what each adapter would otherwise keep as its
// own set of booleans. The zero value is a platform not started. It is
// safe for concurrent use.
type Lifecycle struct {
	mu    sync.Mutex
	state State
	err   error     // the last problem: a failed contact, why it stopped
	since time.Time // of the last state change
	now   func() time.Time
}

// Begin moves a new platform to Connecting; ErrRunTwice if it ever ran.
func (l *Lifecycle) Begin() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != StateNew {
		return ErrRunTwice
	}
	l.set(StateConnecting)
	return nil
}

// Set moves to s. Serving forgets the last problem; Stopped keeps it.
// Nothing leaves Stopped, and only Stopped leaves Stopping.
func (l *Lifecycle) Set(s State) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state == StateStopped || (l.state == StateStopping && s != StateStopped) {
		return
	}
	if s == StateServing {
		l.err = nil
	}
	l.set(s)
}

func (l *Lifecycle) set(s State) {
	if l.state != s {
		l.state, l.since = s, l.clock()
	}
}

func (l *Lifecycle) clock() time.Time {
	if l.now != nil {
		return l.now()
	}
	return time.Now()
}

// Report records the outcome of the latest contact with the platform:
// nil when it answered, else what went wrong. While serving, an error
// makes the platform unhealthy until the next success.
func (l *Lifecycle) Report(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.state != StateStopped {
		l.err = err
	}
}

// Stop moves to Stopped, keeping err (if not nil) as the reason.
func (l *Lifecycle) Stop(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.err = err
	}
	l.set(StateStopped)
}

// State is the current state and since when.
func (l *Lifecycle) State() (State, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.state, l.since
}

// Serving reports whether the platform is serving (not connecting, not
// stopping).
func (l *Lifecycle) Serving() bool {
	s, _ := l.State()
	return s == StateServing
}

// Healthy is nil while serving with no problem reported since the last
// success, else the state and the last problem: "connecting: …",
// "stopped: …".
func (l *Lifecycle) Healthy() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.state == StateServing && l.err == nil:
		return nil
	case l.state == StateServing:
		return l.err
	case l.err != nil:
		return fmt.Errorf("%s: %w", l.state, l.err)
	}
	return errors.New(l.state.String())
}
