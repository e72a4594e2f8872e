package gen

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/golden"
	"golang.org/x/tools/txtar"
)

// goldenCase is one skeleton generated for the golden tests: one testdata
// object, or a byte-order pair.
type goldenCase struct {
	name    string   // subtest and golden file name
	objects []string // paths under ../testdata
}

// rejected are the testdata objects gen must refuse, with the error.
var rejected = map[string]error{
	"gen_collide": ErrNameCollision,
	"gen_badsec":  ErrUnsupported,
	"arena_nomap": ErrNoArenaMap,
	"arena_two":   ErrMultipleArenas,
}

// checkRejected fails tb unless err is what rejected says for case name.
func checkRejected(tb testing.TB, name string, err error) {
	tb.Helper()
	want, ok := rejected[name]
	switch {
	case !ok && err != nil:
		tb.Errorf("gen rejects %s: %v", name, err)
	case ok && !errors.Is(err, want):
		tb.Errorf("gen: %v, want an error wrapping %v", err, want)
	}
}

// goldenCases lists every testdata object, and the byte-order pairs.
func goldenCases(tb testing.TB) []goldenCase {
	tb.Helper()
	objs, err := filepath.Glob("../testdata/*.bpf.o")
	if err != nil {
		tb.Fatal(err)
	}
	if len(objs) == 0 {
		tb.Fatal("no testdata objects")
	}
	slices.Sort(objs)
	var cases []goldenCase
	for _, o := range objs {
		stem := strings.TrimSuffix(filepath.Base(o), ".bpf.o")
		cases = append(cases, goldenCase{name: stem, objects: []string{o}})
		eb := strings.TrimSuffix(o, ".bpf.o") + ".bpfeb.o"
		if _, err := os.Stat(eb); err == nil {
			cases = append(cases, goldenCase{name: stem + "_pair", objects: []string{o, eb}})
		}
	}
	return cases
}

// generateCase runs Generate for c with the output next to the objects
// (so no copy is made). It returns the files, or the error.
func generateCase(tb testing.TB, c goldenCase) ([]File, *Object, error) {
	tb.Helper()
	stem := strings.TrimSuffix(filepath.Base(c.objects[0]), ".bpf.o")
	opts := Options{
		Package: "skel",
		Output:  filepath.Join(filepath.Dir(c.objects[0]), stem+".go"),
	}
	for _, p := range c.objects {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		opts.Objects = append(opts.Objects, Input{Path: p, Data: data})
	}
	files, err := Generate(opts)
	if err != nil {
		return nil, nil, err
	}
	o, err := Parse(filepath.Base(c.objects[0]), opts.Objects[0].Data, &opts)
	return files, o, err
}

// TestGolden generates a skeleton and an inspect report for every testdata
// object and compares them with testdata/golden/gen/NAME.txtar. An object
// gen rejects has its error there instead.
func TestGolden(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			var ar txtar.Archive
			files, o, err := generateCase(t, c)
			checkRejected(t, c.name, err)
			if err != nil {
				ar.Files = append(ar.Files, txtar.File{Name: "error", Data: []byte(err.Error() + "\n")})
			} else {
				for _, f := range files {
					if !strings.HasSuffix(f.Path, ".go") {
						t.Errorf("unexpected file %s: the output is next to the object", f.Path)
						continue
					}
					checkFormatted(t, filepath.Base(f.Path), f.Data)
					ar.Files = append(ar.Files, txtar.File{Name: filepath.Base(f.Path), Data: f.Data})
				}
				var report bytes.Buffer
				if err := Inspect(&report, o); err != nil {
					t.Fatal(err)
				}
				ar.Files = append(ar.Files, txtar.File{Name: "inspect", Data: report.Bytes()})
			}
			golden.Check(t, filepath.Join("../testdata/golden/gen", c.name+".txtar"), txtar.Format(&ar))
		})
	}
}

// TestDeterministic generates every skeleton twice, the second time from
// another working directory, and wants the same bytes.
func TestDeterministic(t *testing.T) {
	for _, c := range goldenCases(t) {
		t.Run(c.name, func(t *testing.T) {
			first, _, err := generateCase(t, c)
			if err != nil {
				checkRejected(t, c.name, err)
				return
			}
			abs := goldenCase{name: c.name}
			for _, p := range c.objects {
				a, err := filepath.Abs(p)
				if err != nil {
					t.Fatal(err)
				}
				abs.objects = append(abs.objects, a)
			}
			t.Chdir(t.TempDir())
			second, _, err := generateCase(t, abs)
			if err != nil {
				t.Fatal(err)
			}
			if len(first) != len(second) {
				t.Fatalf("%d files, then %d", len(first), len(second))
			}
			for i := range first {
				if !bytes.Equal(first[i].Data, second[i].Data) {
					t.Errorf("%s differs when generated from another directory with absolute paths", first[i].Path)
				}
			}
		})
	}
}
