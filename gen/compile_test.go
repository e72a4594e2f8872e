package gen

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/testenv"
)

// testCC returns the C compiler for tests, skipping t under -short or when
// there is none.
func testCC(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles C; skipped under -short")
	}
	if cc := os.Getenv("BPFSKEL_CC"); cc != "" {
		return cc
	}
	return testenv.Tool(t, "apt-get install clang-19, or set BPFSKEL_CC", "clang-19", "clang")
}

// writeTree writes files (slash-separated path → contents) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const compileTestSource = `#include "inc/t.h"
#define SEC(n) __attribute__((section(n), used))
struct t_val v;
struct t_node { int x; struct t_node *next; } *root;
SEC("xdp") int prog(void *ctx) { v.a++; return 2; }
char LICENSE[] SEC("license") = "GPL";
`

func TestCompile(t *testing.T) {
	cc := testCC(t)
	// The same source in two places: the objects must be identical.
	dirs := []string{t.TempDir(), filepath.Join(t.TempDir(), "x y", "deeper")}
	var objs [][]byte
	for _, dir := range dirs {
		writeTree(t, dir, map[string]string{
			"t.bpf.c":  compileTestSource,
			"inc/t.h":  "struct t_val { unsigned long long a; };\n",
			"unused.h": "#error not included\n",
		})
		src := filepath.Join(dir, "t.bpf.c")
		for _, target := range Targets {
			c, err := Compile(context.Background(), CompileOptions{CC: cc, Source: src, Target: target})
			if err != nil {
				t.Fatalf("Compile %s %s: %v", src, target, err)
			}
			wantDeps := []string{src, filepath.Join(dir, "inc", "t.h")}
			if !slices.Equal(c.Deps, wantDeps) {
				t.Errorf("Compile %s %s: deps %q, want %q", src, target, c.Deps, wantDeps)
			}
			if bytes.Contains(c.Object, []byte(dir)) {
				t.Errorf("Compile %s %s: the object contains its directory", src, target)
			}
			objs = append(objs, c.Object)
			o, err := Parse(src, c.Object, &Options{Types: []string{"t_node"}})
			if err != nil {
				t.Fatalf("Parse the object of %s %s: %v", src, target, err)
			}
			if want := map[string]string{"bpfel": "little-endian", "bpfeb": "big-endian"}[target]; orderName(o.ByteOrder) != want {
				t.Errorf("Compile %s %s: a %s object", src, target, orderName(o.ByteOrder))
			}
		}
	}
	if !bytes.Equal(objs[0], objs[2]) || !bytes.Equal(objs[1], objs[3]) {
		t.Errorf("the same source in two directories compiled to different objects")
	}
	if bytes.Equal(objs[0], objs[1]) {
		t.Errorf("bpfel and bpfeb objects are the same")
	}
}

func TestCompileErrors(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"bad.c": "int f(void) { return nope; }\n", "ok.c": "int x;\n"})
	t.Run("target", func(t *testing.T) {
		_, err := Compile(context.Background(), CompileOptions{Source: filepath.Join(dir, "ok.c"), Target: "bpf"})
		if err == nil || !strings.Contains(err.Error(), `target "bpf"`) {
			t.Errorf("Compile: %v, want an error about the target", err)
		}
	})
	t.Run("no compiler", func(t *testing.T) {
		_, err := Compile(context.Background(), CompileOptions{CC: "bpfskel-no-such-cc", Source: filepath.Join(dir, "ok.c"), Target: "bpfel"})
		var ce *CompileError
		if !errors.As(err, &ce) || !errors.Is(err, exec.ErrNotFound) {
			t.Errorf("Compile: %v, want a *CompileError wrapping exec.ErrNotFound", err)
		}
	})
	t.Run("no source", func(t *testing.T) {
		_, err := Compile(context.Background(), CompileOptions{Source: filepath.Join(dir, "none.c"), Target: "bpfel"})
		if !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Compile: %v, want os.ErrNotExist", err)
		}
	})
	t.Run("diagnostics", func(t *testing.T) {
		cc := testCC(t)
		var stderr bytes.Buffer
		_, err := Compile(context.Background(), CompileOptions{CC: cc, Source: filepath.Join(dir, "bad.c"), Target: "bpfel", Stderr: &stderr})
		var ce *CompileError
		var ee *exec.ExitError
		if !errors.As(err, &ce) || !errors.As(err, &ee) {
			t.Errorf("Compile: %v, want a *CompileError wrapping an *exec.ExitError", err)
		}
		if !strings.Contains(stderr.String(), "bad.c:1:22: error: use of undeclared identifier 'nope'") {
			t.Errorf("Compile wrote diagnostics %q, want clang's", stderr.String())
		}
	})
}

func TestParseMakeDeps(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string
	}{
		{"one line", "out.o: a.c b.h\n", []string{"a.c", "b.h"}},
		{"continued", "out.o: a.c \\\n  inc/b.h \\\n  /usr/include/c.h\n", []string{"a.c", "inc/b.h", "/usr/include/c.h"}},
		{"escapes", `out.o: a\ b.c c\#d.h e$$f.h` + "\n", []string{"a b.c", "c#d.h", "e$f.h"}},
		{"no prerequisites", "out.o:\n", nil},
		{"crlf", "out.o: a.c \\\r\n b.h\r\n", []string{"a.c", "b.h"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseMakeDeps([]byte(tc.in))
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("parseMakeDeps(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
	if _, err := parseMakeDeps([]byte("garbage")); err == nil {
		t.Errorf("parseMakeDeps(garbage): no error")
	}
}

func TestWriteMakeDeps(t *testing.T) {
	var b bytes.Buffer
	err := WriteMakeDeps(&b, []MakeDepsRule{
		{Targets: []string{"out/x.go", "out/x_bpfel.o"}, Prereqs: []string{"src/x.c", "src/a b.h", "src/x.c", "$#.h"}},
		{Targets: []string{"y.go"}, Prereqs: []string{"y.c"}},
	})
	want := "out/x.go out/x_bpfel.o: \\\n  src/x.c \\\n  src/a\\ b.h \\\n  $$\\#.h\ny.go: \\\n  y.c\n"
	if err != nil || b.String() != want {
		t.Errorf("WriteMakeDeps wrote %q, %v; want %q", b.String(), err, want)
	}
	// What it writes reads back.
	got, err := parseMakeDeps([]byte(want[:strings.Index(want, "y.go")]))
	if err != nil || !slices.Equal(got, []string{"src/x.c", "src/a b.h", "$#.h"}) {
		t.Errorf("read back %q, %v", got, err)
	}
}

func TestObjectPathAndDefaultIdent(t *testing.T) {
	if got := ObjectPath("out/x.go", "bpfeb"); got != "out/x_bpfeb.o" {
		t.Errorf("ObjectPath = %q", got)
	}
	for in, want := range map[string]string{
		"dir/gen_basic.bpf.o": "GenBasic",
		"gen_basic.bpf.c":     "GenBasic",
		"x_bpfel.o":           "X",
		"x_arm64_bpfel.o":     "X",
		"x_s390_bpfeb.o":      "X",
		"x_arm64.o":           "XArm64",
		"src/counter.c":       "Counter",
		"types.bpfeb.o":       "Types",
	} {
		if got := DefaultIdent(in); got != want {
			t.Errorf("DefaultIdent(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStripDebugDefaultTool: without a tool, StripDebug finds llvm-strip-19
// (all Debian 12 has with llvm-19) before llvm-strip, and says what it
// looked for when there is neither.
func TestStripDebugDefaultTool(t *testing.T) {
	bin := t.TempDir()
	t.Setenv("PATH", bin)
	_, err := StripDebug(context.Background(), "", []byte("obj"))
	if err == nil || !errors.Is(err, exec.ErrNotFound) || !strings.Contains(err.Error(), "llvm-strip-19, llvm-strip") {
		t.Errorf("StripDebug with an empty $PATH: %v, want an error naming llvm-strip-19 and llvm-strip", err)
	}

	// Fake strips: copy the input and append their name.
	tools := []string{"llvm-strip-19", "llvm-strip"} // in the order of preference
	for _, name := range tools {
		script := "#!/bin/sh\n# args: -g -o OUT IN\n{ /bin/cat \"$4\"; printf " + name + "; } >\"$3\"\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range tools {
		got, err := StripDebug(context.Background(), "", []byte("obj:"))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != "obj:"+want {
			t.Errorf("StripDebug ran the tool that wrote %q, want %s", got, want)
		}
		if err := os.Remove(filepath.Join(bin, want)); err != nil {
			t.Fatal(err)
		}
	}
}
