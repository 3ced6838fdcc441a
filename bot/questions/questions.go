// Package questions keeps the operator's log of the questions nocbot was
// asked, in the nocbot database, and summarises it: the intent mix, the
// share nocbot could not answer, the unanswered questions asked most and
// the occupations people asked about that no profile covers.
// User ids are stored only as salted hashes, and old entries are deleted
// after a retention period.
package questions

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/nocbot/nocbot/bot"
)

// MaxTextBytes bounds the question text kept per entry.
const MaxTextBytes = 500

// Log records questions. It implements bot.QuestionLog and is safe for
// concurrent use.
type Log struct {
	db        *sql.DB
	retention time.Duration
	now       func() time.Time

	mu        sync.Mutex
	lastPrune time.Time
}

// New returns a log writing to db (a nocbot database: its schema has the
// questions table). Entries older than retention are deleted; zero keeps
// them 90 days.
func New(db *sql.DB, retention time.Duration) *Log {
	if retention <= 0 {
		retention = 90 * 24 * time.Hour
	}
	return &Log{db: db, retention: retention, now: time.Now}
}

// Salt returns the database's salt for hashing user ids, creating a random
// one on first use, so hashes are stable across restarts and differ
// between deployments.
func Salt(ctx context.Context, db *sql.DB) (string, error) {
	var salt string
	err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'user_salt'`).Scan(&salt)
	if err == nil {
		return salt, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("read user salt: %w", err)
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make user salt: %w", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('user_salt', ?) ON CONFLICT (key) DO NOTHING`, hex.EncodeToString(b)); err != nil {
		return "", fmt.Errorf("store user salt: %w", err)
	}
	// Another process may have won the race: read back what is stored.
	if err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'user_salt'`).Scan(&salt); err != nil {
		return "", fmt.Errorf("read user salt: %w", err)
	}
	return salt, nil
}

// Record stores one question and, at most hourly, deletes entries past the
// retention period.
func (l *Log) Record(ctx context.Context, q bot.LoggedQuestion) error {
	text := q.Text
	if len(text) > MaxTextBytes {
		text = text[:MaxTextBytes]
		for !utf8.ValidString(text) && len(text) > 0 {
			text = text[:len(text)-1]
		}
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	answered := 0
	if q.Answered {
		answered = 1
	}
	if _, err := l.db.ExecContext(ctx, `INSERT INTO questions (at, platform, user_hash, lang, intent, confidence, answered, text, occupation)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		q.Time.Unix(), q.Platform, q.UserHash, string(q.Lang), string(q.Intent), q.Confidence, answered, text, q.Occupation); err != nil {
		return fmt.Errorf("record question: %w", err)
	}
	return l.pruneHourly(ctx)
}

func (l *Log) pruneHourly(ctx context.Context) error {
	now := l.now()
	l.mu.Lock()
	due := now.Sub(l.lastPrune) >= time.Hour
	if due {
		l.lastPrune = now
	}
	l.mu.Unlock()
	if !due {
		return nil
	}
	_, err := l.Prune(ctx)
	return err
}

// Prune deletes entries older than the retention period and reports how
// many went.
func (l *Log) Prune(ctx context.Context) (int64, error) {
	res, err := l.db.ExecContext(ctx, `DELETE FROM questions WHERE at < ?`, l.now().Add(-l.retention).Unix())
	if err != nil {
		return 0, fmt.Errorf("prune question log: %w", err)
	}
	return res.RowsAffected()
}

// Count is a value with how often it occurs.
type Count struct {
	Value string
	N     int
}

// Report summarises the log since a time.
type Report struct {
	Since         time.Time
	Total         int
	Unanswered    int
	OutOfScope    int
	ByIntent      []Count
	ByPlatform    []Count
	ByLang        []Count
	TopUnanswered []Count
	// MissingOccupations are the occupations asked about that no profile
	// covers, most asked first: the profiles to add next.
	MissingOccupations []Count
	MeanConfidence     float64
	DistinctUsers      int
	OutOfScopeShare    float64
}

// Summarize reads the log since the given time; top bounds the list of
// unanswered questions.
func Summarize(ctx context.Context, db *sql.DB, since time.Time, top int) (Report, error) {
	r := Report{Since: since}
	at := since.Unix()
	err := db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(answered = 0), 0), coalesce(sum(intent = 'out_of_scope'), 0),
		coalesce(avg(confidence), 0), count(DISTINCT user_hash) FROM questions WHERE at >= ?`, at).
		Scan(&r.Total, &r.Unanswered, &r.OutOfScope, &r.MeanConfidence, &r.DistinctUsers)
	if err != nil {
		return r, fmt.Errorf("summarise questions: %w", err)
	}
	if r.Total > 0 {
		r.OutOfScopeShare = float64(r.OutOfScope) / float64(r.Total)
	}
	for _, q := range []struct {
		dst   *[]Count
		query string
		limit int
	}{
		{&r.ByIntent, `SELECT intent, count(*) AS n FROM questions WHERE at >= ? GROUP BY intent ORDER BY n DESC, intent LIMIT ?`, 100},
		{&r.ByPlatform, `SELECT platform, count(*) AS n FROM questions WHERE at >= ? GROUP BY platform ORDER BY n DESC, platform LIMIT ?`, 100},
		{&r.ByLang, `SELECT lang, count(*) AS n FROM questions WHERE at >= ? GROUP BY lang ORDER BY n DESC, lang LIMIT ?`, 100},
		{&r.TopUnanswered, `SELECT lower(trim(text)) AS t, count(*) AS n FROM questions WHERE at >= ? AND answered = 0 AND trim(text) != ''
			GROUP BY t ORDER BY n DESC, t LIMIT ?`, top},
		{&r.MissingOccupations, `SELECT occupation, count(*) AS n FROM questions WHERE at >= ? AND occupation != ''
			GROUP BY occupation ORDER BY n DESC, occupation LIMIT ?`, top},
	} {
		rows, err := db.QueryContext(ctx, q.query, at, q.limit)
		if err != nil {
			return r, fmt.Errorf("summarise questions: %w", err)
		}
		for rows.Next() {
			var c Count
			if err := rows.Scan(&c.Value, &c.N); err != nil {
				rows.Close()
				return r, fmt.Errorf("summarise questions: %w", err)
			}
			*q.dst = append(*q.dst, c)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return r, fmt.Errorf("summarise questions: %w", err)
		}
	}
	return r, nil
}
