package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// checkWritable proves at start that the database takes writes and reads
// back sound: a transaction that creates and drops a scratch table is
// committed (through the WAL, as every later write goes), and SQLite's
// quick check reads every page. serve would otherwise start, answer, fail
// to store what it answered, and repeat itself after a restart.
func checkWritable(ctx context.Context, db *sql.DB, path string) error {
	var problem string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&problem); err != nil {
		return dbAdvice(path, fmt.Errorf("check database: %w", err))
	}
	if problem != "ok" {
		return dbAdvice(path, fmt.Errorf("check database: %w: %s", sqlite3.ErrCorrupt, problem))
	}
	if err := testWrite(ctx, db); err != nil {
		return dbAdvice(path, err)
	}
	return nil
}

// testWrite commits a transaction that creates and drops a scratch table:
// it fails as any write would (read-only file, full disk, a lock held too
// long) and leaves nothing behind.
func testWrite(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err == nil {
		defer tx.Rollback()
		if _, err = tx.ExecContext(ctx, `CREATE TABLE nocbot_write_check (x INTEGER)`); err == nil {
			if _, err = tx.ExecContext(ctx, `DROP TABLE nocbot_write_check`); err == nil {
				err = tx.Commit()
			}
		}
	}
	if err != nil {
		return fmt.Errorf("test write: %w", err)
	}
	return nil
}

// dbAdvice adds to a database error what the operator can do about it.
func dbAdvice(path string, err error) error {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		if errors.Is(err, sqlite3.ErrCorrupt) {
			se.Code = sqlite3.ErrCorrupt
		} else {
			return err
		}
	}
	switch se.Code {
	case sqlite3.ErrCorrupt, sqlite3.ErrNotADB:
		return fmt.Errorf("%w\nthe database %s is damaged. Stop nocbot, move the file aside with its -wal and -shm files (mv %[2]s %[2]s.broken), and start again: nocbot creates a new database and imports the profiles. Updates Telegram had not yet confirmed are fetched again; the question log starts empty", err, path)
	case sqlite3.ErrReadonly, sqlite3.ErrCantOpen, sqlite3.ErrPerm, sqlite3.ErrAuth:
		return fmt.Errorf("%w\nthe database %s cannot be written. Check that the file, its directory and any %[2]s-wal and %[2]s-shm files (left behind by a process killed while running as another user) belong to the user nocbot runs as and that the file system is not mounted read-only; or set NOCBOT_DB to a writable path", err, path)
	case sqlite3.ErrFull:
		return fmt.Errorf("%w\nthe disk holding %s is full: free space and start again", err, path)
	}
	return err
}

// errLocked is the second serve's error on a database already served.
var errLocked = errors.New("another nocbot serve is using this database")

// lockDatabase takes the exclusive lock of path's lock file (path.lock),
// held until release: two serves on one database would each answer the
// same updates. The file holds the holder's process id, for the error the
// second gets.
func lockDatabase(path string) (release func(), err error) {
	lockPath := path + ".lock"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create database directory: %w", err)
	}
	f, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the lock file beside the database: %w\nthe directory of %s must be writable by the user nocbot runs as (and not on a read-only mount); or set NOCBOT_DB to a writable path", err, path)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(lockPath)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := ""
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(holder))); perr == nil && pid > 0 {
				who = fmt.Sprintf(" (process %d)", pid)
			}
			return nil, fmt.Errorf("%w%s: %s. Stop it first, or give this one another NOCBOT_DB", errLocked, who, path)
		}
		return nil, fmt.Errorf("lock %s: %w", lockPath, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() { f.Close() }, nil
}
