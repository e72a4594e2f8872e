// Package testenv decides whether a slow test or a test that needs an
// external tool runs, skips with a reason, or fails because the
// environment demands that it run.
//
// Two switches, both set by CI:
//   - BPFSKEL_TEST_ALL=1 (make test-all) runs the slow, machine-wide checks
//     that make test leaves out to stay fast: compiling the whole kernel's
//     types, vetting and staticchecking every generated skeleton, and the like.
//   - BPFSKEL_REQUIRE_KERNEL=1 turns a missing tool (clang-19, staticcheck,
//     bpftool, …) into a failure instead of a skip, as it does for a missing
//     kernel feature (see internal/kerneltest).
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
)

// AllEnv is the environment variable that runs the slow tests.
const AllEnv = "BPFSKEL_TEST_ALL"

// Slow skips tb unless BPFSKEL_TEST_ALL=1 (make test-all, CI). Call it
// first, before any work, so make test pays nothing for the test.
func Slow(tb testing.TB) {
	tb.Helper()
	if os.Getenv(AllEnv) != "1" {
		tb.Skipf("slow: runs under make test-all (%s=1)", AllEnv)
	}
}

// Tool returns the path of the first of names found in $PATH or in
// $(go env GOPATH)/bin. When none is found it skips tb, or fails it when
// BPFSKEL_REQUIRE_KERNEL=1, naming the tool and how to install it. Call it
// before any slow work, so a missing tool costs nothing.
func Tool(tb testing.TB, install string, names ...string) string {
	tb.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
			for _, name := range names {
				p := filepath.Join(dir, "bin", name)
				if _, err := os.Stat(p); err == nil {
					return p
				}
			}
		}
	}
	kerneltest.Skip(tb, strings.Join(names, " or ")+" not found: "+install)
	return ""
}
