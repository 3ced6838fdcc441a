package main

// What an operator runs nocbot with (Dockerfile, .env.example, the
// README's configuration table) checked against the code: no Docker engine
// is needed, so these run in every `go test`. docker-compose.yml is checked
// in the module deploy/, so that the compose loader is no requirement of
// nocbot itself.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const repoRoot = "../.."

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// settingNames lists the environment variables the code reads: the string
// literals NOCBOT_*, TELEGRAM_* and DISCORD_* in the non-test sources of
// serve and the adapters' configuration.
func settingNames(t *testing.T) []string {
	t.Helper()
	name := regexp.MustCompile(`^"(NOCBOT|TELEGRAM|DISCORD)_[A-Z0-9_]+"$`)
	seen := map[string]bool{}
	for _, dir := range []string{".", "../../bot/telegram", "../../bot/discord"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && name.MatchString(lit.Value) {
					v, _ := strconv.Unquote(lit.Value)
					seen[v] = true
				}
				return true
			})
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) < 15 {
		t.Fatalf("found only %d setting names (%v): the scan is broken", len(names), names)
	}
	return names
}

func TestEverySettingIsDocumented(t *testing.T) {
	readme := readRepoFile(t, "README.md")
	var table []string
	for _, line := range strings.Split(readme, "\n") {
		if strings.HasPrefix(line, "| `") {
			table = append(table, line)
		}
	}
	example := readRepoFile(t, ".env.example")
	for _, name := range settingNames(t) {
		inTable := slices.ContainsFunc(table, func(row string) bool { return strings.Contains(row, "`"+name+"`") })
		if !inTable {
			t.Errorf("%s is read by the code but not in the README's configuration table", name)
		}
		if name == "NOCBOT_ENV_FILE" {
			continue // says where the file is: meaningless inside it
		}
		if !regexp.MustCompile(`(?m)^(# )?` + name + `=`).MatchString(example) {
			t.Errorf("%s is not in .env.example (as %s= or # %s=)", name, name, name)
		}
	}
	// The flags in the table are serve's flags.
	for _, s := range serveSettings() {
		row := "| `" + s.env + "` | `--" + s.flag + "` |"
		if !strings.Contains(readme, row) {
			t.Errorf("README table lacks the row %s", row)
		}
	}
	// .env.example holds no secret: every token and secret is empty.
	for _, line := range strings.Split(example, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if ok && !strings.HasPrefix(k, "#") && (strings.Contains(k, "TOKEN") || strings.Contains(k, "SECRET")) && v != "" {
			t.Errorf(".env.example sets %s", k)
		}
	}
}

// TestDockerfile checks what the image promises: cgo in the build, a
// non-root user, the health check and command nocbot has.
func TestDockerfile(t *testing.T) {
	df := readRepoFile(t, "Dockerfile")
	for _, want := range []string{
		"CGO_ENABLED=1 go build",                             // SQLite is cgo
		"FROM debian:bookworm-slim",                          // the glibc the build stage linked against
		"USER nocbot",                                        // not root
		`CMD ["nocbot", "health"]`,                           // HEALTHCHECK
		`ENTRYPOINT ["nocbot"]`,                              //
		`CMD ["serve"]`,                                      //
		"NOCBOT_HTTP_ADDR=:8080",                             // reachable from outside the container
		"NOCBOT_DB=/data/nocbot.db",                          // on the volume
		"VOLUME /data",                                       //
		"FROM golang:1.26-bookworm ",                         // the Go of go.mod
		"/etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/", // https to Telegram and Discord
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	// Tokens stay out of the build context.
	ignore := readRepoFile(t, ".dockerignore")
	for _, want := range []string{".env", "*.db"} {
		if !slices.Contains(strings.Fields(ignore), want) {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
	if goMod := readRepoFile(t, "go.mod"); !strings.Contains(goMod, "\ngo 1.26") {
		t.Error("go.mod's Go version no longer matches the Dockerfile's golang:1.26 image")
	}
	// The commands the image runs exist.
	for _, args := range [][]string{{"serve", "--help"}, {"health", "--help"}} {
		if code, _, stderr := runCmd(t, "", noEnv(t), args...); code != 0 {
			t.Errorf("nocbot %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
	}
}

// TestBinary builds nocbot with the Dockerfile's link flags (not its
// -trimpath, which would recompile SQLite outside the build cache) and
// runs the machine interface as tools do, as a separate process on a fresh
// environment: no configuration, no database file, no network.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "nocbot")
	build := exec.Command("go", "build", "-ldflags=-s -w", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=1")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := t.TempDir()
	run := func(stdin string, args ...string) (string, string, int) {
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
		cmd.Dir = t.TempDir()
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), code
	}
	out, stderr, code := run("需要什么学历？\nwhat is the noc code for medical records technicians\nhow much do they earn\n", "classify")
	want := []string{`"intent":"requirements","lang":"zh","noc":""`, `"intent":"lookup","lang":"en","noc":"12111","noc_2011":"1252"`, `"intent":"out_of_scope","lang":"en","noc":""`}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != len(want) {
		t.Fatalf("classify: exit %d, %d lines\n%s%s", code, len(lines), out, stderr)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) || !strings.Contains(lines[i], `"confidence":`) {
			t.Errorf("classify line %d: %s, want %s", i+1, lines[i], w)
		}
	}
	if out, stderr, code := run("", "ask", "病历技师的NOC代码是多少？"); code != 0 || !strings.Contains(out, "NOC 1252") {
		t.Errorf("ask: exit %d\n%s%s", code, out, stderr)
	}
	if _, stderr, code := run("", "serve"); code == 0 || !strings.Contains(stderr, "TELEGRAM_TOKEN") {
		t.Errorf("serve with no token: exit %d, %q", code, stderr)
	}
}
