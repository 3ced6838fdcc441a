package telegram

import (
	"sync"
	"time"
)

// chatQueue runs jobs one chat at a time, in order, with different chats
// in parallel: a slow chat delays only itself. At most `workers` jobs run at
// once.
type chatQueue struct {
	mu     sync.Mutex
	queues map[int64][]func()
	sem    chan struct{}
	wg     sync.WaitGroup
}

func newChatQueue(workers int) *chatQueue {
	return &chatQueue{queues: map[int64][]func(){}, sem: make(chan struct{}, workers)}
}

func (q *chatQueue) submit(chat int64, job func()) {
	q.mu.Lock()
	defer q.mu.Unlock()
	pending := q.queues[chat]
	q.queues[chat] = append(pending, job)
	if len(pending) == 0 {
		q.wg.Add(1)
		go q.run(chat)
	}
}

// run works through one chat's jobs. A job stays queued while it runs, so
// submit knows a worker is there.
func (q *chatQueue) run(chat int64) {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		jobs := q.queues[chat]
		if len(jobs) == 0 {
			delete(q.queues, chat)
			q.mu.Unlock()
			return
		}
		job := jobs[0]
		q.mu.Unlock()

		q.sem <- struct{}{}
		job()
		<-q.sem

		q.mu.Lock()
		q.queues[chat] = q.queues[chat][1:]
		q.mu.Unlock()
	}
}

// wait waits for every job to finish, at most d. It reports whether all did.
func (q *chatQueue) wait(d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		q.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// tracker knows which updates are being handled, so the offset confirmed to
// Telegram and stored never passes an update whose reply is not sent yet,
// and an update delivered twice is handled once.
type tracker struct {
	mu       sync.Mutex
	next     int // one past the highest update started
	started  map[int]bool
	inflight map[int]bool
	changed  chan struct{} // signalled when an update finishes
}

func newTracker(offset int) *tracker {
	return &tracker{next: offset, started: map[int]bool{}, inflight: map[int]bool{}, changed: make(chan struct{}, 1)}
}

// start reports whether the update is new, and marks it in flight.
func (t *tracker) start(id int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id < t.watermarkLocked() || t.started[id] {
		return false
	}
	t.started[id], t.inflight[id] = true, true
	if id >= t.next {
		t.next = id + 1
	}
	return true
}

func (t *tracker) finish(id int) {
	t.mu.Lock()
	delete(t.inflight, id)
	w := t.watermarkLocked()
	for s := range t.started {
		if s < w {
			delete(t.started, s)
		}
	}
	t.mu.Unlock()
	select {
	case t.changed <- struct{}{}:
	default:
	}
}

// watermark is the offset to confirm: every update below it is answered.
func (t *tracker) watermark() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.watermarkLocked()
}

func (t *tracker) watermarkLocked() int {
	w := t.next
	for id := range t.inflight {
		w = min(w, id)
	}
	return w
}
