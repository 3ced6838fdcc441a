package knowledge

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
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
	one, err := LoadSeeds(seeds.FS())
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
	var version int
	if err := s2.DB().QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != len(migrations()) {
		t.Errorf("user_version = %d (%v), want %d", version, err, len(migrations()))
	}
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

// A database written by an older nocbot is upgraded in place, keeping its
// rows: every migration after the first runs on data, not an empty file.
func TestMigrateKeepsOlderData(t *testing.T) {
	ctx := context.Background()
	steps := migrations()
	for from := 1; from < len(steps); from++ {
		path := filepath.Join(t.TempDir(), "old.db")
		db, err := sql.Open("sqlite3", path)
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range steps[:from] {
			if _, err := db.Exec(step); err != nil {
				t.Fatalf("version %d: %v", from, err)
			}
		}
		if _, err := db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, from)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO meta (key, value) VALUES ('kept', 'yes')`); err != nil {
			t.Fatal(err)
		}
		if from >= 2 {
			if _, err := db.Exec(`INSERT INTO questions (at, platform, user_hash, lang, intent, confidence, answered, text)
				VALUES (1, 'telegram', 'h', 'en', 'duties', 0.9, 1, 'what are the duties')`); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()

		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("from version %d: %v", from, err)
		}
		var version int
		var kept string
		s.DB().QueryRow(`PRAGMA user_version`).Scan(&version)
		s.DB().QueryRow(`SELECT value FROM meta WHERE key = 'kept'`).Scan(&kept)
		if version != len(steps) || kept != "yes" {
			t.Errorf("from version %d: now version %d, meta row %q", from, version, kept)
		}
		if from >= 2 {
			var text, occupation string
			if err := s.DB().QueryRow(`SELECT text, occupation FROM questions`).Scan(&text, &occupation); err != nil || text != "what are the duties" || occupation != "" {
				t.Errorf("from version %d: question row %q %q (%v)", from, text, occupation, err)
			}
		}
		s.Close()
	}
}
