package bot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"
)

type octet byte

type panicky struct{ why string }

func (p panicky) String() string { panic(p.why) }

type panickyErr struct{}

func (*panickyErr) Error() string { panic("no text") }

// TestRedactorValueOddValues walks values of every awkward shape through
// Value and through the redacting handler, as text and as JSON: none may
// panic, hang or let the token out.
func TestRedactorValueOddValues(t *testing.T) {
	r := NewRedactor(testToken)
	var token40 [40]byte
	copy(token40[:], testToken)
	selfMap := map[string]any{"name": testToken}
	selfMap["self"] = selfMap
	selfSlice := []any{testToken, nil}
	selfSlice[1] = selfSlice
	var nilErr error
	var sb strings.Builder
	sb.WriteString("built " + testToken)
	tests := []struct {
		name string
		v    any
		want []string // in %v of Value's result
	}{
		{"unexported byte slice", struct{ raw []byte }{[]byte("x" + testToken)}, []string{"x" + Redacted}},
		{"unexported byte array", struct{ arr [40]byte }{token40}, []string{Redacted}},
		{"byte array", token40, []string{Redacted}},
		{"named byte slice", []octet(testToken + "!"), []string{Redacted + "!"}},
		{"unexported named byte slice", struct{ o []octet }{[]octet(testToken)}, []string{Redacted}},
		{"nil interface field", struct{ E error }{nilErr}, []string{"E:<nil>"}},
		{"nil pointer", (*withBytes)(nil), []string{"<nil>"}},
		{"nil pointer field", struct{ P *int }{}, []string{"P:<nil>"}},
		{"nil error pointer", (*panickyErr)(nil), []string{"<nil>"}},
		{"map with interface keys", map[any]string{1: "int", "1": "string", testToken: "token"}, []string{"int(1):int", "string(1):string", Redacted + ":token"}},
		{"map keys equal once redacted", map[string]int{"a" + testToken: 1, "a" + url.QueryEscape(testToken): 2}, []string{"string(a" + Redacted + ")", "#2"}},
		{"channel", make(chan int), []string{"chan int"}},
		{"func", func() {}, []string{"func()"}},
		{"map holding itself", selfMap, []string{"<cycle>", Redacted}},
		{"slice holding itself", selfSlice, []string{"<cycle>", Redacted}},
		{"Stringer that panics", panicky{testToken}, []string{"<unloggable bot.panicky>"}},
		{"field whose Stringer panics", struct {
			P panicky
			N int
		}{panicky{"boom"}, 7}, []string{"<unloggable bot.panicky>", "N:7"}},
		{"error that panics", &panickyErr{}, []string{"<unloggable *bot.panickyErr>"}},
		{"time.Time", time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), []string{"2024-05-06 07:08:09 +0000 UTC"}},
		{"bytes.Buffer", bytes.NewBufferString("hi " + testToken), []string{"hi " + Redacted}},
		{"unexported bytes.Buffer", struct{ b bytes.Buffer }{*bytes.NewBufferString(testToken)}, []string{Redacted}},
		{"strings.Builder", &sb, []string{"built " + Redacted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fmt.Sprintf("%v", r.Value(tt.v))
			if strings.Contains(got, testToken) {
				t.Errorf("Value holds the token: %s", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Value = %s, want %q in it", got, w)
				}
			}
			for _, h := range []func(io.Writer) slog.Handler{
				func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
				func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
			} {
				var buf bytes.Buffer
				slog.New(r.Handler(h(&buf))).Info("x", "v", tt.v)
				if strings.Contains(buf.String(), testToken) || !strings.Contains(buf.String(), `msg`) {
					t.Errorf("log line: %s", buf.String())
				}
			}
		})
	}
}

// TestRedactorValueBudget: a value with 100 children at each of 8 levels,
// all one slice shared (no cycle), is cut short after a bounded number of
// nodes instead of walked 100⁸ times.
func TestRedactorValueBudget(t *testing.T) {
	r := NewRedactor(testToken)
	level := any(testToken)
	for range 8 {
		s := make([]any, 100)
		for i := range s {
			s[i] = level
		}
		level = s
	}
	got := fmt.Sprintf("%v", r.Value(level))
	if !strings.Contains(got, "…") || strings.Contains(got, testToken) {
		t.Errorf("Value of a huge value: %.200s", got)
	}
	if n := strings.Count(got, Redacted); n > maxNodes {
		t.Errorf("walked %d leaves, want at most %d", n, maxNodes)
	}
}

// quietError's own text is clean; what it wraps may not be.
type quietError struct{ err error }

func (e quietError) Error() string { return "send failed" }
func (e quietError) Unwrap() error { return e.err }

// TestRedactorErrorTree: errors.As and errors.Is reach every error of the
// tree that quotes no secret, through wrappers, errors.Join and multiple
// %w, and never one that does, even under a wrapper whose text is clean.
func TestRedactorErrorTree(t *testing.T) {
	r := NewRedactor(testToken)
	api := &apiError{code: 429}
	dirty := func() error {
		return &url.Error{Op: "Post", URL: "https://api/bot" + testToken + "/sendMessage", Err: api}
	}
	otherAPI := &apiError{code: 400}
	tests := []struct {
		name      string
		err       error
		reachAPI  bool
		reachEOF  bool
		identical bool
	}{
		{"clean wrapper over a dirty error", quietError{dirty()}, true, false, false},
		{"clean wrapper over a clean wrapper over a dirty error", fmt.Errorf("poll: %w", quietError{dirty()}), true, false, false},
		{"join of dirty and clean", errors.Join(dirty(), io.EOF), true, true, false},
		{"two %w, dirty second", fmt.Errorf("%w; %w", io.EOF, quietError{dirty()}), true, true, false},
		{"join under a clean wrapper", quietError{errors.Join(io.EOF, dirty())}, true, true, false},
		{"dirty error over a clean join", fmt.Errorf("bot%s: %w", testToken, errors.Join(io.EOF, otherAPI)), true, true, false},
		{"clean tree", fmt.Errorf("a: %w", errors.Join(io.EOF, api)), true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			red := r.Error(tt.err)
			if strings.Contains(red.Error(), testToken) {
				t.Errorf("text holds the token: %v", red)
			}
			if tt.identical != (red == tt.err) {
				t.Errorf("returned as is: %v, want %v", red == tt.err, tt.identical)
			}
			var ue *url.Error
			if errors.As(red, &ue) {
				t.Errorf("the URL error quoting the token is reachable: %v", ue)
			}
			var got *apiError
			if errors.As(red, &got) != tt.reachAPI {
				t.Errorf("API error reachable: %v, want %v", !tt.reachAPI, tt.reachAPI)
			}
			if errors.Is(red, io.EOF) != tt.reachEOF {
				t.Errorf("io.EOF reachable: %v, want %v", !tt.reachEOF, tt.reachEOF)
			}
			if again := r.Error(red); again != red {
				t.Errorf("redacting twice changed the error")
			}
			if wrapped := fmt.Errorf("w: %w", red); r.Error(wrapped) != wrapped {
				t.Errorf("a wrapped redacted error was redacted again")
			}
		})
	}
}
