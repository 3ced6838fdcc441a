package bot

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"reflect"
	"regexp"
	"strings"
)

// Redacted replaces a secret in text bound for a log or an error.
const Redacted = "[redacted]"

// A Redactor removes secrets (bot tokens) and secret-shaped patterns
// (interaction tokens in URLs) from what is about to be logged or
// returned: strings, errors, and structured values of any shape, whose
// byte slices a string match on their formatted text would not see.
// Build it once with NewRedactor; it is then safe for concurrent use.
type Redactor struct {
	forms    []string // every secret as written and in the encodings it travels in
	patterns []pattern
}

type pattern struct {
	re   *regexp.Regexp
	repl string
}

// minSecret is the shortest secret worth matching: a shorter "secret"
// (an empty or test setting) would blank out ordinary words.
const minSecret = 8

// NewRedactor returns a Redactor for the given secrets, each matched as
// written, URL-escaped, base64- and hex-encoded. Empty and very short
// secrets are ignored.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{}
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		b := []byte(s)
		for _, f := range []string{s, url.PathEscape(s), url.QueryEscape(s),
			base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b),
			base64.URLEncoding.EncodeToString(b), base64.RawURLEncoding.EncodeToString(b),
			hex.EncodeToString(b), strings.ToUpper(hex.EncodeToString(b))} {
			if !containsString(r.forms, f) {
				r.forms = append(r.forms, f)
			}
		}
	}
	return r
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// WithPattern returns a copy of r that also replaces every match of re
// with repl (regexp.ReplaceAllString syntax: "${1}"+Redacted keeps a
// prefix).
func (r *Redactor) WithPattern(re *regexp.Regexp, repl string) *Redactor {
	c := &Redactor{forms: r.forms, patterns: append(append([]pattern(nil), r.patterns...), pattern{re, repl})}
	return c
}

// String returns s without the secrets.
func (r *Redactor) String(s string) string {
	for _, f := range r.forms {
		if strings.Contains(s, f) {
			s = strings.ReplaceAll(s, f, Redacted)
		}
	}
	for _, p := range r.patterns {
		s = p.re.ReplaceAllString(s, p.repl)
	}
	return s
}

func (r *Redactor) clean(s string) bool { return r.String(s) == s }

// Error returns err with its text redacted. errors.As and errors.Is still
// reach the errors of its chain whose own text holds no secret (an API
// error with its code and retry-after); errors whose text does (a
// *url.Error quoting a request URL) are passed over. It returns err
// itself when its text is clean.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	var re *redactedError
	if errors.As(err, &re) && re == err {
		return err
	}
	msg := err.Error()
	clean := r.String(msg)
	if clean == msg {
		return err
	}
	return &redactedError{msg: clean, err: r.cleanCause(err)}
}

// cleanCause is the first error below err whose text is clean, nil when
// there is none.
func (r *Redactor) cleanCause(err error) error {
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		if r.clean(e.Error()) {
			return e
		}
	}
	return nil
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// maxDepth and maxItems bound the walk of a structured value: a log line
// needs no more, and a cyclic or huge value must not hang the logger.
const (
	maxDepth = 8
	maxItems = 100
)

// Value returns a redacted stand-in for v to log or format in its place:
// strings and byte slices redacted as text, errors and Stringers by their
// redacted text, numbers and booleans as they are, and structs, maps,
// slices and pointers walked field by field (unexported fields too) into
// maps and slices of redacted values. %v, %+v and %#v of the result hold
// no secret, where %#v of the original prints byte slices as numbers that
// no string match finds.
func (r *Redactor) Value(v any) any {
	if v == nil {
		return nil
	}
	return r.walk(reflect.ValueOf(v), 0, map[uintptr]bool{})
}

var (
	errorType    = reflect.TypeFor[error]()
	stringerType = reflect.TypeFor[fmt.Stringer]()
)

func (r *Redactor) walk(v reflect.Value, depth int, seen map[uintptr]bool) any {
	if !v.IsValid() {
		return nil
	}
	if depth > maxDepth {
		return "…"
	}
	if v.CanInterface() && v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface {
		switch {
		case v.Type().Implements(errorType):
			return r.String(v.Interface().(error).Error())
		case v.Type().Implements(stringerType):
			return r.String(v.Interface().(fmt.Stringer).String())
		}
	}
	switch v.Kind() {
	case reflect.String:
		return r.String(v.String())
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint()
	case reflect.Float32, reflect.Float64:
		return v.Float()
	case reflect.Complex64, reflect.Complex128:
		return v.Complex()
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		if seen[v.Pointer()] {
			return "<cycle>"
		}
		seen[v.Pointer()] = true
		defer delete(seen, v.Pointer())
		if v.CanInterface() && v.Type().Implements(errorType) {
			return r.String(v.Interface().(error).Error())
		}
		return r.walk(v.Elem(), depth+1, seen)
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return r.walk(v.Elem(), depth, seen)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			return r.String(string(b))
		}
		n := min(v.Len(), maxItems)
		out := make([]any, 0, n)
		for i := range n {
			out = append(out, r.walk(v.Index(i), depth+1, seen))
		}
		if v.Len() > n {
			out = append(out, fmt.Sprintf("…%d more", v.Len()-n))
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := map[string]any{}
		iter := v.MapRange()
		for iter.Next() {
			if len(out) == maxItems {
				out["…"] = fmt.Sprintf("%d entries in all", v.Len())
				break
			}
			out[fmt.Sprint(r.walk(iter.Key(), depth+1, seen))] = r.walk(iter.Value(), depth+1, seen)
		}
		return out
	case reflect.Struct:
		out := make(map[string]any, v.NumField())
		for i := range v.NumField() {
			out[v.Type().Field(i).Name] = r.walk(v.Field(i), depth+1, seen)
		}
		return out
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return v.Type().String()
	}
	return v.Type().String()
}

// Args redacts a list of format arguments, for a log call that takes a
// format string and its arguments.
func (r *Redactor) Args(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		out[i] = r.Value(a)
	}
	return out
}

// Handler returns a slog.Handler that redacts every record before h sees
// it: the message and every attribute, groups included. Wrapping the
// process's logger with it keeps the secrets out of every log line,
// whichever package writes it.
func (r *Redactor) Handler(h slog.Handler) slog.Handler { return redactingHandler{r: r, next: h} }

type redactingHandler struct {
	r    *Redactor
	next slog.Handler
}

func (h redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h redactingHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = h.attr(a)
	}
	return redactingHandler{r: h.r, next: h.next.WithAttrs(clean)}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{r: h.r, next: h.next.WithGroup(name)}
}

func (h redactingHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.String(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = h.attr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		return slog.Any(a.Key, h.r.Value(v.Any()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
