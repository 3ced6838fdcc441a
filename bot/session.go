package bot

import (
	"container/list"
	"sync"
	"time"

	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
)

// session is what the core remembers of one user in one chat.
type session struct {
	Lang       knowledge.Lang // the language of the last reply
	LangPinned bool           // chosen with /lang or "in English please"
	Profile    string         // unit group being discussed
	LastIntent intents.Intent // of the last answered question
	More       string         // button data "tell me more" stands for
	// Script is the Chinese script replies are written in, as the asker
	// last wrote or chose it; ScriptPinned when chosen (/lang zh-hant,
	// "用繁體").
	Script       script
	ScriptPinned bool
	// Offered is how many buttons the last reply offered, so a number
	// typed beyond them is answered as such.
	Offered int
}

// sessions is a bounded map of sessions: least recently used ones are
// evicted beyond capacity, and idle ones expire, so memory stays flat
// however many users come by.
type sessions struct {
	mu    sync.Mutex
	cap   int
	ttl   time.Duration
	now   func() time.Time
	order *list.List // front: most recently used
	byKey map[string]*list.Element
}

type sessionEntry struct {
	key     string
	s       session
	touched time.Time
}

func newSessions(capacity int, ttl time.Duration, now func() time.Time) *sessions {
	return &sessions{cap: max(capacity, 1), ttl: ttl, now: now, order: list.New(), byKey: map[string]*list.Element{}}
}

// get returns the session for key, or a new one when there is none or it
// expired.
func (s *sessions) get(key string) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.byKey[key]
	if !ok {
		return session{}, false
	}
	e := el.Value.(*sessionEntry)
	if s.ttl > 0 && s.now().Sub(e.touched) > s.ttl {
		s.order.Remove(el)
		delete(s.byKey, key)
		return session{}, false
	}
	return e.s, true
}

func (s *sessions) put(key string, sess session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if el, ok := s.byKey[key]; ok {
		e := el.Value.(*sessionEntry)
		e.s, e.touched = sess, now
		s.order.MoveToFront(el)
		return
	}
	s.byKey[key] = s.order.PushFront(&sessionEntry{key: key, s: sess, touched: now})
	for s.order.Len() > s.cap {
		s.evict(s.order.Back())
	}
	// Expired sessions at the back go too, so an idle bot gives memory back.
	for el := s.order.Back(); el != nil && s.ttl > 0 && now.Sub(el.Value.(*sessionEntry).touched) > s.ttl; el = s.order.Back() {
		s.evict(el)
	}
}

func (s *sessions) evict(el *list.Element) {
	s.order.Remove(el)
	delete(s.byKey, el.Value.(*sessionEntry).key)
}

func (s *sessions) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}
