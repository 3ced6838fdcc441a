// Package deploy checks docker-compose.yml as docker compose loads it. It
// is a module of its own so that the compose loader and its dependencies
// are requirements of this check only, never of nocbot; it knows the
// repository's files by relative path and never imports nocbot.
package deploy

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

const repoRoot = ".."

func readRepoFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestComposeFile loads docker-compose.yml as docker compose does
// (compose-spec/compose-go: schema, interpolation, env_file), with
// .env.example as the .env an operator starts from.
func TestComposeFile(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"docker-compose.yml", "Dockerfile"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(readRepoFile(t, name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := readRepoFile(t, ".env.example") + "\nTELEGRAM_TOKEN=123:abcdefghijkl\n"
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(env), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{filepath.Join(dir, "docker-compose.yml")},
		cli.WithWorkingDirectory(dir), cli.WithName("nocbot"))
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}
	svc, ok := project.Services["nocbot"]
	if !ok {
		t.Fatalf("no service nocbot in %v", project.ServiceNames())
	}
	if svc.Build == nil || svc.Build.Dockerfile != "Dockerfile" {
		t.Errorf("build: %+v, want the Dockerfile beside it", svc.Build)
	}
	if !slices.Equal(svc.Command, types.ShellCommand{"serve"}) {
		t.Errorf("command %q, want serve", svc.Command)
	}
	hc := svc.HealthCheck
	if hc == nil || !slices.Equal(hc.Test, types.HealthCheckTest{"CMD", "nocbot", "health"}) {
		t.Errorf("healthcheck %+v, want CMD nocbot health", hc)
	}
	if svc.Restart != "unless-stopped" && svc.Restart != "always" {
		t.Errorf("restart %q", svc.Restart)
	}
	db := svc.Environment["NOCBOT_DB"]
	var dataVolume bool
	for _, v := range svc.Volumes {
		if v.Type == types.VolumeTypeVolume && v.Source == "nocbot-data" && db != nil && strings.HasPrefix(*db, v.Target+"/") {
			dataVolume = true
		}
	}
	if _, declared := project.Volumes["nocbot-data"]; !dataVolume || !declared {
		t.Errorf("the database (NOCBOT_DB=%v) is not on the named volume nocbot-data: %+v", db, svc.Volumes)
	}
	if tok := svc.Environment["TELEGRAM_TOKEN"]; tok == nil || *tok != "123:abcdefghijkl" {
		t.Errorf("TELEGRAM_TOKEN from .env did not reach the service: %v %+v", svc.Environment, svc.EnvFiles)
	}
	addr := svc.Environment["NOCBOT_HTTP_ADDR"]
	if addr == nil {
		t.Fatal("NOCBOT_HTTP_ADDR is not set in the service: the health check would look in the wrong place")
	}
	_, port, _ := strings.Cut(*addr, ":")
	for _, p := range svc.Ports {
		if p.Target != 0 && strconv.Itoa(int(p.Target)) != port {
			t.Errorf("port %d published, but nocbot listens on %s", p.Target, *addr)
		}
		if p.HostIP != "127.0.0.1" {
			t.Errorf("port %d published on %q: /metrics would be open to the network", p.Target, p.HostIP)
		}
	}
}
