package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bpfskel/bpfskel/gen"
)

// TestWriteFiles: writeFiles writes every file or none, and leaves no
// temporary file behind.
func TestWriteFiles(t *testing.T) {
	tests := []struct {
		name    string
		files   []string // relative to the test's directory
		block   string   // a directory created where a file would go
		wantErr bool
	}{
		{name: "all", files: []string{"a.go", "sub/b.o", "c.d"}},
		{name: "missing-dir", files: []string{"a.go", "sub/b.o", "nodir/c.d"}, wantErr: true},
		{name: "dir-in-the-way", files: []string{"a.go", "sub/b.o", "c.d"}, block: "c.d", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tt.block != "" {
				if err := os.Mkdir(filepath.Join(dir, tt.block), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			var files []gen.File
			for _, f := range tt.files {
				files = append(files, gen.File{Path: filepath.Join(dir, f), Data: []byte(f)})
			}
			err := writeFiles(files, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("writeFiles: %v, want error %v", err, tt.wantErr)
			}
			for _, f := range tt.files {
				if f == tt.block {
					continue
				}
				data, rerr := os.ReadFile(filepath.Join(dir, f))
				switch {
				case err == nil && string(data) != f:
					t.Errorf("%s: %q, %v; want %q", f, data, rerr, f)
				case err != nil && !errors.Is(rerr, os.ErrNotExist):
					t.Errorf("%s written although writeFiles failed", f)
				}
			}
			tmps, _ := filepath.Glob(filepath.Join(dir, "*", ".*.tmp*"))
			top, _ := filepath.Glob(filepath.Join(dir, ".*.tmp*"))
			if left := slices.Concat(tmps, top); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}
