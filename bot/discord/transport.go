package discord

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// rewriteTransport sends every request for Discord's REST API to another
// base URL (a REST proxy, or a fake in tests), keeping the path below it:
// https://discord.com/api/v9/gateway -> http://proxy:8080/base/api/v9/gateway.
// discordgo computes its endpoints from discordgo.EndpointDiscord when the
// package is initialised, so rewriting requests is the only reliable way.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

var discordHost = func() string {
	u, err := url.Parse(discordgo.EndpointDiscord)
	if err != nil {
		panic(err)
	}
	return u.Host
}()

func (t rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != discordHost {
		return t.next.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	u := *req.URL
	u.Scheme, u.Host = t.base.Scheme, t.base.Host
	u.Path = strings.TrimSuffix(t.base.Path, "/") + req.URL.Path
	if req.URL.RawPath != "" {
		u.RawPath = strings.TrimSuffix(t.base.EscapedPath(), "/") + req.URL.RawPath
	}
	r.URL, r.Host = &u, ""
	return t.next.RoundTrip(r)
}

// httpClient is the client for REST calls: the configured one, or one
// with discordgo's 20 s timeout that keeps a connection per reply in
// flight (discord.com speaks HTTP/2, but a REST proxy may not, and
// http.DefaultTransport keeps two idle connections a host); requests go to
// APIURL when it is set.
func httpClient(cfg Config) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = max(cfg.MaxConcurrent, 2) + 2
	c := &http.Client{Timeout: 20 * time.Second, Transport: t}
	if cfg.HTTPClient != nil {
		cc := *cfg.HTTPClient
		c = &cc
	}
	if cfg.APIURL != "" {
		base, _ := url.Parse(cfg.APIURL) // checked by validate
		next := c.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		c.Transport = rewriteTransport{base: base, next: next}
	}
	return c
}

// restPool hands out the sessions that carry interaction traffic.
//
// discordgo keeps a rate-limit bucket per URL and never forgets one, and
// interaction URLs hold the interaction's token, so a long-running bot
// would keep a bucket (and a token) for every interaction it ever answered
// (bwmarrin/discordgo#1333). Interaction calls go through REST-only
// sessions instead, a new one every rotateAfter: an interaction keeps the
// session it started with, so its own buckets hold for its 15 minutes, and
// an old session is garbage once its interactions are done. Interaction
// endpoints are not subject to the global rate limit, so nothing is lost by
// not sharing it with the gateway session.
type restPool struct {
	mu          sync.Mutex
	cur         *discordgo.Session
	born        time.Time
	rotateAfter time.Duration
	make        func() *discordgo.Session
	now         func() time.Time
}

func (p *restPool) get() *discordgo.Session {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := p.now(); p.cur == nil || now.Sub(p.born) >= p.rotateAfter {
		p.cur, p.born = p.make(), now
	}
	return p.cur
}
