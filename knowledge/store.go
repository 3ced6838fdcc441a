package knowledge

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"github.com/mattn/go-sqlite3"
)

// ErrNotFound is returned for a unit group code no profile has.
var ErrNotFound = errors.New("no such profile")

// Store keeps the profiles in SQLite. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string // "" for an in-memory database
}

// Open opens (creating if needed) the database at path and brings the
// store's own tables up to date; the other parts keeping records in it
// bring theirs with Migrate. An empty path opens a private in-memory database, for one-shot
// commands that need nothing to outlive them.
func Open(ctx context.Context, path string) (*Store, error) {
	var dsn string
	if path == "" {
		// One connection: every connection to ":memory:" is its own database.
		dsn = "file::memory:?_foreign_keys=on&_secure_delete=on"
	} else {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
		dsn = "file:" + (&url.URL{Path: path}).EscapedPath() +
			"?_foreign_keys=on&_busy_timeout=5000&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate" +
			// Deleted rows (answered updates, expired questions) are
			// overwritten, not left readable in free pages.
			"&_secure_delete=on"
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", describe(path), err)
	}
	if path == "" {
		db.SetMaxOpenConns(1)
	}
	s := &Store{db: db, path: path}
	if err := s.prepareVersions(ctx); err != nil {
		db.Close()
		return nil, explain(path, err)
	}
	if err := s.migrate(ctx, storeMigrations()); err != nil {
		db.Close()
		return nil, explain(path, err)
	}
	return s, nil
}

// DB gives other parts of nocbot that keep their records in the same file
// (the question log, the Telegram delivery state) access to it, so one
// file holds a deployment. Their tables come from their own migrations
// (Migrate).
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file, "" for an in-memory database.
func (s *Store) Path() string { return s.path }

func describe(path string) string {
	if path == "" {
		return "(in memory)"
	}
	return path
}

// explain turns SQLite's terse codes into errors that tell an operator what
// to do.
func explain(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB, sqlite3.ErrCorrupt:
			return fmt.Errorf("database %s is corrupt or not an SQLite file; move it away and nocbot rebuilds it from the seeds: %w", describe(path), err)
		case sqlite3.ErrCantOpen, sqlite3.ErrReadonly, sqlite3.ErrPerm:
			return fmt.Errorf("database %s cannot be opened for writing (read-only file system or permissions?); set --db or NOCBOT_DB to a writable path: %w", describe(path), err)
		}
	}
	return fmt.Errorf("database %s: %w", describe(path), err)
}

// SeedHash is the hash of the seed files the store was last built from, ""
// for a store never built.
func (s *Store) SeedHash(ctx context.Context) (string, error) {
	var h string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'seed_hash'`).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", explain(s.path, err)
	}
	return h, nil
}

// Sync makes the store hold exactly the given seeds, rebuilding it only when
// their hash differs from the one it was built from. It reports whether it
// rebuilt.
func (s *Store) Sync(ctx context.Context, set SeedSet) (rebuilt bool, err error) {
	h, err := s.SeedHash(ctx)
	if err != nil {
		return false, err
	}
	if h == set.Hash {
		return false, nil
	}
	return true, s.Import(ctx, set)
}

// Import replaces every profile in the store with the given ones, in one
// transaction: readers see the old set or the new one, never a mix.
func (s *Store) Import(ctx context.Context, set SeedSet) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return explain(s.path, fmt.Errorf("begin import: %w", err))
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if _, err = tx.ExecContext(ctx, `DELETE FROM profiles`); err != nil {
		return explain(s.path, fmt.Errorf("clear profiles: %w", err))
	}
	insProfile, err := tx.PrepareContext(ctx, `INSERT INTO profiles
		(code, title_zh, title_en, lead_zh, lead_en, duties_intro_zh, duties_intro_en, source, file)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare profile insert: %w", err)
	}
	defer insProfile.Close()
	// All items of a profile go in as one statement: per-statement cost,
	// not row count, dominates an import.
	insItems, err := tx.PrepareContext(ctx, `INSERT INTO items
		(code, section, pos, zh, en, ref_code, group_zh, group_en)
		SELECT ?, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6
		FROM json_each(?) AS j`)
	if err != nil {
		return fmt.Errorf("prepare item insert: %w", err)
	}
	defer insItems.Close()

	for _, p := range set.Profiles {
		if _, err = insProfile.ExecContext(ctx, p.Code, p.Title.ZH, p.Title.EN, p.Lead.ZH, p.Lead.EN,
			p.DutiesIntro.ZH, p.DutiesIntro.EN, p.Source, p.File); err != nil {
			return fmt.Errorf("insert profile %s: %w", p.Code, err)
		}
		var rows [][]any
		for _, sec := range itemSections(&p) {
			for i, t := range sec.texts {
				rows = append(rows, []any{sec.name, i, t.ZH, t.EN, "", "", ""})
			}
		}
		for i, r := range p.Elsewhere {
			rows = append(rows, []any{"elsewhere", i, r.Title.ZH, r.Title.EN, r.Code, r.Group.ZH, r.Group.EN})
		}
		batch, jerr := json.Marshal(rows)
		if jerr != nil {
			return fmt.Errorf("encode items of profile %s: %w", p.Code, jerr)
		}
		if _, err = insItems.ExecContext(ctx, p.Code, string(batch)); err != nil {
			return fmt.Errorf("insert items of profile %s: %w", p.Code, err)
		}
	}
	if _, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('seed_hash', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, set.Hash); err != nil {
		return fmt.Errorf("record seed hash: %w", err)
	}
	if err = tx.Commit(); err != nil {
		return explain(s.path, fmt.Errorf("commit import: %w", err))
	}
	return nil
}

type namedTexts struct {
	name  string
	texts []Text
}

// itemSections lists a profile's plain bilingual lists under the section
// names the items table uses.
func itemSections(p *Profile) []namedTexts {
	return []namedTexts{
		{"example_title", p.ExampleTitles},
		{"duty", p.Duties},
		{"requirement", p.Requirements},
		{"additional", p.Additional},
		{"title", p.AllTitles},
	}
}

// Profiles returns every profile in the store, sorted by code.
func (s *Store) Profiles(ctx context.Context) ([]Profile, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT code, title_zh, title_en, lead_zh, lead_en,
		duties_intro_zh, duties_intro_en, source, file FROM profiles ORDER BY code`)
	if err != nil {
		return nil, explain(s.path, fmt.Errorf("query profiles: %w", err))
	}
	defer rows.Close()
	var profs []Profile
	index := map[string]int{}
	for rows.Next() {
		var p Profile
		if err := rows.Scan(&p.Code, &p.Title.ZH, &p.Title.EN, &p.Lead.ZH, &p.Lead.EN,
			&p.DutiesIntro.ZH, &p.DutiesIntro.EN, &p.Source, &p.File); err != nil {
			return nil, fmt.Errorf("read profile row: %w", err)
		}
		index[p.Code] = len(profs)
		profs = append(profs, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read profiles: %w", err)
	}

	items, err := s.db.QueryContext(ctx, `SELECT code, section, zh, en, ref_code, group_zh, group_en
		FROM items ORDER BY code, section, pos`)
	if err != nil {
		return nil, fmt.Errorf("query profile items: %w", err)
	}
	defer items.Close()
	for items.Next() {
		var code, section string
		var t, group Text
		var ref string
		if err := items.Scan(&code, &section, &t.ZH, &t.EN, &ref, &group.ZH, &group.EN); err != nil {
			return nil, fmt.Errorf("read item row: %w", err)
		}
		p := &profs[index[code]]
		switch section {
		case "example_title":
			p.ExampleTitles = append(p.ExampleTitles, t)
		case "duty":
			p.Duties = append(p.Duties, t)
		case "requirement":
			p.Requirements = append(p.Requirements, t)
		case "additional":
			p.Additional = append(p.Additional, t)
		case "title":
			p.AllTitles = append(p.AllTitles, t)
		case "elsewhere":
			p.Elsewhere = append(p.Elsewhere, CrossRef{Title: t, Code: ref, Group: group})
		default:
			return nil, fmt.Errorf("profile %s: unknown item section %q", code, section)
		}
	}
	if err := items.Err(); err != nil {
		return nil, fmt.Errorf("read profile items: %w", err)
	}
	return profs, nil
}

// Profile returns the profile of one unit group, or ErrNotFound.
func (s *Store) Profile(ctx context.Context, code string) (Profile, error) {
	all, err := s.Profiles(ctx)
	if err != nil {
		return Profile{}, err
	}
	for _, p := range all {
		if p.Code == code {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("unit group %s: %w", code, ErrNotFound)
}
