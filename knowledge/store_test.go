package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nocbot/nocbot/seeds"
)

func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "nocbot.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	set, err := LoadSeeds(fixtureFS(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"", "disk"} {
		var s *Store
		if path == "" {
			if s, err = Open(ctx, ""); err != nil {
				t.Fatal(err)
			}
			defer s.Close()
		} else {
			s, _ = openTemp(t)
		}
		if err := s.Import(ctx, set); err != nil {
			t.Fatal(err)
		}
		got, err := s.Profiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, set.Profiles) {
			t.Errorf("%q: profiles read back differ from those imported:\n got %+v\nwant %+v", path, got, set.Profiles)
		}
		p, err := s.Profile(ctx, "1253")
		if err != nil || p.Title.EN != "Records management technicians" {
			t.Errorf("Profile(1253) = %q, %v", p.Title.EN, err)
		}
		if _, err := s.Profile(ctx, "9999"); !errors.Is(err, ErrNotFound) {
			t.Errorf("Profile(9999): got %v, want ErrNotFound", err)
		}
	}
}

func TestStoreSyncRebuildsOnlyOnChange(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	one, err := LoadSeeds(fstest.MapFS{seedName: {Data: readSeed(t)}})
	if err != nil {
		t.Fatal(err)
	}
	two, err := LoadSeeds(fixtureFS(t))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		set         SeedSet
		wantRebuilt bool
		wantCodes   string
	}{
		{one, true, "1252"},
		{one, false, "1252"},
		{two, true, "1252,1253"},
		{two, false, "1252,1253"},
		{one, true, "1252"},
	}
	for i, st := range steps {
		rebuilt, err := s.Sync(ctx, st.set)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if rebuilt != st.wantRebuilt {
			t.Errorf("step %d: rebuilt = %v, want %v", i, rebuilt, st.wantRebuilt)
		}
		if got := codes(t, s); got != st.wantCodes {
			t.Errorf("step %d: codes %s, want %s", i, got, st.wantCodes)
		}
	}

	// A second process opening the same file sees the same, without rebuilding.
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if rebuilt, err := s2.Sync(ctx, one); err != nil || rebuilt {
		t.Errorf("reopened store: rebuilt = %v, err = %v; want no rebuild", rebuilt, err)
	}
	var mode string
	if err := s2.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q (%v), want wal", mode, err)
	}
	var fk int
	if err := s2.DB().QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
	}
	if got, want := versions(t, s2), map[string]int{"knowledge": len(storeMigrations().Steps)}; !maps.Equal(got, want) {
		t.Errorf("schema versions %v, want %v", got, want)
	}
}

// versions checks the database's format (PRAGMA user_version) and reads
// the version of each part.
func versions(t testing.TB, s *Store) map[string]int {
	t.Helper()
	var format int
	if err := s.DB().QueryRow(`PRAGMA user_version`).Scan(&format); err != nil || format != versionsFormat {
		t.Errorf("user_version = %d (%v), want %d", format, err, versionsFormat)
	}
	v, err := s.Versions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func codes(t testing.TB, s *Store) string {
	t.Helper()
	profs, err := s.Profiles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var cs []string
	for _, p := range profs {
		cs = append(cs, p.Code)
	}
	return strings.Join(cs, ",")
}

func TestLoadKeepsOldProfilesWhenSeedsBreak(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if _, err := Load(ctx, s, fixtureFS(t)); err != nil {
		t.Fatal(err)
	}
	broken := fixtureFS(t)
	broken["1253_test_fixture.txt"] = &fstest.MapFile{Data: []byte("## 1253 坏 Broken - FLYabroad NOC\n")}
	if _, err := Load(ctx, s, broken); err == nil || !strings.Contains(err.Error(), "1253_test_fixture.txt:") {
		t.Fatalf("Load(broken seeds): got %v, want the file's parse error", err)
	}
	if got := codes(t, s); got != "1252,1253" {
		t.Errorf("after a failed load the store holds %s, want the previous 1252,1253", got)
	}
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.db")
	if err := os.WriteFile(corrupt, []byte(strings.Repeat("this is not a database\n", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	db, err := sql.Open("sqlite3", newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA user_version = 999`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	tests := []struct {
		name, path, want string
	}{
		{"corrupt file", corrupt, "is corrupt or not an SQLite file"},
		{"parent is a file", filepath.Join(notDir, "nocbot.db"), "create database directory"},
		{"directory as database", dir, "cannot be opened"},
		{"newer schema", newer, "newer than this nocbot knows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(ctx, tt.path)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%s) succeeded", tt.path)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open: got %q, want it to say %q", err, tt.want)
			}
		})
	}
	data, _ := os.ReadFile(corrupt)
	if !strings.HasPrefix(string(data), "this is not a database") {
		t.Error("Open modified a file that is not its database")
	}
}

func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	for _, where := range []string{"memory", "disk"} {
		b.Run(where, func(b *testing.B) {
			dir := b.TempDir()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				path := ""
				if where == "disk" {
					path = filepath.Join(dir, strings.Repeat("x", 1+i%50)+".db")
					os.Remove(path)
					os.Remove(path + "-wal")
					os.Remove(path + "-shm")
				}
				s, err := Open(ctx, path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Load(ctx, s, seeds.FS()); err != nil {
					b.Fatal(err)
				}
				s.Close()
			}
		})
	}
}

// Parts of nocbot migrate their own tables: each step runs once, in
// order, and a part's version is its own.
func TestMigrateParts(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a := Migrations{Name: "a", Steps: []string{`CREATE TABLE a (x TEXT NOT NULL) STRICT`}}
	b := Migrations{Name: "b", Steps: []string{`CREATE TABLE b (x TEXT NOT NULL) STRICT`, `INSERT INTO b VALUES ('first')`}}
	aLater := Migrations{Name: "a", Steps: append(slices.Clone(a.Steps), `ALTER TABLE a ADD COLUMN y TEXT NOT NULL DEFAULT 'y'`)}
	aOlder := Migrations{Name: "a"}
	broken := Migrations{Name: "b", Steps: append(slices.Clone(b.Steps), `INSERT INTO b VALUES ('second')`, `CREATE TABLE broken (`)}
	tests := []struct {
		name         string
		part         Migrations
		wantErr      string
		wantVersions map[string]int
	}{
		{"first part", a, "", map[string]int{"knowledge": 1, "a": 1}},
		{"another part", b, "", map[string]int{"knowledge": 1, "a": 1, "b": 2}},
		// A step run twice would fail: the table exists, the row doubles.
		{"again, nothing to do", b, "", map[string]int{"knowledge": 1, "a": 1, "b": 2}},
		{"a step appended", aLater, "", map[string]int{"knowledge": 1, "a": 2, "b": 2}},
		{"an older nocbot", aOlder, "the a tables are at version 2, newer than this nocbot knows (0)", map[string]int{"knowledge": 1, "a": 2, "b": 2}},
		{"a step fails", broken, "b migration 4", map[string]int{"knowledge": 1, "a": 2, "b": 3}},
		{"no name", Migrations{Steps: a.Steps}, "the part has no name", map[string]int{"knowledge": 1, "a": 2, "b": 3}},
	}
	for _, tt := range tests {
		err := s.Migrate(ctx, tt.part)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: Migrate: %v, want error %q", tt.name, err, tt.wantErr)
		}
		if got := versions(t, s); !maps.Equal(got, tt.wantVersions) {
			t.Errorf("%s: versions %v, want %v", tt.name, got, tt.wantVersions)
		}
	}
	var rows []string
	r, _ := s.DB().Query(`SELECT x FROM b ORDER BY rowid`)
	for r.Next() {
		var row string
		r.Scan(&row)
		rows = append(rows, row)
	}
	r.Close()
	if !slices.Equal(rows, []string{"first", "second"}) {
		t.Errorf("rows %q: a step ran twice or a failed one left something", rows)
	}
}

// A database written by an older nocbot, whose tables shared one counter
// (PRAGMA user_version 1 to 4), is upgraded in place keeping its rows:
// each part starts from the steps its Legacy says that counter covered,
// including parts that register only after the store converted the file.
func TestMigrateKeepsOlderData(t *testing.T) {
	ctx := context.Background()
	// As the single counter went: 1 the store's tables, 2 a log, 3 a
	// state table, 4 a column added to the log.
	counter := []string{
		storeMigrations().Steps[0],
		`CREATE TABLE log (text TEXT NOT NULL) STRICT`,
		`CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`,
		`ALTER TABLE log ADD COLUMN occupation TEXT NOT NULL DEFAULT ''`,
	}
	log := Migrations{Name: "log", Legacy: []int{2, 4}, Steps: []string{counter[1], counter[3]}}
	state := Migrations{Name: "state", Legacy: []int{3}, Steps: []string{counter[2]}}
	added := Migrations{Name: "added", Steps: []string{`CREATE TABLE added (x TEXT) STRICT`}}
	for from := 1; from <= len(counter); from++ {
		path := filepath.Join(t.TempDir(), "old.db")
		db, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range counter[:from] {
			if _, err := db.Exec(step); err != nil {
				t.Fatalf("version %d: %v", from, err)
			}
		}
		inserts := []string{
			fmt.Sprintf(`PRAGMA user_version = %d`, from),
			`INSERT INTO meta (key, value) VALUES ('kept', 'yes')`,
			`INSERT INTO log (text) VALUES ('what are the duties')`,
			`INSERT INTO state (key, value) VALUES ('offset', '42')`,
		}
		for _, q := range inserts[:min(from+1, len(inserts))] {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()

		// The store converts the file on its own first; the parts come later.
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("from version %d: %v", from, err)
		}
		s.Close()
		s, err = Open(ctx, path)
		if err != nil {
			t.Fatalf("from version %d, reopened: %v", from, err)
		}
		for _, m := range []Migrations{log, state, added} {
			if err := s.Migrate(ctx, m); err != nil {
				t.Fatalf("from version %d: %v", from, err)
			}
		}
		want := map[string]int{"knowledge": 1, "log": 2, "state": 1, "added": 1}
		if got := versions(t, s); !maps.Equal(got, want) {
			t.Errorf("from version %d: versions %v, want %v", from, got, want)
		}
		var kept, text, occupation, offset string
		s.DB().QueryRow(`SELECT value FROM meta WHERE key = 'kept'`).Scan(&kept)
		if kept != "yes" {
			t.Errorf("from version %d: meta row %q", from, kept)
		}
		if err := s.DB().QueryRow(`SELECT text, occupation FROM log`).Scan(&text, &occupation); from >= 2 && (err != nil || text != "what are the duties" || occupation != "") {
			t.Errorf("from version %d: log row %q %q (%v)", from, text, occupation, err)
		}
		if err := s.DB().QueryRow(`SELECT value FROM state`).Scan(&offset); from >= 3 && (err != nil || offset != "42") {
			t.Errorf("from version %d: state row %q (%v)", from, offset, err)
		}
		s.Close()
	}
}

// Rows deleted from a nocbot database are overwritten, on every
// connection: nothing deleted stays readable in the file's free pages.
func TestDeletedRowsAreOverwritten(t *testing.T) {
	ctx := context.Background()
	for _, path := range []string{"", filepath.Join(t.TempDir(), "nocbot.db")} {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		db := s.DB()
		db.SetMaxOpenConns(4)
		conns := make([]*sql.Conn, 0, 3)
		for range 3 {
			c, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			var on int
			if err := c.QueryRowContext(ctx, `PRAGMA secure_delete`).Scan(&on); err != nil || on != 1 {
				t.Errorf("%q connection %d: secure_delete %d (%v), want 1", path, i, on, err)
			}
			c.Close()
		}
		s.Close()
	}
}
