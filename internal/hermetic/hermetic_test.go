package hermetic

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cases are the bpfskel invocations the test runs. inputs are files under
// the repository's testdata directory, copied into the read-only input
// directory; in args, "{in}" stands for that directory and "{out}" for the
// (empty, writable) output directory. Everything the command writes must go
// to {out}, and it must write something.
//
// ---- Add one line per invocation to test. ----
var cases = []struct {
	name   string
	inputs []string
	args   []string
}{
	{"types/types", []string{"types.bpf.o"}, []string{"types", "-pkg", "x", "-o", "{out}/types.go", "{in}/types.bpf.o"}},
	{"types/all", []string{"types_more.bpf.o"}, []string{"types", "-pkg", "x", "-all", "-o", "{out}/types.go", "{in}/types_more.bpf.o"}},
	{"gen/gen_basic", []string{"gen_basic.bpf.o"}, []string{"gen", "-pkg", "x", "-o", "{out}/x.go", "{in}/gen_basic.bpf.o"}},
	{"gen/gen_arena", []string{"gen_arena.bpf.o"}, []string{"gen", "-pkg", "x", "-o", "{out}/x.go", "{in}/gen_arena.bpf.o"}},
	{"gen/dwarf_list", []string{"dwarf_list.bpf.o"}, []string{"gen", "-pkg", "x", "-o", "{out}/x.go", "{in}/dwarf_list.bpf.o"}},
	{"gen/gen_basic_both_orders", []string{"gen_basic.bpf.o", "gen_basic.bpfeb.o"}, []string{"gen", "-pkg", "x", "-ident", "Basic", "-o", "{out}/basic.go", "{in}/gen_basic.bpf.o", "{in}/gen_basic.bpfeb.o"}},
	// gen compiling C itself; the empty environment has no $PATH, so -cc is
	// the pinned compiler's path.
	{"gen/c_source", []string{"gen_cc.bpf.c"}, []string{"gen", "-pkg", "x", "-cc", "{cc}", "-o", "{out}/cc.go", "{in}/gen_cc.bpf.c"}},
	{"gen/c_source_both_orders", []string{"gen_cc.bpf.c"}, []string{"gen", "-pkg", "x", "-cc", "{cc}", "-target", "bpfel,bpfeb", "-type", "cc_node", "-o", "{out}/cc.go", "{in}/gen_cc.bpf.c"}},
	{"gen/outdir", []string{"gen_basic.bpf.o", "gen_arena.bpf.o", "arena_list.bpf.o"}, []string{"gen", "-pkg", "x", "-outdir", "{out}", "{in}/gen_basic.bpf.o", "{in}/gen_arena.bpf.o", "{in}/arena_list.bpf.o"}},
	{"gen/outdir_c_and_objects", []string{"gen_cc.bpf.c", "gen_basic.bpf.o"}, []string{"gen", "-pkg", "x", "-cc", "{cc}", "-outdir", "{out}", "{in}/gen_cc.bpf.c", "{in}/gen_basic.bpf.o"}},
	// Static linking, alone (bpfskel link, as a Bazel genrule runs it before
	// gen) and inside gen given several objects of one byte order.
	{"link/arena_list", []string{"link/lib.bpf.o", "link/a.bpf.o", "link/b.bpf.o"}, []string{"link", "-o", "{out}/list.o", "{in}/link/lib.bpf.o", "{in}/link/a.bpf.o", "{in}/link/b.bpf.o"}},
	{"gen/linked", []string{"link/lib.bpf.o", "link/a.bpf.o", "link/b.bpf.o"}, []string{"gen", "-pkg", "x", "-ident", "List", "-o", "{out}/list.go", "{in}/link/lib.bpf.o", "{in}/link/a.bpf.o", "{in}/link/b.bpf.o"}},
}

// ---- End of cases. ----

func TestHermetic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds bpfskel with go build; skipped under -short")
	}
	bin := buildBpfskel(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if slices.ContainsFunc(tc.args, func(a string) bool { return a == "{cc}" }) && cc == "" {
				t.Skip("no C compiler: set $BPFSKEL_CC or install clang-19")
			}
			// A normal run: the caller's environment, relative paths, the
			// working directory holding both input and output.
			normal := newLayout(t, tc.inputs)
			runBpfskel(t, bin, normal.root, nil, expand(tc.args, "in", "out"))
			want := normal.outputs(t)
			if len(want) == 0 {
				t.Fatalf("bpfskel %s wrote nothing to the output directory", strings.Join(tc.args, " "))
			}

			// Two hermetic runs in different directories, each with an empty
			// environment, read-only inputs and a working directory of its
			// own, with paths relative to it as Bazel passes them (bpfskel
			// types keeps an absolute source path as given, so absolute paths
			// would show in its header).
			for i, wd := range [][]string{{"wd"}, {"a", "b", "wd"}} {
				h := newLayout(t, tc.inputs)
				h.makeReadOnly(t)
				cwd := filepath.Join(append([]string{h.root}, wd...)...)
				if err := os.MkdirAll(cwd, 0o755); err != nil {
					t.Fatal(err)
				}
				up := strings.Repeat("../", len(wd))
				before := snapshot(t, h.in)
				runBpfskel(t, bin, cwd, []string{}, expand(tc.args, up+"in", up+"out"))
				if after := snapshot(t, h.in); !sameFiles(before, after) {
					t.Errorf("hermetic run %d changed its read-only input directory", i+1)
				}
				compareOutputs(t, want, h.outputs(t), i+1)
			}
		})
	}
}

// buildBpfskel builds cmd/bpfskel once into a temporary directory and
// returns the binary's path.
func buildBpfskel(t *testing.T) string {
	t.Helper()
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build bpfskel: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "bpfskel")
	cmd := exec.Command(gocmd, "build", "-o", bin, "github.com/bpfskel/bpfskel/cmd/bpfskel")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/bpfskel: %v\n%s", err, out)
	}
	return bin
}

// layout is one run's directories: root holds in (the inputs) and out (the
// outputs, empty before the run).
type layout struct {
	root, in, out string
}

// newLayout creates a layout in a new temporary directory with the given
// testdata files copied into its input directory.
func newLayout(t *testing.T, inputs []string) layout {
	t.Helper()
	root := t.TempDir()
	l := layout{root: root, in: filepath.Join(root, "in"), out: filepath.Join(root, "out")}
	for _, dir := range []string{l.in, l.out} {
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range inputs {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(l.in, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(l.in, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// makeReadOnly makes the input directory and its files read-only, and
// restores write permission when the test ends so that it can be removed.
// Root ignores these permissions; snapshot comparisons catch writes then.
func (l layout) makeReadOnly(t *testing.T) {
	t.Helper()
	err := filepath.WalkDir(l.in, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chmod(path, 0o444)
	})
	if err == nil {
		err = os.Chmod(l.in, 0o555)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(l.in, 0o755) })
}

// outputs returns the files in the output directory, by path relative to
// it, with their contents.
func (l layout) outputs(t *testing.T) map[string][]byte {
	t.Helper()
	return snapshot(t, l.out)
}

// snapshot returns every file and directory under dir, by slash-separated
// path relative to dir (directories with a trailing slash), with its mode and
// contents.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			files[filepath.ToSlash(rel)+"/"] = []byte(info.Mode().String())
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = append([]byte(info.Mode().String()+"\n"), data...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// runBpfskel runs bin with args in dir and environment env (nil: this
// process's) and fails t unless it succeeds silently.
func runBpfskel(t *testing.T, bin, dir string, env, args []string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = env // an empty, non-nil slice is an empty environment
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("bpfskel %s (in %s, env %q): %v\nstdout:\n%s\nstderr:\n%s",
			strings.Join(args, " "), dir, env, err, stdout.Bytes(), stderr.Bytes())
	}
}

// expand replaces {in} and {out} in args.
func expand(args []string, in, out string) []string {
	r := strings.NewReplacer("{in}", in, "{out}", out, "{cc}", cc)
	expanded := make([]string, len(args))
	for i, a := range args {
		expanded[i] = r.Replace(a)
	}
	return expanded
}

// cc is the absolute path of the C compiler that {cc} stands for (the
// hermetic runs have no $PATH): $BPFSKEL_CC, else clang-19, else clang, as
// found on the test's $PATH; "" when there is none.
var cc = func() string {
	for _, name := range []string{os.Getenv("BPFSKEL_CC"), "clang-19", "clang"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				return abs
			}
		}
	}
	return ""
}()

// compareOutputs fails t unless got has the same files with the same bytes
// (and modes) as want, the normal run's output.
func compareOutputs(t *testing.T, want, got map[string][]byte, run int) {
	t.Helper()
	names := func(m map[string][]byte) []string {
		s := make([]string, 0, len(m))
		for k := range m {
			s = append(s, k)
		}
		slices.Sort(s)
		return s
	}
	if w, g := names(want), names(got); !slices.Equal(w, g) {
		t.Fatalf("hermetic run %d wrote %q, the normal run %q", run, g, w)
	}
	for _, name := range names(want) {
		if !bytes.Equal(want[name], got[name]) {
			t.Errorf("hermetic run %d: %s differs from the normal run's (-normal +hermetic):\n%s",
				run, name, cmp.Diff(strings.Split(string(want[name]), "\n"), strings.Split(string(got[name]), "\n")))
		}
	}
}

// sameFiles reports whether two snapshots are the same.
func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}
