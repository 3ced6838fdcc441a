package questions

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// KeyEnv names the environment variable that may hold the log's key.
const KeyEnv = "NOCBOT_QUESTIONS_KEY"

// minKeyLen is the shortest key accepted from the environment.
const minKeyLen = 16

// KeyFile is where the log of the database at dbPath keeps its key: a
// file beside it, never in it, so the database alone does not link a
// user's hash back to an id. "" (an in-memory database) is none.
func KeyFile(dbPath string) string {
	if dbPath == "" {
		return ""
	}
	return dbPath + ".questions-key"
}

// loadKey returns the key: from the environment as given, else from the
// key file, created (0600) on first use and replaced when it is older
// than maxAge; else a random key for this process.
func loadKey(fromEnv, file string, maxAge time.Duration, now time.Time) ([]byte, error) {
	if fromEnv != "" {
		if len(fromEnv) < minKeyLen {
			return nil, fmt.Errorf("%s is %d characters; use at least %d random ones", KeyEnv, len(fromEnv), minKeyLen)
		}
		return []byte(fromEnv), nil
	}
	if file == "" {
		return randomKey()
	}
	info, err := os.Stat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return writeKey(file)
	case err != nil:
		return nil, fmt.Errorf("question log key: %w", err)
	case now.Sub(info.ModTime()) >= maxAge:
		return writeKey(file)
	}
	if info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(file, 0o600); err != nil {
			return nil, fmt.Errorf("question log key %s is readable by others: %w", file, err)
		}
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("question log key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) < minKeyLen {
		return nil, fmt.Errorf("question log key %s is not 32 or more hex digits; delete it to start a new key", file)
	}
	return key, nil
}

func randomKey() ([]byte, error) {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("make question log key: %w", err)
	}
	return k, nil
}

// writeKey puts a new random key in file (0600), replacing any there
// whole: a reader sees the old key or the new one.
func writeKey(file string) ([]byte, error) {
	key, err := randomKey()
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), filepath.Base(file)+".*")
	if err != nil {
		return nil, fmt.Errorf("write question log key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.WriteString(hex.EncodeToString(key) + "\n")
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		return nil, fmt.Errorf("write question log key: %w", err)
	}
	return key, nil
}

// keyed is a keyed hash of s, as the log stores user and update ids.
func keyed(key []byte, s string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(s))
	return hex.EncodeToString(m.Sum(nil)[:12])
}
