package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestWriteFilesTargets: what a write through each kind of path does.
func TestWriteFilesTargets(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(dir string) // makes dir/out (and dir/in)
		wantErr string           // substring; "" for success
		want    string           // the file holding the new data, relative to dir
	}{
		{name: "new", setup: func(string) {}, want: "out"},
		{name: "existing", setup: func(d string) { write(t, d, "out", "old") }, want: "out"},
		{name: "symlink", setup: func(d string) {
			write(t, d, "sub/real", "old")
			link(t, "sub/real", d, "out")
		}, wantErr: "write DIR/out: is a symbolic link: refusing to write through it"},
		{name: "dangling", setup: func(d string) { link(t, "missing", d, "out") },
			wantErr: "write DIR/out: is a symbolic link"},
		{name: "dir", setup: func(d string) { mkdir(t, d, "out") },
			wantErr: "write DIR/out: is a directory, want a file name"},
		{name: "fifo", setup: func(d string) {
			if err := syscall.Mkfifo(filepath.Join(d, "out"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, wantErr: "write DIR/out: not a regular file"},
		{name: "input", setup: func(d string) { write(t, d, "out", "in") },
			wantErr: "write DIR/out: it is also an input"},
		{name: "hard-link-of-input", setup: func(d string) {
			write(t, d, "in", "in")
			if err := os.Link(filepath.Join(d, "in"), filepath.Join(d, "out")); err != nil {
				t.Fatal(err)
			}
		}, wantErr: "write DIR/out: it is the input DIR/in (same file)"},
		{name: "input-through-symlink", setup: func(d string) {
			write(t, d, "real", "in")
			link(t, "real", d, "in")
			if err := os.Link(filepath.Join(d, "real"), filepath.Join(d, "out")); err != nil {
				t.Fatal(err)
			}
		}, wantErr: "write DIR/out: it is the input DIR/in (same file)"},
		{name: "hard-link-of-other", setup: func(d string) {
			write(t, d, "other", "other")
			if err := os.Link(filepath.Join(d, "other"), filepath.Join(d, "out")); err != nil {
				t.Fatal(err)
			}
		}, want: "out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(dir)
			out := filepath.Join(dir, "out")
			keep := []string{filepath.Join(dir, "in")}
			if tt.name == "input" {
				keep = []string{out}
			}
			before := snapshot(t, dir)
			err := WriteFiles([]File{{Path: out, Data: []byte("new")}}, 0o644, keep)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), dir, "DIR"), tt.wantErr) {
					t.Fatalf("WriteFiles: %v, want error %q", err, tt.wantErr)
				}
				if after := snapshot(t, dir); after != before {
					t.Errorf("files changed although WriteFiles failed:\n%s\nwas\n%s", after, before)
				}
				var ae *AliasError
				if strings.Contains(tt.wantErr, "input") && !errors.As(err, &ae) {
					t.Errorf("error %v is not an *AliasError", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, err := os.ReadFile(filepath.Join(dir, tt.want)); err != nil || string(got) != "new" {
				t.Errorf("%s: %q, %v; want %q", tt.want, got, err, "new")
			}
			if other, err := os.ReadFile(filepath.Join(dir, "other")); err == nil && string(other) != "other" {
				t.Errorf("other: %q: writing a hard link of it changed it", other)
			}
			if left, _ := filepath.Glob(filepath.Join(dir, "*", ".*.tmp*")); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

// TestWriteFilesUnchanged: a file with the same contents is not rewritten,
// even when it is an input.
func TestWriteFilesUnchanged(t *testing.T) {
	dir := t.TempDir()
	p := write(t, dir, "same", "data")
	old := time.Unix(1_000_000, 0)
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
	if err := WriteFiles([]File{{p, []byte("data")}}, 0o644, []string{p}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(p); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("unchanged file was rewritten (%v)", err)
	}
}

func write(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func link(t *testing.T, target, dir, name string) {
	t.Helper()
	if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
		t.Fatal(err)
	}
}

// snapshot describes every file under dir: names, kinds, contents.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel + " " + d.Type().String())
		if d.Type().IsRegular() {
			data, _ := os.ReadFile(p)
			b.WriteString(" " + string(data))
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}
