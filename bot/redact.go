package bot

import (
	"context"
	"encoding/base64"
	"encoding/hex"
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

// WithInteractionTokens returns a copy of r that also removes the token of
// an interaction or webhook from a URL path (/interactions/ID/TOKEN,
// /webhooks/ID/TOKEN, as Discord writes them): each is a credential for
// 15 minutes, and any log line of the process may quote one.
func (r *Redactor) WithInteractionTokens() *Redactor {
	return r.WithPattern(regexp.MustCompile(`((?:interactions|webhooks)/[0-9]+/)[A-Za-z0-9._\-]+`), "${1}"+Redacted)
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

// Error returns err with its text redacted. It returns err itself when
// no error in its tree (everything reachable through Unwrap() error and
// Unwrap() []error) quotes a secret. Otherwise the redacted error unwraps
// to the largest subtrees that quote none, so errors.As and errors.Is
// still reach a clean API error (its code, its retry-after) and never an
// error whose text holds the secret (a *url.Error quoting a request URL),
// even one wrapped by an error whose own text is clean.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := err.(*redactedError); ok {
		return err
	}
	budget := maxErrors
	clean, causes := r.cleanParts(err, &budget)
	if clean {
		return err
	}
	return &redactedError{msg: r.String(err.Error()), causes: causes}
}

// maxErrors bounds the walk of an error tree; the errors past it count as
// quoting a secret, so a huge tree is never reachable rather than never
// redacted.
const maxErrors = 1000

// cleanParts reports whether no error in err's tree quotes a secret, and
// returns err alone when so, else the maximal subtrees below it that quote
// none.
func (r *Redactor) cleanParts(err error, budget *int) (bool, []error) {
	if *budget--; *budget < 0 {
		return false, nil
	}
	if _, ok := err.(*redactedError); ok {
		return true, []error{err} // clean by construction, causes included
	}
	clean := r.clean(err.Error())
	var causes []error
	for _, c := range unwrapAll(err) {
		ok, parts := r.cleanParts(c, budget)
		clean = clean && ok
		causes = append(causes, parts...)
	}
	if clean {
		return true, []error{err}
	}
	return false, causes
}

// unwrapAll is the errors err wraps, whichever Unwrap it has.
func unwrapAll(err error) []error {
	var causes []error
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		causes = []error{u.Unwrap()}
	case interface{ Unwrap() []error }:
		causes = u.Unwrap()
	}
	out := causes[:0:0]
	for _, c := range causes {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

type redactedError struct {
	msg    string
	causes []error
}

func (e *redactedError) Error() string   { return e.msg }
func (e *redactedError) Unwrap() []error { return e.causes }

// maxNodes bounds the walk of a structured value as a whole, maxDepth its
// depth and maxItems what one slice or map shows: a log line needs no
// more, and a cyclic or huge value must not hang the logger.
const (
	maxNodes = 1000
	maxDepth = 8
	maxItems = 100
)

// Value returns a redacted stand-in for v to log or format in its place:
// strings and byte slices redacted as text, errors and Stringers by their
// redacted text, numbers and booleans as they are, and structs, maps,
// slices and pointers walked field by field (unexported fields too) into
// maps and slices of redacted values. %v, %+v and %#v of the result hold
// no secret, where %#v of the original prints byte slices as numbers that
// no string match finds. It never panics: a value it cannot walk (a
// String method that panics) is logged as "<unloggable TYPE>".
func (r *Redactor) Value(v any) (out any) {
	if v == nil {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			out = unloggable(reflect.TypeOf(v))
		}
	}()
	w := &walker{r: r, budget: maxNodes, seen: map[visit]bool{}}
	return w.walk(reflect.ValueOf(v), 0)
}

func unloggable(t reflect.Type) string { return "<unloggable " + t.String() + ">" }

var (
	errorType    = reflect.TypeFor[error]()
	stringerType = reflect.TypeFor[fmt.Stringer]()
)

// A walker walks one value. budget is the nodes it may still visit; seen
// holds the pointers, maps and slices on the path to the current node,
// which would be a cycle if met again.
type walker struct {
	r      *Redactor
	budget int
	seen   map[visit]bool
}

type visit struct {
	ptr uintptr
	typ reflect.Type
}

func (w *walker) walk(v reflect.Value, depth int) any {
	if !v.IsValid() {
		return nil
	}
	if w.budget <= 0 || depth > maxDepth {
		return "…"
	}
	w.budget--
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		if v.IsNil() {
			return nil
		}
	}
	if s, ok := w.text(v); ok {
		return s
	}
	switch v.Kind() {
	case reflect.String:
		return w.r.String(v.String())
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
	case reflect.Interface:
		return w.walk(v.Elem(), depth)
	case reflect.Pointer:
		cycle, leave := w.enter(v)
		defer leave()
		if cycle {
			return "<cycle>"
		}
		return w.walk(v.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return w.r.String(string(byteString(v)))
		}
		if v.Kind() == reflect.Slice && v.Len() > 0 {
			cycle, leave := w.enter(v)
			defer leave()
			if cycle {
				return "<cycle>"
			}
		}
		n := min(v.Len(), maxItems)
		out := make([]any, 0, n)
		for i := range n {
			out = append(out, w.walk(v.Index(i), depth+1))
		}
		if v.Len() > n {
			out = append(out, fmt.Sprintf("…%d more", v.Len()-n))
		}
		return out
	case reflect.Map:
		cycle, leave := w.enter(v)
		defer leave()
		if cycle {
			return "<cycle>"
		}
		return w.walkMap(v, depth)
	case reflect.Struct:
		out := make(map[string]any, v.NumField())
		for i := range v.NumField() {
			out[v.Type().Field(i).Name] = w.walk(v.Field(i), depth+1)
		}
		return out
	}
	return v.Type().String() // funcs, channels, unsafe pointers
}

// enter reports whether v (a pointer, map or non-empty slice) is on the
// path already, a cycle, and otherwise marks it until leave is called.
func (w *walker) enter(v reflect.Value) (cycle bool, leave func()) {
	k := visit{v.Pointer(), v.Type()}
	if w.seen[k] {
		return true, func() {}
	}
	w.seen[k] = true
	return false, func() { delete(w.seen, k) }
}

// text is the redacted Error() or String() of v when v has one that can
// be called: v is not nil (walk checked) and was not read through an
// unexported field. A method that panics makes v "<unloggable TYPE>".
func (w *walker) text(v reflect.Value) (s string, ok bool) {
	if !v.CanInterface() || v.Kind() == reflect.Interface {
		return "", false
	}
	var call func() string
	switch t := v.Type(); {
	case t.Implements(errorType):
		call = v.Interface().(error).Error
	case t.Implements(stringerType):
		call = v.Interface().(fmt.Stringer).String
	default:
		return "", false
	}
	defer func() {
		if p := recover(); p != nil {
			s, ok = unloggable(v.Type()), true
		}
	}()
	return w.r.String(call()), true
}

// byteString reads a slice or array of bytes one element at a time, which
// works whatever its element type is named and however it was reached
// (reflect.Copy refuses unexported fields and named byte types).
func byteString(v reflect.Value) string {
	b := make([]byte, v.Len())
	for i := range b {
		b[i] = byte(v.Index(i).Uint())
	}
	return string(b)
}

// walkMap walks a map's first maxItems entries. Keys that print the same
// (1 and "1", two keys that differ only in a secret) stay distinct: they
// are written with their type, and numbered if that is not enough.
func (w *walker) walkMap(v reflect.Value, depth int) map[string]any {
	type entry struct {
		key string
		typ string
		val reflect.Value
	}
	var entries []entry
	count := map[string]int{}
	iter := v.MapRange()
	for iter.Next() && len(entries) < maxItems {
		k := iter.Key()
		for k.Kind() == reflect.Interface && !k.IsNil() {
			k = k.Elem()
		}
		e := entry{key: fmt.Sprint(w.walk(k, depth+1)), typ: "nil", val: iter.Value()}
		if k.IsValid() && k.Kind() != reflect.Interface {
			e.typ = k.Type().String()
		}
		entries = append(entries, e)
		count[e.key]++
	}
	out := make(map[string]any, len(entries)+1)
	for _, e := range entries {
		key := e.key
		if count[key] > 1 {
			key = e.typ + "(" + key + ")"
		}
		for n := 2; ; n++ {
			if _, taken := out[key]; !taken {
				break
			}
			key = fmt.Sprintf("%s(%s) #%d", e.typ, e.key, n)
		}
		out[key] = w.walk(e.val, depth+1)
	}
	if v.Len() > len(entries) {
		more := "…"
		for _, taken := out[more]; taken; _, taken = out[more] {
			more += "…"
		}
		out[more] = fmt.Sprintf("%d entries in all", v.Len())
	}
	return out
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
