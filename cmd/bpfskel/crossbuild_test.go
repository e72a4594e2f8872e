package main

import (
	"os"
	"os/exec"
	"testing"

	"github.com/bpfskel/bpfskel/internal/testenv"
)

// TestCrossBuild builds the command for the systems people generate code
// on but do not load BPF on: the generator must not depend on the runtime
// (which needs Linux or a Unix) or on anything else Linux-only.
func TestCrossBuild(t *testing.T) {
	testenv.Slow(t) // compiles the standard library for two more systems
	goBin := testenv.Tool(t, "install Go", "go")
	for _, goos := range []string{"windows", "darwin"} {
		cmd := exec.Command(goBin, "build", "-o", os.DevNull, ".")
		cmd.Env = append(os.Environ(), "GOOS="+goos, "GOARCH=amd64", "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("GOOS=%s go build ./cmd/bpfskel: %v\n%s", goos, err, out)
		}
	}
}
