package intents

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/nocbot/nocbot/knowledge"
)

// The training utterances: data/<intent>.<lang>.txt, one per line, '#'
// starts a comment. Anyone can extend them without touching code.
//
//go:embed data/*.txt
var dataFS embed.FS

// Utterance is one labelled example question.
type Utterance struct {
	Intent Intent
	Lang   knowledge.Lang
	Text   string
}

// TrainingData returns the embedded training utterances.
func TrainingData() ([]Utterance, error) { return ReadUtterances(dataFS, "data") }

// ReadUtterances reads every <intent>.<lang>.txt file in dir of fsys.
func ReadUtterances(fsys fs.FS, dir string) ([]Utterance, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read utterances: %w", err)
	}
	var out []Utterance
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".txt" {
			continue
		}
		base := strings.TrimSuffix(name, ".txt")
		dot := strings.LastIndexByte(base, '.')
		if dot < 0 {
			return nil, fmt.Errorf("utterance file %s: name must be <intent>.<lang>.txt", name)
		}
		intent, lang := Intent(base[:dot]), knowledge.Lang(base[dot+1:])
		if !intent.Valid() {
			return nil, fmt.Errorf("utterance file %s: unknown intent %q", name, intent)
		}
		if lang != knowledge.EN && lang != knowledge.ZH {
			return nil, fmt.Errorf("utterance file %s: unknown language %q", name, lang)
		}
		err := eachLine(fsys, path.Join(dir, name), func(text string) error {
			out = append(out, Utterance{Intent: intent, Lang: lang, Text: text})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read utterances: %w", err)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read utterances: no utterances in %s", dir)
	}
	return out, nil
}

// eachLine calls fn with each line of a data file that is neither blank
// nor a '#' comment, trimmed; an error from fn is reported at its line.
func eachLine(fsys fs.FS, name string, fn func(text string) error) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if err := fn(text); err != nil {
			return fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}
