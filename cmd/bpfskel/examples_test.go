package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoGenerateFresh runs every "//go:generate go tool bpfskel gen …" line
// of the repository's examples with -check, as CI would, so a checked-in
// skeleton that gen would now write differently fails here.
func TestGoGenerateFresh(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "//go:generate go tool bpfskel gen "
	ran := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(src), "\n") {
			if !strings.HasPrefix(line, prefix) {
				continue
			}
			ran++
			args := strings.Fields(strings.TrimPrefix(line, prefix))
			dir := filepath.Dir(file)
			t.Run(filepath.Base(dir), func(t *testing.T) {
				f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.PackageClauseOnly)
				if err != nil {
					t.Fatal(err)
				}
				t.Setenv("GOPACKAGE", f.Name.Name)
				t.Chdir(dir)
				var stdout, stderr bytes.Buffer
				if err := run(&stdout, &stderr, append([]string{"gen", "-check"}, args...)); err != nil {
					t.Errorf("bpfskel gen -check %s in %s: %v\n%s%s", strings.Join(args, " "), dir, err, stderr.String(), stdout.String())
				}
			})
		}
	}
	if ran == 0 {
		t.Fatal("no go:generate lines running bpfskel gen in examples")
	}
}
