package bot

import (
	"context"
	"net/http"
)

// A Handler answers one message. *Core is the Handler nocbot runs; the
// middleware in this package wraps one Handler in another, as net/http's
// does, so that what every platform needs (recovery, observation) is
// written once.
//
// Handle must be safe for concurrent use. It never fails: whatever the
// input, the reply says something to the user.
type Handler interface {
	Handle(ctx context.Context, msg Message) Reply
}

// HandlerFunc makes an ordinary function a Handler.
type HandlerFunc func(ctx context.Context, msg Message) Reply

// Handle calls f(ctx, msg).
func (f HandlerFunc) Handle(ctx context.Context, msg Message) Reply { return f(ctx, msg) }

// A Platform is one chat platform an adapter serves: what `nocbot serve`
// runs without knowing the concrete type.
//
// Constructors do no network I/O: connecting is part of Run, so a
// platform out of reach delays only itself, and Healthy says
// "connecting" meanwhile.
type Platform interface {
	// Name is the platform's name in messages, metrics and logs
	// ("telegram", "discord").
	Name() string
	// Run connects and serves until ctx is cancelled, then finishes the
	// replies in flight (bounded by the platform's shutdown timeout). It
	// returns nil after a clean shutdown and an error when serving cannot
	// go on (a refused token, bad configuration). Run is called once.
	Run(ctx context.Context) error
	// Healthy is nil while the platform serves, else what is wrong.
	Healthy() error
}

// A Router is a Platform that also takes deliveries over HTTP, such as a
// webhook. serve mounts each route on its listener; the patterns are
// net/http.ServeMux patterns ("POST /telegram/webhook").
type Router interface {
	Routes() map[string]http.Handler
}
