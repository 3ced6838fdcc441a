package telegram

import (
	"sync"
	"time"
)

// chatQueue runs jobs one chat at a time, in order, with different chats
// in parallel: a goroutine per chat that has work, gone when the work is.
// A slow chat (pacing, a 429, a slow server) delays only itself. The
// number of chats with work is bounded by the updates in flight
// (Config.MaxInFlight); what runs at once is bounded where it costs: the
// core by the processors, HTTP requests by Config.MaxRequests.
type chatQueue struct {
	mu     sync.Mutex
	queues map[int64][]func()
	wg     sync.WaitGroup
}

func newChatQueue() *chatQueue {
	return &chatQueue{queues: map[int64][]func(){}}
}

// submit queues job for chat. It refuses (false) when the chat already
// has limit jobs waiting or running; limit <= 0 means no limit.
func (q *chatQueue) submit(chat int64, job func(), limit int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	pending := q.queues[chat]
	if limit > 0 && len(pending) >= limit {
		return false
	}
	q.queues[chat] = append(pending, job)
	if len(pending) == 0 {
		q.wg.Add(1)
		go q.run(chat)
	}
	return true
}

// run works through one chat's jobs. A job stays queued while it runs,
// so submit knows a worker is there; the worker removes the chat's entry
// in the same critical section that finds its queue empty, so a job
// submitted at that moment starts a new worker instead of joining one
// that is leaving (two workers once ran a job twice).
func (q *chatQueue) run(chat int64) {
	defer q.wg.Done()
	q.mu.Lock()
	job := q.queues[chat][0]
	q.mu.Unlock()
	for {
		job()

		q.mu.Lock()
		jobs := q.queues[chat]
		jobs[0] = nil
		if len(jobs) == 1 {
			delete(q.queues, chat)
			q.mu.Unlock()
			return
		}
		q.queues[chat] = jobs[1:]
		job = jobs[1]
		q.mu.Unlock()
	}
}

// wait waits for every job to finish, at most d. It reports whether all
// did.
func (q *chatQueue) wait(d time.Duration) bool {
	return waitGroup(&q.wg, d)
}

func waitGroup(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}
