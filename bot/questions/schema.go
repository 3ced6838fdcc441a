package questions

import "github.com/nocbot/nocbot/knowledge"

// Migrations are the question log's tables, for the store to bring up to
// date (knowledge.Store.Migrate) before New or Summarize use them. The log
// lives in the nocbot database so one file holds a deployment.
func Migrations() knowledge.Migrations {
	return knowledge.Migrations{Name: "questions", Legacy: []int{2, 4}, Steps: []string{
		// 1: the operator's log of questions asked.
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

		// 2: the occupation a question named that no profile covers, so
		// the operator sees which profiles people want next.
		`ALTER TABLE questions ADD COLUMN occupation TEXT NOT NULL DEFAULT '';`,

		// 3: keep less. Each platform update is recorded once (a keyed
		// hash of its id: replays after a crash are not counted again);
		// answered questions are counted without their text; the salt
		// leaves the database (the key is now kept beside it), so the
		// hashes stored with it no longer link back to ids.
		`ALTER TABLE questions ADD COLUMN update_hash TEXT;
		CREATE UNIQUE INDEX questions_update ON questions (update_hash) WHERE update_hash IS NOT NULL;
		UPDATE questions SET text = '' WHERE answered = 1;
		DELETE FROM meta WHERE key = 'user_salt';`,
	}}
}
