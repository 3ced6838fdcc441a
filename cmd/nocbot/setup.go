package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/nocbot/nocbot/bot/questions"
	"github.com/nocbot/nocbot/bot/telegram"
	"github.com/nocbot/nocbot/intents"
	"github.com/nocbot/nocbot/knowledge"
	"github.com/nocbot/nocbot/seeds"
	"github.com/nocbot/nocbot/snapshot"
)

// kbFlags are the flags every command that reads the knowledge base takes.
type kbFlags struct {
	seeds string
	db    string
}

// register adds the flags; --seeds defaults to $NOCBOT_SEEDS, as serve's
// does, so one setting serves every command.
func (k *kbFlags) register(fs *flag.FlagSet, e env) {
	fs.StringVar(&k.seeds, "seeds", strings.TrimSpace(e.getenv("NOCBOT_SEEDS")), "read profiles from `DIR` instead of the built-in ones ($NOCBOT_SEEDS)")
	fs.StringVar(&k.db, "db", "", "database `PATH` (default $NOCBOT_DB; see README)")
}

// parseInterspersed parses flags that may come before or after positional
// arguments ("nocbot profile 1252 --lang zh").
func parseInterspersed(fset *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		args = fset.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlagSet(name string, e env) *flag.FlagSet {
	fset := flag.NewFlagSet("nocbot "+name, flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	return fset
}

// dbPath picks the database: --db, else $NOCBOT_DB, else for commands that
// keep state the user's data directory, else ("" ) memory: one-shot
// commands need nothing to outlive them and so work on a read-only disk.
func dbPath(flagValue string, e env, persistent bool) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if v := e.getenv("NOCBOT_DB"); v != "" {
		return v, nil
	}
	if !persistent {
		return "", nil
	}
	return defaultDBPath(e)
}

// defaultDBPath is $XDG_DATA_HOME/nocbot/nocbot.db, or
// ~/.local/share/nocbot/nocbot.db.
func defaultDBPath(e env) (string, error) {
	if d := e.getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "nocbot", "nocbot.db"), nil
	}
	home := e.getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no database path: set --db or NOCBOT_DB (%w)", err)
		}
		home = h
	}
	return filepath.Join(home, ".local", "share", "nocbot", "nocbot.db"), nil
}

func seedFS(dir string) (fs.FS, error) {
	if dir == "" {
		return seeds.FS(), nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("seeds directory: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("seeds directory: %s is not a directory", dir)
	}
	return os.DirFS(dir), nil
}

// nocFS is where the NOC 2021 files and nocbot's Chinese names for them
// are read from: DIR/noc2021 when --seeds DIR has one (a test's fixture
// set, a newer version of the files), else the built-in ones.
func nocFS(dir string) (noc, zh fs.FS) {
	if dir != "" {
		if info, err := os.Stat(filepath.Join(dir, "noc2021")); err == nil && info.IsDir() {
			sub := os.DirFS(filepath.Join(dir, "noc2021"))
			return sub, sub
		}
	}
	return seeds.NOC2021(), seeds.NOC2021Chinese()
}

// parts are the tables of every part of nocbot that keeps records in the
// database besides the store's own.
func parts() []knowledge.Migrations {
	return []knowledge.Migrations{questions.Migrations(), telegram.Migrations()}
}

// openStore opens the database with every part's tables up to date, so
// any command can open a file another wrote. The caller closes it.
func openStore(ctx context.Context, path string) (*knowledge.Store, error) {
	store, err := knowledge.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	for _, m := range parts() {
		if err := store.Migrate(ctx, m); err != nil {
			store.Close()
			return nil, err
		}
	}
	return store, nil
}

// openLibrary opens the store and the library: the built-in one from the
// snapshot prepared at build time, or one built straight from the files
// of --seeds (and the built-in NOC 2021 when --seeds has none); no profile
// is read back from the database. A database kept on disk is brought in
// line with the FLYabroad seeds (nocbot import); a one-shot command's
// in-memory one is not, and starts at once. The caller closes the store.
func openLibrary(ctx context.Context, k kbFlags, e env, persistent bool) (*knowledge.Library, *knowledge.Store, error) {
	base, err := open(ctx, k, e, persistent, false)
	if err != nil {
		return nil, nil, err
	}
	return base.lib, base.store, nil
}

// kb is the knowledge base and the matcher trained on it.
type kb struct {
	lib     *knowledge.Library
	store   *knowledge.Store
	matcher *intents.Matcher
}

func (k *kb) Close() error { return k.store.Close() }

// openKB loads the profiles and the matcher. The caller closes it.
func openKB(ctx context.Context, k kbFlags, e env, persistent bool) (*kb, error) {
	return open(ctx, k, e, persistent, true)
}

// open is openLibrary, and openKB when withMatcher is set.
func open(ctx context.Context, k kbFlags, e env, persistent, withMatcher bool) (*kb, error) {
	fsys, err := seedFS(k.seeds)
	if err != nil {
		return nil, err
	}
	path, err := dbPath(k.db, e, persistent)
	if err != nil {
		return nil, err
	}
	base := &kb{}
	if k.seeds == "" {
		// Everything the snapshot gives stays live: collecting while it is
		// read only slows the start.
		gc := debug.SetGCPercent(-1)
		base.lib, base.matcher, err = snapshot.Load()
		debug.SetGCPercent(gc)
	} else {
		base.lib, base.matcher, err = build(k.seeds, withMatcher)
	}
	if err != nil {
		return nil, err
	}
	if base.store, err = openStore(ctx, path); err != nil {
		return nil, err
	}
	if path != "" {
		set, err := knowledge.LoadSeeds(fsys)
		if err == nil {
			_, err = base.store.Sync(ctx, set)
		}
		if err != nil {
			base.store.Close()
			return nil, fmt.Errorf("import profiles: %w", err)
		}
	}
	return base, nil
}

// build makes the library from the files of the seeds directory dir, and
// trains the matcher on it when withMatcher is set.
func build(dir string, withMatcher bool) (*knowledge.Library, *intents.Matcher, error) {
	fsys, err := seedFS(dir)
	if err != nil {
		return nil, nil, err
	}
	noc, zh := nocFS(dir)
	lib, err := knowledge.LoadLibrary(fsys, noc, zh)
	if err != nil || !withMatcher {
		return lib, nil, err
	}
	data, err := intents.TrainingData()
	if err != nil {
		return nil, nil, err
	}
	m, err := intents.NewMatcher(data, lib)
	if err != nil {
		return nil, nil, err
	}
	return lib, m, nil
}

func requireArgs(pos []string, n int, what string) error {
	if len(pos) < n {
		return fmt.Errorf("%w: missing %s", errUsage, what)
	}
	return nil
}

func writeString(w io.Writer, s string) error {
	_, err := io.WriteString(w, s)
	return err
}

func joinArgs(pos []string) string { return strings.TrimSpace(strings.Join(pos, " ")) }

// defaultHome is the occupation a deployment serves unless NOCBOT_HOME
// says otherwise: the shipped FLYabroad profile.
const defaultHome = "1252"

// homeOccupation is the code of the deployment's home occupation:
// NOCBOT_HOME, else defaultHome; "none" sets none, so a question that
// names no occupation is asked which one it is about.
func homeOccupation(getenv func(string) string) string {
	switch h := strings.TrimSpace(getenv("NOCBOT_HOME")); strings.ToLower(h) {
	case "":
		return defaultHome
	case "none":
		return ""
	default:
		return h
	}
}

// checkHome refuses a home occupation the library does not know, at
// start: otherwise every question naming no occupation would silently get
// "which occupation?".
func checkHome(lib *knowledge.Library, home string) error {
	if home == "" {
		return nil
	}
	if _, ok := lib.Profile(home); ok || len(lib.Current(home)) > 0 {
		return nil
	}
	return fmt.Errorf("%w: NOCBOT_HOME=%q: no occupation has that code (a NOC 2021 code such as 12111, a NOC 2011 one such as 1252, or none)", errUsage, home)
}
