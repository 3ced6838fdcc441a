package telegram

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nocbot/nocbot/knowledge"
)

// ledger knows which updates are taken and not yet answered, and keeps the
// delivery state in the platform_state table (platform "telegram"):
//
//	offset:<bot id>              the next update to ask Telegram for
//	pending:<bot id>:<update id> an update confirmed to Telegram but not yet answered (a pendingRow)
//	seen:<bot id>:<update id>    a webhook delivery taken, with when (unix seconds): a
//	                             redelivery after a restart is dropped; kept seenWindow
//
// A pending row holds only what answering needs and is deleted in the
// commit after the answer (the database deletes securely: knowledge.Open).
//
// The invariant: every update below the stored offset is answered or has
// a pending row. commit establishes it for the offset it stores, and the
// poller commits before each getUpdates, whose offset confirms the updates
// below it to Telegram for good. A slow reply so costs one row, not a
// stalled queue, and a restart answers the pending rows first.
type ledger struct {
	db     *sql.DB // nil: state in memory only
	log    *slog.Logger
	offKey string
	prefix string
	// seenPrefix keys the webhook deliveries taken; empty when polling,
	// where the offset alone keeps redeliveries out.
	seenPrefix string
	now        func() time.Time

	// commitMu serialises commits, so a row's insert is written before
	// (or with) its delete.
	commitMu sync.Mutex

	mu       sync.Mutex
	next     int // one past the highest update taken
	saved    int // offset last stored
	inflight map[int]*entry
	fresh    []*entry // taken since the last commit: rows to write if still in flight
	gone     []string // pending rows of finished updates, to delete
	recent   map[int]struct{}
	ring     []int // recent, oldest first, bounded
	ringAt   int
	seen     map[int]int64 // webhook deliveries stored as seen, with when
	seenNew  []int         // webhook deliveries taken since the last commit
	pruned   time.Time     // when seen rows past seenWindow were last deleted
	// commitErr is the outcome of the last commit that ran to its end,
	// for Healthy. It is set under commitMu, so outcomes are kept in the
	// order the commits ran: a commit that succeeded just before the
	// database failed cannot clear the failure of the one after it.
	commitErr error

	changed chan struct{} // an update finished
	dirty   chan struct{} // there may be something to commit
}

type entry struct {
	in        inbound
	persisted bool // its pending row is written (or being written)
}

// recentIDs bounds the memory of finished update ids kept to drop
// redeliveries (webhooks retry; ids may arrive out of order).
const recentIDs = 8192

// seenWindow is how long a webhook delivery is remembered across
// restarts: Telegram keeps an update for at most 24 hours, so it cannot
// deliver one again later.
const seenWindow = 24 * time.Hour

// Migrations are the ledger's table, for the store to bring up to date
// (knowledge.Store.Migrate) before New.
func Migrations() knowledge.Migrations {
	return knowledge.Migrations{Name: "telegram", Legacy: []int{3}, Steps: []string{
		// 1: what the adapter must remember across restarts: the update
		// offset and the updates taken but not yet answered.
		`CREATE TABLE platform_state (
			platform TEXT NOT NULL,
			key      TEXT NOT NULL,
			value    TEXT NOT NULL,
			PRIMARY KEY (platform, key)
		) STRICT;`,
	}}
}

// newLedger returns the ledger of bot botID; webhook says that updates
// come by webhook, whose redeliveries it remembers in the database.
func newLedger(db *sql.DB, botID int64, webhook bool, log *slog.Logger) *ledger {
	id := strconv.FormatInt(botID, 10)
	l := &ledger{db: db, log: log, offKey: "offset:" + id, prefix: "pending:" + id + ":", now: time.Now,
		inflight: map[int]*entry{}, recent: map[int]struct{}{}, ring: make([]int, 0, recentIDs), seen: map[int]int64{},
		changed: make(chan struct{}, 1), dirty: make(chan struct{}, 1)}
	if webhook && db != nil {
		l.seenPrefix = "seen:" + id + ":"
	}
	return l
}

func (l *ledger) pendingKey(id int) string { return fmt.Sprintf("%s%012d", l.prefix, id) }

// load reads the stored offset and the pending updates, which it marks in
// flight; the caller answers them.
func (l *ledger) load(ctx context.Context) ([]inbound, error) {
	if l.db == nil {
		return nil, nil
	}
	var v string
	err := l.db.QueryRowContext(ctx, `SELECT value FROM platform_state WHERE platform = ? AND key = ?`, platform, l.offKey).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		v = "0"
	case err != nil:
		return nil, fmt.Errorf("load update offset: %w", err)
	}
	off, err := strconv.Atoi(v)
	if err != nil || off < 0 {
		return nil, fmt.Errorf("stored update offset %q is not a number", v)
	}
	rows, err := l.db.QueryContext(ctx, `SELECT key, value FROM platform_state WHERE platform = ? AND key >= ? AND key < ? ORDER BY key`,
		platform, l.prefix, l.prefix+"\xff")
	if err != nil {
		return nil, fmt.Errorf("load pending updates: %w", err)
	}
	defer rows.Close()
	var out []inbound
	var bad []string
	for rows.Next() {
		var key, value string
		if err := rows.Scan(&key, &value); err != nil {
			return nil, fmt.Errorf("load pending updates: %w", err)
		}
		in, err := decodePending([]byte(value))
		switch {
		case errors.Is(err, errNewerPending):
			// Kept: the newer nocbot it came from answers it if it runs again.
			l.log.Warn("skipping a pending update a newer nocbot stored", "key", key, "err", err)
			continue
		case err == nil && key != l.pendingKey(in.ID):
			err = fmt.Errorf("holds update %d", in.ID)
			fallthrough
		case err != nil:
			l.log.Warn("dropping an unreadable pending update", "key", key, "err", err)
			bad = append(bad, key)
			continue
		}
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load pending updates: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if err := l.loadSeen(ctx); err != nil {
		return nil, err
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	l.next, l.saved = off, off
	for _, in := range out {
		l.inflight[in.ID] = &entry{in: in, persisted: true}
		l.next = max(l.next, in.ID+1)
	}
	l.gone = append(l.gone, bad...)
	return out, nil
}

// loadSeen reads the webhook deliveries taken within seenWindow, after
// deleting the older ones.
func (l *ledger) loadSeen(ctx context.Context) error {
	if l.seenPrefix == "" {
		return nil
	}
	if err := l.pruneSeen(ctx, l.db); err != nil {
		return err
	}
	rows, err := l.db.QueryContext(ctx, `SELECT key, CAST(value AS INTEGER) FROM platform_state WHERE platform = ? AND key >= ? AND key < ?`,
		platform, l.seenPrefix, l.seenPrefix+"\xff")
	if err != nil {
		return fmt.Errorf("load webhook deliveries seen: %w", err)
	}
	defer rows.Close()
	l.mu.Lock()
	defer l.mu.Unlock()
	for rows.Next() {
		var key string
		var at int64
		if err := rows.Scan(&key, &at); err != nil {
			return fmt.Errorf("load webhook deliveries seen: %w", err)
		}
		if id, err := strconv.Atoi(strings.TrimPrefix(key, l.seenPrefix)); err == nil {
			l.seen[id] = at
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load webhook deliveries seen: %w", err)
	}
	return nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// pruneSeen deletes the webhook deliveries seen before seenWindow, from
// the database and from memory.
func (l *ledger) pruneSeen(ctx context.Context, db execer) error {
	now := l.now()
	cutoff := now.Add(-seenWindow).Unix()
	if _, err := db.ExecContext(ctx, `DELETE FROM platform_state WHERE platform = ? AND key >= ? AND key < ? AND CAST(value AS INTEGER) < ?`,
		platform, l.seenPrefix, l.seenPrefix+"\xff", cutoff); err != nil {
		return fmt.Errorf("forget old webhook deliveries: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, at := range l.seen {
		if at < cutoff {
			delete(l.seen, id)
		}
	}
	l.pruned = now
	return nil
}

func (l *ledger) seenKey(id int) string { return fmt.Sprintf("%s%012d", l.seenPrefix, id) }

// offset is the offset to ask Telegram with: one past every update taken.
func (l *ledger) offset() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.next
}

// take records an update as seen and reports whether it is new. A new
// update with track set is in flight until finish; one without (not for
// the bot) is done at once.
func (l *ledger) take(id int, in inbound, track bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.next = max(l.next, id+1)
	if _, ok := l.inflight[id]; ok {
		return false
	}
	if _, ok := l.recent[id]; ok {
		return false
	}
	if _, ok := l.seen[id]; ok {
		return false
	}
	if l.seenPrefix != "" {
		l.seen[id] = l.now().Unix()
		l.seenNew = append(l.seenNew, id)
	}
	if !track {
		l.rememberLocked(id)
		return true
	}
	in.ID = id
	e := &entry{in: in}
	l.inflight[id] = e
	l.fresh = append(l.fresh, e)
	return true
}

func (l *ledger) rememberLocked(id int) {
	if len(l.ring) < recentIDs {
		l.ring = append(l.ring, id)
	} else {
		delete(l.recent, l.ring[l.ringAt])
		l.ring[l.ringAt] = id
		l.ringAt = (l.ringAt + 1) % recentIDs
	}
	l.recent[id] = struct{}{}
}

// finish marks an update answered (or given up on for good).
func (l *ledger) finish(id int) {
	l.mu.Lock()
	e := l.inflight[id]
	if e == nil {
		l.mu.Unlock()
		return
	}
	delete(l.inflight, id)
	l.rememberLocked(id)
	if e.persisted {
		l.gone = append(l.gone, l.pendingKey(id))
	}
	l.mu.Unlock()
	signal(l.changed)
	signal(l.dirty)
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func (l *ledger) lastPruned() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pruned
}

func (l *ledger) inFlight() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.inflight)
}

// commit stores the offset with a pending row for every update taken and
// not yet answered, and deletes the rows of answered ones, in one
// transaction. After it returns nil, every update below the stored offset
// is answered or pending. Its outcome is kept for lastCommitErr, unless
// ctx ended it (stopping is not a fault of the database).
func (l *ledger) commit(ctx context.Context) error {
	l.commitMu.Lock()
	defer l.commitMu.Unlock()
	err := l.commitLocked(ctx)
	if err == nil || ctx.Err() == nil {
		l.mu.Lock()
		l.commitErr = err
		l.mu.Unlock()
	}
	return err
}

// lastCommitErr is the outcome of the last commit: while the state cannot
// be stored, the bot answers what it has taken but a restart would answer
// it again, and /healthz says so.
func (l *ledger) lastCommitErr() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.commitErr
}

// commitLocked is commit with commitMu held.
func (l *ledger) commitLocked(ctx context.Context) error {
	l.mu.Lock()
	var ins []*entry
	for _, e := range l.fresh {
		if l.inflight[e.in.ID] == e && !e.persisted {
			e.persisted = true
			ins = append(ins, e)
		}
	}
	clear(l.fresh)
	l.fresh = l.fresh[:0]
	dels := l.gone
	l.gone = nil
	seen := l.seenNew
	l.seenNew = nil
	off := l.next
	writeOff := off != l.saved
	l.mu.Unlock()

	if len(ins) == 0 && len(dels) == 0 && len(seen) == 0 && !writeOff {
		return nil
	}
	if err := l.write(ctx, ins, dels, seen, off, writeOff); err != nil {
		l.mu.Lock()
		for _, e := range ins {
			if l.inflight[e.in.ID] == e {
				e.persisted = false
				l.fresh = append(l.fresh, e)
			} // else it finished meanwhile and queued a harmless delete
		}
		l.gone = append(dels, l.gone...)
		l.seenNew = append(seen, l.seenNew...)
		l.mu.Unlock()
		return err
	}
	l.mu.Lock()
	l.saved = off
	l.mu.Unlock()
	return nil
}

// rowsPerStatement bounds the rows of one INSERT or DELETE (3 or 1
// parameters a row, well within SQLite's limit).
const rowsPerStatement = 200

func (l *ledger) write(ctx context.Context, ins []*entry, dels []string, seen []int, off int, writeOff bool) error {
	if l.db == nil {
		return nil
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store delivery state: %w", err)
	}
	defer tx.Rollback()
	const upsert = ` ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value`
	for len(ins) > 0 {
		chunk := ins[:min(len(ins), rowsPerStatement)]
		ins = ins[len(chunk):]
		args := make([]any, 0, 3*len(chunk))
		for _, e := range chunk {
			data, err := encodePending(e.in)
			if err != nil {
				return fmt.Errorf("store pending update: %w", err)
			}
			args = append(args, platform, l.pendingKey(e.in.ID), string(data))
		}
		q := `INSERT INTO platform_state (platform, key, value) VALUES (?, ?, ?)` + strings.Repeat(`, (?, ?, ?)`, len(chunk)-1) + upsert
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store pending updates: %w", err)
		}
	}
	for len(dels) > 0 {
		chunk := dels[:min(len(dels), rowsPerStatement)]
		dels = dels[len(chunk):]
		args := make([]any, 0, 1+len(chunk))
		args = append(args, platform)
		for _, key := range chunk {
			args = append(args, key)
		}
		q := `DELETE FROM platform_state WHERE platform = ? AND key IN (?` + strings.Repeat(`, ?`, len(chunk)-1) + `)`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("delete answered updates: %w", err)
		}
	}
	at := strconv.FormatInt(l.now().Unix(), 10)
	for len(seen) > 0 {
		chunk := seen[:min(len(seen), rowsPerStatement)]
		seen = seen[len(chunk):]
		args := make([]any, 0, 3*len(chunk))
		for _, id := range chunk {
			args = append(args, platform, l.seenKey(id), at)
		}
		q := `INSERT INTO platform_state (platform, key, value) VALUES (?, ?, ?)` + strings.Repeat(`, (?, ?, ?)`, len(chunk)-1) + upsert
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store webhook deliveries seen: %w", err)
		}
	}
	if l.seenPrefix != "" && l.now().Sub(l.lastPruned()) >= time.Hour {
		if err := l.pruneSeen(ctx, tx); err != nil {
			return err
		}
	}
	if writeOff {
		if _, err := tx.ExecContext(ctx, `INSERT INTO platform_state (platform, key, value) VALUES (?, ?, ?)`+upsert,
			platform, l.offKey, strconv.Itoa(off)); err != nil {
			return fmt.Errorf("store update offset: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store delivery state: %w", err)
	}
	return nil
}
