// Package questions keeps the operator's log of the questions nocbot was
// asked, in the nocbot database, and summarises it: the intent mix, the
// share nocbot could not answer, the unanswered questions asked most and
// the occupations people asked about that no profile covers.
//
// It never stores a platform's user or update id, only hashes keyed with
// a key kept outside the database (KeyFile, or KeyEnv), and keeps the
// text only of the questions nocbot could not answer, scrubbed (Scrub):
// answered ones are counted by intent and occupation. Entries go after a
// retention period, and the key file is replaced as often, so hashes do
// not link a user's questions across periods.
package questions

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nocbot/nocbot/bot"
)

// DefaultRetention is how long entries are kept unless configured.
const DefaultRetention = 90 * 24 * time.Hour

// Config says how long a Log keeps entries and where its key is.
type Config struct {
	Retention time.Duration // zero: DefaultRetention
	// Key, when set (from KeyEnv), is the key, used as given: nocbot does
	// not rotate it.
	Key string
	// KeyFile holds the key, created (0600) on first use and replaced
	// once it is older than Retention; "" (an in-memory database): a
	// random key for this process.
	KeyFile string
	Logger  *slog.Logger // nil: slog.Default()
	Now     func() time.Time
}

// Log records questions. It implements bot.QuestionLog and is safe for
// concurrent use.
type Log struct {
	db  *sql.DB
	cfg Config

	mu  sync.Mutex
	key []byte
}

// Open returns a log writing to db (a nocbot database: its schema has the
// questions table), with its key loaded or made, the entries past the
// retention period deleted and the stored text scrubbed.
func Open(ctx context.Context, db *sql.DB, cfg Config) (*Log, error) {
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultRetention
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	l := &Log{db: db, cfg: cfg}
	if err := l.loadKey(); err != nil {
		return nil, err
	}
	if _, err := l.Prune(ctx); err != nil {
		return nil, err
	}
	if err := l.scrubStored(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Log) loadKey() error {
	key, err := loadKey(l.cfg.Key, l.cfg.KeyFile, l.cfg.Retention, l.cfg.Now())
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.key = key
	l.mu.Unlock()
	return nil
}

func (l *Log) hash(s string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return keyed(l.key, s)
}

// Run deletes the entries past the retention period and replaces a key
// file past it, hourly, until ctx is done.
func (l *Log) Run(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			l.maintain(ctx)
		}
	}
}

func (l *Log) maintain(ctx context.Context) {
	if err := l.loadKey(); err != nil {
		l.cfg.Logger.Warn("question log key", "err", err)
	}
	if _, err := l.Prune(ctx); err != nil && ctx.Err() == nil {
		l.cfg.Logger.Warn("prune question log", "err", err)
	}
}

// Record stores one question, once per platform update: a replay of an
// update already recorded is ignored. Only an unanswered question's text
// is kept, scrubbed.
func (l *Log) Record(ctx context.Context, q bot.LoggedQuestion) error {
	text := ""
	if !q.Answered {
		text = Scrub(q.Text)
	}
	answered := 0
	if q.Answered {
		answered = 1
	}
	var update any // NULL: an update without an id, always recorded
	if q.ID != "" {
		update = l.hash("update\x00" + q.Platform + "\x00" + q.ID)
	}
	user := ""
	if q.UserHash != "" {
		user = l.hash("user\x00" + q.UserHash)
	}
	if _, err := l.db.ExecContext(ctx, `INSERT OR IGNORE INTO questions (at, platform, user_hash, lang, intent, confidence, answered, text, occupation, update_hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		q.Time.Unix(), q.Platform, user, string(q.Lang), string(q.Intent), q.Confidence, answered, text, q.Occupation, update); err != nil {
		return fmt.Errorf("record question: %w", err)
	}
	return nil
}

// scrubStored applies Scrub to the text already stored, which an older
// nocbot kept longer and unscrubbed.
func (l *Log) scrubStored(ctx context.Context) error {
	rows, err := l.db.QueryContext(ctx, `SELECT id, text FROM questions WHERE text != ''`)
	if err != nil {
		return fmt.Errorf("scrub question log: %w", err)
	}
	type fix struct {
		id   int64
		text string
	}
	var fixes []fix
	for rows.Next() {
		var f fix
		if err := rows.Scan(&f.id, &f.text); err != nil {
			rows.Close()
			return fmt.Errorf("scrub question log: %w", err)
		}
		if clean := Scrub(f.text); clean != f.text {
			fixes = append(fixes, fix{f.id, clean})
		}
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return fmt.Errorf("scrub question log: %w", err)
	}
	for _, f := range fixes {
		if _, err := l.db.ExecContext(ctx, `UPDATE questions SET text = ? WHERE id = ?`, f.text, f.id); err != nil {
			return fmt.Errorf("scrub question log: %w", err)
		}
	}
	return nil
}

// Prune deletes entries older than the retention period and reports how
// many went.
func (l *Log) Prune(ctx context.Context) (int64, error) {
	res, err := l.db.ExecContext(ctx, `DELETE FROM questions WHERE at < ?`, l.cfg.Now().Add(-l.cfg.Retention).Unix())
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
