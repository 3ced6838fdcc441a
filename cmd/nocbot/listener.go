package main

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// maxConns bounds the connections serve's HTTP listener holds at once:
// health checks, scrapes and webhook deliveries need a few dozen; the
// bound keeps idle or slow clients from using up the process's file
// descriptors.
const maxConns = 256

// limitListener accepts at most n connections at once. When all n are
// taken, the connection idle longest (a keep-alive between requests, as
// the server reports through ConnState) is closed to make room: idle
// clients cannot keep a health check or a webhook delivery out. With no
// idle one, Accept waits for a connection to close.
func limitListener(ln net.Listener, n int) *limitedListener {
	return &limitedListener{Listener: ln, slots: make(chan struct{}, n), done: make(chan struct{}),
		idle: map[*limitedConn]time.Time{}, wentIdle: make(chan struct{}, 1)}
}

type limitedListener struct {
	net.Listener
	slots     chan struct{}
	closeOnce sync.Once
	done      chan struct{}

	mu   sync.Mutex
	idle map[*limitedConn]time.Time // since when each idle connection is
	// wentIdle wakes an Accept waiting for a slot when a connection goes
	// idle (buffered: a signal is never lost, never blocks the server).
	wentIdle chan struct{}
}

func (l *limitedListener) Accept() (net.Conn, error) {
	// Wait for a slot; while waiting, every connection that goes idle is a
	// candidate to make room.
	for taken := false; !taken; {
		select {
		case l.slots <- struct{}{}:
			taken = true
			continue
		default:
		}
		if l.evictIdle() {
			continue // its slot is free now
		}
		select {
		case l.slots <- struct{}{}:
			taken = true
		case <-l.wentIdle:
		case <-l.done:
			return nil, net.ErrClosed
		}
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	lc := &limitedConn{Conn: c}
	lc.release = func() {
		l.mu.Lock()
		delete(l.idle, lc)
		l.mu.Unlock()
		<-l.slots
	}
	return lc, nil
}

// evictIdle closes the connection idle longest, if any, and reports
// whether it did.
func (l *limitedListener) evictIdle() bool {
	l.mu.Lock()
	var oldest *limitedConn
	var since time.Time
	for c, t := range l.idle {
		if oldest == nil || t.Before(since) {
			oldest, since = c, t
		}
	}
	delete(l.idle, oldest)
	l.mu.Unlock()
	if oldest == nil {
		return false
	}
	oldest.Close()
	return true
}

// ConnState is the http.Server hook that tells the listener which
// connections are idle.
func (l *limitedListener) ConnState(c net.Conn, state http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if state == http.StateIdle {
		l.idle[lc] = time.Now()
		select {
		case l.wentIdle <- struct{}{}:
		default:
		}
	} else {
		delete(l.idle, lc)
	}
}

func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
