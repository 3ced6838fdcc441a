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
		data, err := fs.ReadFile(fsys, path.Join(dir, name))
		if err != nil {
			return nil, fmt.Errorf("read utterances: %w", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		for line := 1; sc.Scan(); line++ {
			text := strings.TrimSpace(sc.Text())
			if text == "" || strings.HasPrefix(text, "#") {
				continue
			}
			out = append(out, Utterance{Intent: intent, Lang: lang, Text: text})
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read utterances: no utterances in %s", dir)
	}
	return out, nil
}
