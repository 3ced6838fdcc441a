package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Migrations are the schema steps of one part of nocbot that keeps tables
// in the store. Each part owns its tables and their steps; the store only
// applies them and records how far each part's tables are.
type Migrations struct {
	// Name identifies the part; its version is recorded under it.
	Name string
	// Steps bring the part's tables from version i to i+1. They are only
	// ever appended to: a released step never changes.
	Steps []string
	// Legacy places the steps in the single schema counter (PRAGMA
	// user_version 1 to 4) of databases written before each part had a
	// version of its own: Legacy[i] is the counter value that step i set,
	// in increasing order. Parts added since leave it empty.
	Legacy []int
}

// storeMigrations are the store's own tables: the profiles, their
// bilingual items and the key-value meta table.
func storeMigrations() Migrations {
	return Migrations{Name: "knowledge", Legacy: []int{1}, Steps: []string{
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
	}}
}

// versionsFormat is the PRAGMA user_version of a database whose parts
// record their versions in schema_versions. Versions 1 to 4 were one
// counter for every table. An older nocbot so refuses a database it no
// longer understands instead of misreading it.
const versionsFormat = 5

// legacyName is the schema_versions row keeping the single counter a
// database had before (1 to 4), for parts that register after the upgrade.
// No part may take it: a part needs a name.
const legacyName = ""

// prepareVersions makes sure the database records versions per part,
// carrying over the single counter of an older database. It reads the
// counter inside the write transaction so two processes opening the same
// file cannot both convert it.
func (s *Store) prepareVersions(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case v == versionsFormat:
		return nil
	case v > versionsFormat:
		return fmt.Errorf("schema version %d is newer than this nocbot knows (%d): upgrade nocbot", v, versionsFormat)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_versions (
		name    TEXT PRIMARY KEY, -- the part (Migrations.Name)
		version INTEGER NOT NULL  -- how many of its steps are applied
	) STRICT`); err != nil {
		return fmt.Errorf("create schema_versions: %w", err)
	}
	if v > 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_versions (name, version) VALUES (?, ?)`, legacyName, v); err != nil {
			return fmt.Errorf("keep schema version %d: %w", v, err)
		}
	}
	// PRAGMA takes no parameters; the version is a constant of ours.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, versionsFormat)); err != nil {
		return fmt.Errorf("set schema version: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit schema versions: %w", err)
	}
	return nil
}

// Migrate brings a part's tables up to date, one step per transaction,
// applying only the steps the database has not had. Each part that keeps
// records in the store calls it (through whoever opens the store) before
// it reads or writes them.
func (s *Store) Migrate(ctx context.Context, m Migrations) error {
	if err := s.migrate(ctx, m); err != nil {
		return explain(s.path, err)
	}
	return nil
}

func (s *Store) migrate(ctx context.Context, m Migrations) error {
	if m.Name == legacyName {
		return errors.New("migrate: the part has no name")
	}
	for {
		done, err := s.migrateStep(ctx, m)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the part's next step, if any, reading its version
// inside the write transaction so two processes opening the same file
// cannot both apply it.
func (s *Store) migrateStep(ctx context.Context, m Migrations) (done bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("begin %s migration: %w", m.Name, err)
	}
	defer tx.Rollback()
	v, recorded, err := partVersion(ctx, tx, m)
	if err != nil {
		return false, err
	}
	if v > len(m.Steps) {
		return false, fmt.Errorf("the %s tables are at version %d, newer than this nocbot knows (%d): upgrade nocbot", m.Name, v, len(m.Steps))
	}
	applied := v < len(m.Steps)
	if applied {
		if _, err := tx.ExecContext(ctx, m.Steps[v]); err != nil {
			return false, fmt.Errorf("%s migration %d: %w", m.Name, v+1, err)
		}
		v++
	}
	if !applied && recorded {
		return true, nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_versions (name, version) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET version = excluded.version`, m.Name, v); err != nil {
		return false, fmt.Errorf("%s migration %d: record version: %w", m.Name, v, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("commit %s migration %d: %w", m.Name, v, err)
	}
	return v == len(m.Steps), nil
}

// partVersion reads how many of the part's steps the database has had. A
// part not yet recorded has had those its Legacy places at or below the
// database's old single counter (none in a database created since).
func partVersion(ctx context.Context, tx *sql.Tx, m Migrations) (v int, recorded bool, err error) {
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_versions WHERE name = ?`, m.Name).Scan(&v)
	if err == nil {
		return v, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("read %s schema version: %w", m.Name, err)
	}
	var counter int
	err = tx.QueryRowContext(ctx, `SELECT version FROM schema_versions WHERE name = ?`, legacyName).Scan(&counter)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("read old schema version: %w", err)
	}
	for v < len(m.Legacy) && m.Legacy[v] <= counter {
		v++
	}
	return v, false, nil
}

// Versions reports how far each part's tables are, by part name.
func (s *Store) Versions(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, version FROM schema_versions WHERE name != ?`, legacyName)
	if err != nil {
		return nil, explain(s.path, fmt.Errorf("read schema versions: %w", err))
	}
	defer rows.Close()
	versions := map[string]int{}
	for rows.Next() {
		var name string
		var v int
		if err := rows.Scan(&name, &v); err != nil {
			return nil, explain(s.path, fmt.Errorf("read schema versions: %w", err))
		}
		versions[name] = v
	}
	if err := rows.Err(); err != nil {
		return nil, explain(s.path, fmt.Errorf("read schema versions: %w", err))
	}
	return versions, nil
}
