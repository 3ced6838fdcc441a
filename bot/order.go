package bot

import (
	"context"
	"sync"
)

// Queue runs jobs one key at a time, in the order they were submitted,
// with different keys in parallel: a goroutine per key that has work,
// gone when the work is. A slow conversation delays only itself.
//
// Order is the order of Submit calls, so an adapter submits from the one
// goroutine that receives updates (a poll loop, a gateway's event
// handler): two messages of one conversation are then never handled at
// once or out of turn, whatever the scheduler does.
type Queue struct {
	mu   sync.Mutex
	jobs map[string][]func()
	wg   sync.WaitGroup
	// done counts finished jobs: tests and shutdown wait on it instead of
	// sleeping.
	done    uint64
	changed *sync.Cond
}

// NewQueue returns an empty Queue.
func NewQueue() *Queue {
	q := &Queue{jobs: map[string][]func(){}}
	q.changed = sync.NewCond(&q.mu)
	return q
}

// Submit queues job behind key's earlier jobs. It refuses (false) when key
// already has limit jobs waiting or running; limit <= 0 means no limit.
func (q *Queue) Submit(key string, job func(), limit int) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	pending := q.jobs[key]
	if limit > 0 && len(pending) >= limit {
		return false
	}
	q.jobs[key] = append(pending, job)
	if len(pending) == 0 {
		q.wg.Add(1)
		go q.run(key)
	}
	return true
}

// run works through one key's jobs. A job stays queued while it runs, so
// Submit knows a worker is there; the worker removes the key in the same
// critical section that finds its queue empty, so a job submitted at that
// moment starts a new worker instead of joining one that is leaving.
func (q *Queue) run(key string) {
	defer q.wg.Done()
	q.mu.Lock()
	job := q.jobs[key][0]
	q.mu.Unlock()
	for {
		job()

		q.mu.Lock()
		q.done++
		q.changed.Broadcast()
		jobs := q.jobs[key]
		jobs[0] = nil
		if len(jobs) == 1 {
			delete(q.jobs, key)
			q.mu.Unlock()
			return
		}
		q.jobs[key] = jobs[1:]
		job = jobs[1]
		q.mu.Unlock()
	}
}

// Pending is the number of keys with jobs waiting or running.
func (q *Queue) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}

// Done is the number of jobs finished so far.
func (q *Queue) Done() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.done
}

// WaitDone waits until at least n jobs have finished or ctx ends, and
// reports whether they had.
func (q *Queue) WaitDone(ctx context.Context, n uint64) bool {
	stop := context.AfterFunc(ctx, func() {
		q.mu.Lock()
		q.changed.Broadcast()
		q.mu.Unlock()
	})
	defer stop()
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.done < n && ctx.Err() == nil {
		q.changed.Wait()
	}
	return q.done >= n
}

// Wait waits until every job has finished or ctx ends, and reports
// whether every job had.
func (q *Queue) Wait(ctx context.Context) bool {
	idle := make(chan struct{})
	go func() {
		q.wg.Wait()
		close(idle)
	}()
	select {
	case <-idle:
		return true
	case <-ctx.Done():
		return false
	}
}

// Ordered answers messages with a Handler one conversation at a time, in
// the order they were submitted, different conversations in parallel:
// two messages of one user in one chat can then never overwrite each
// other's session change.
type Ordered struct {
	h Handler
	q *Queue
}

// InOrder returns an Ordered answering with h.
func InOrder(h Handler) *Ordered { return &Ordered{h: h, q: NewQueue()} }

// Submit queues msg behind its conversation's earlier messages and
// returns the channel its reply arrives on (buffered: nobody has to
// receive it).
func (o *Ordered) Submit(ctx context.Context, msg Message) <-chan Reply {
	reply := make(chan Reply, 1)
	o.q.Submit(Conversation(msg), func() { reply <- o.h.Handle(ctx, msg) }, 0)
	return reply
}

// Wait waits until every submitted message is answered or ctx ends.
func (o *Ordered) Wait(ctx context.Context) bool { return o.q.Wait(ctx) }
