package telegram

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Jobs submitted while a chat's last job finishes run once each, one at a
// time, in order: a submit in that moment once started a second worker
// for the chat, which ran a job twice and then indexed an empty queue.
func TestChatQueueOneWorkerPerChat(t *testing.T) {
	// The moment is narrow: a few rounds catch the old fault nearly always.
	for range 20 {
		chatQueueRound(t)
	}
}

func chatQueueRound(t *testing.T) {
	q := newChatQueue()
	const chats, jobs = 8, 2000
	var ran [chats][]int
	var running [chats]atomic.Int32
	var wg sync.WaitGroup
	for c := range chats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				q.submit(int64(c), func() {
					if running[c].Add(1) != 1 {
						t.Errorf("chat %d: two jobs at once", c)
					}
					ran[c] = append(ran[c], i)
					running[c].Add(-1)
				}, 0)
				if i%7 == 0 {
					time.Sleep(time.Microsecond) // let the queue drain now and then
				}
			}
		}()
	}
	wg.Wait()
	if !q.wait(10 * time.Second) {
		t.Fatal("jobs still running after 10 s")
	}
	for c := range chats {
		if len(ran[c]) != jobs {
			t.Errorf("chat %d: %d jobs ran, want %d", c, len(ran[c]), jobs)
			continue
		}
		for i, j := range ran[c] {
			if i != j {
				t.Errorf("chat %d: job %d ran as the %d-th", c, j, i)
				break
			}
		}
	}
	q.mu.Lock()
	left := len(q.queues)
	q.mu.Unlock()
	if left != 0 {
		t.Errorf("%d chats still queued", left)
	}
}
