package knowledge

import (
	"context"
	"fmt"
)

// migrations returns the steps that bring the database from version i
// (PRAGMA user_version) to i+1. They are only ever appended to: a released
// migration never changes.
func migrations() []string {
	return []string{
		// 1: profiles and their bilingual items.
		`CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	) STRICT;
	CREATE TABLE profiles (
		code            TEXT PRIMARY KEY,
		title_zh        TEXT NOT NULL,
		title_en        TEXT NOT NULL,
		lead_zh         TEXT NOT NULL,
		lead_en         TEXT NOT NULL,
		duties_intro_zh TEXT NOT NULL,
		duties_intro_en TEXT NOT NULL,
		source          TEXT NOT NULL,
		file            TEXT NOT NULL
	) STRICT;
	CREATE TABLE items (
		code     TEXT NOT NULL REFERENCES profiles (code) ON DELETE CASCADE,
		section  TEXT NOT NULL CHECK (section IN ('example_title', 'duty', 'requirement', 'additional', 'elsewhere', 'title')),
		pos      INTEGER NOT NULL,
		zh       TEXT NOT NULL,
		en       TEXT NOT NULL,
		ref_code TEXT NOT NULL DEFAULT '',
		group_zh TEXT NOT NULL DEFAULT '',
		group_en TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (code, section, pos)
	) STRICT;
	CREATE INDEX items_title_en ON items (en COLLATE NOCASE) WHERE section IN ('example_title', 'title', 'elsewhere');
	CREATE INDEX items_title_zh ON items (zh) WHERE section IN ('example_title', 'title', 'elsewhere');`,

		// 2: the operator's log of questions asked (package bot/questions).
		// It lives in the same file so one database holds a deployment.
		`CREATE TABLE questions (
			id         INTEGER PRIMARY KEY,
			at         INTEGER NOT NULL, -- unix seconds
			platform   TEXT NOT NULL,
			user_hash  TEXT NOT NULL,    -- salted hash, never the platform's id
			lang       TEXT NOT NULL,
			intent     TEXT NOT NULL,
			confidence REAL NOT NULL,
			answered   INTEGER NOT NULL,
			text       TEXT NOT NULL
		) STRICT;
		CREATE INDEX questions_at ON questions (at);`,

		// 3: what platform adapters must remember across restarts, such as
		// the Telegram update offset.
		`CREATE TABLE platform_state (
			platform TEXT NOT NULL,
			key      TEXT NOT NULL,
			value    TEXT NOT NULL,
			PRIMARY KEY (platform, key)
		) STRICT;`,

		// 4: the occupation a question named that no profile covers, so
		// the operator sees which profiles people want next.
		`ALTER TABLE questions ADD COLUMN occupation TEXT NOT NULL DEFAULT '';`,
	}
}

func (s *Store) migrate(ctx context.Context) error {
	steps := migrations()
	for {
		done, err := s.migrateStep(ctx, steps)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the next migration, reading the version inside the
// write transaction so two processes opening a new file cannot both apply
// the same step.
func (s *Store) migrateStep(ctx context.Context, steps []string) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case v == len(steps):
		return true, nil
	case v > len(steps):
		return false, fmt.Errorf("schema version %d is newer than this nocbot knows (%d): upgrade nocbot", v, len(steps))
	}
	if _, err := tx.ExecContext(ctx, steps[v]); err != nil {
		return false, fmt.Errorf("migration %d: %w", v+1, err)
	}
	// PRAGMA takes no parameters; v is a number of ours.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
		return false, fmt.Errorf("migration %d: set version: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit migration %d: %w", v+1, err)
	}
	return false, nil
}
