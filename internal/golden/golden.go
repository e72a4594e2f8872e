package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// Check compares got with the contents of the golden file at path. With
// -update it writes got to path instead. On a mismatch it fails t and shows a
// line diff.
func Check(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	tb.Errorf("output differs from %s (-want +got), run with -update to accept:\n%s",
		path, cmp.Diff(splitLines(want), splitLines(got)))
}

// Updating reports whether the tests run with -update.
func Updating() bool { return *update }

func splitLines(b []byte) []string {
	var lines []string
	for _, l := range bytes.SplitAfter(b, []byte("\n")) {
		lines = append(lines, string(l))
	}
	return lines
}
