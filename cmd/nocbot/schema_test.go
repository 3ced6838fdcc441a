package main

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nocbot/nocbot/knowledge"
)

// releasedSchema is the single schema counter as nocbot released it before
// each part kept its own tables: PRAGMA user_version i+1 meant steps
// 0..i applied. It is a record of files in the field, never to change.
var releasedSchema = []string{
	`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
	CREATE TABLE profiles (code TEXT PRIMARY KEY, title_zh TEXT NOT NULL, title_en TEXT NOT NULL, lead_zh TEXT NOT NULL,
		lead_en TEXT NOT NULL, duties_intro_zh TEXT NOT NULL, duties_intro_en TEXT NOT NULL, source TEXT NOT NULL, file TEXT NOT NULL) STRICT;
	CREATE TABLE items (code TEXT NOT NULL REFERENCES profiles (code) ON DELETE CASCADE,
		section TEXT NOT NULL CHECK (section IN ('example_title', 'duty', 'requirement', 'additional', 'elsewhere', 'title')),
		pos INTEGER NOT NULL, zh TEXT NOT NULL, en TEXT NOT NULL, ref_code TEXT NOT NULL DEFAULT '',
		group_zh TEXT NOT NULL DEFAULT '', group_en TEXT NOT NULL DEFAULT '', PRIMARY KEY (code, section, pos)) STRICT;
	CREATE INDEX items_title_en ON items (en COLLATE NOCASE) WHERE section IN ('example_title', 'title', 'elsewhere');
	CREATE INDEX items_title_zh ON items (zh) WHERE section IN ('example_title', 'title', 'elsewhere');`,
	`CREATE TABLE questions (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, platform TEXT NOT NULL, user_hash TEXT NOT NULL,
		lang TEXT NOT NULL, intent TEXT NOT NULL, confidence REAL NOT NULL, answered INTEGER NOT NULL, text TEXT NOT NULL) STRICT;
	CREATE INDEX questions_at ON questions (at);`,
	`CREATE TABLE platform_state (platform TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (platform, key)) STRICT;`,
	`ALTER TABLE questions ADD COLUMN occupation TEXT NOT NULL DEFAULT '';`,
}

// Every database an older nocbot wrote opens with every part's tables as
// a new one has them, its rows kept and no step run twice (which would
// fail: the tables and the column exist).
func TestUpgradeFromEveryReleasedSchema(t *testing.T) {
	ctx := context.Background()
	fresh, err := openStore(ctx, filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	wantSchema, wantVersions := schemaOf(t, fresh)
	fresh.Close()
	if len(wantVersions) != 1+len(parts()) {
		t.Fatalf("a new database records versions %v, want the store's and %d parts'", wantVersions, len(parts()))
	}

	for from := 1; from <= len(releasedSchema); from++ {
		t.Run(fmt.Sprintf("version %d", from), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			db, err := sql.Open("sqlite3", path)
			if err != nil {
				t.Fatal(err)
			}
			writes := []string{
				fmt.Sprintf(`PRAGMA user_version = %d`, from),
				`INSERT INTO meta (key, value) VALUES ('note', 'kept'), ('user_salt', 'leaves the database')`,
				`INSERT INTO questions (at, platform, user_hash, lang, intent, confidence, answered, text)
					VALUES (1, 'telegram', 'h', 'en', 'duties', 0.9, 1, 'what are the duties')`,
				`INSERT INTO platform_state (platform, key, value) VALUES ('telegram', 'offset:1', '42')`,
			}
			for _, q := range append(slices.Clone(releasedSchema[:from]), writes[:min(from+1, len(writes))]...) {
				if _, err := db.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()

			s, err := openStore(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			gotSchema, gotVersions := schemaOf(t, s)
			if !slices.Equal(gotSchema, wantSchema) {
				t.Errorf("schema\n%s\nwant, as a new database has it,\n%s", strings.Join(gotSchema, "\n"), strings.Join(wantSchema, "\n"))
			}
			if !maps.Equal(gotVersions, wantVersions) {
				t.Errorf("versions %v, want %v", gotVersions, wantVersions)
			}
			var note, text, occupation, offset string
			if err := s.DB().QueryRow(`SELECT value FROM meta WHERE key = 'note'`).Scan(&note); err != nil || note != "kept" {
				t.Errorf("meta row %q (%v)", note, err)
			}
			if err := s.DB().QueryRow(`SELECT value FROM meta WHERE key = 'user_salt'`).Scan(&note); err == nil {
				t.Error("the question log's old salt is still in the database")
			}
			// The question was answered: it is counted, its text not kept.
			err = s.DB().QueryRow(`SELECT text, occupation FROM questions`).Scan(&text, &occupation)
			if from >= 2 && (err != nil || text != "" || occupation != "") {
				t.Errorf("question row %q %q (%v)", text, occupation, err)
			}
			err = s.DB().QueryRow(`SELECT value FROM platform_state`).Scan(&offset)
			if from >= 3 && (err != nil || offset != "42") {
				t.Errorf("platform_state row %q (%v)", offset, err)
			}
		})
	}
}

// schemaOf lists the database's tables and indexes, whitespace
// normalised, and each part's version.
func schemaOf(t *testing.T, store *knowledge.Store) ([]string, map[string]int) {
	t.Helper()
	var schema []string
	rows, err := store.DB().Query(`SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		// The released text was laid out and commented differently; the
		// words are the same.
		var code []string
		for line := range strings.Lines(s) {
			line, _, _ = strings.Cut(line, "--")
			code = append(code, line)
		}
		s = strings.Join(strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ", ",", " , ").Replace(strings.Join(code, " "))), " ")
		schema = append(schema, s)
	}
	rows.Close()
	versions, err := store.Versions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return schema, versions
}
