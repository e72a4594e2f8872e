package benchmarks

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// root is the repository root, relative to this package's directory.
const root = "../.."

// object is a checked-in BPF object used as benchmark input.
type object struct {
	name string // file name without .bpf.o, the sub-benchmark name
	path string // relative to the package directory
	data []byte
}

// invalidObjects are testdata objects that bpfskel gen rejects by design
// (they exist to test its errors), so there is nothing to time.
var invalidObjects = []string{
	"arena_nomap", // arena globals without an arena map
	"arena_two",   // two arena maps
	"gen_badsec",  // a program in a section no loader knows
	"gen_collide", // map names that collide in Go
}

// objects returns every checked-in BPF object of testdata and examples
// (little-endian ones, sorted by name) except the invalid ones.
func objects(tb testing.TB) []object {
	tb.Helper()
	var paths []string
	for _, pat := range []string{"testdata/*.bpf.o", "examples/*/*.bpf.o"} {
		m, err := filepath.Glob(filepath.Join(root, pat))
		if err != nil {
			tb.Fatal(err)
		}
		paths = append(paths, m...)
	}
	var objs []object
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".bpf.o")
		if slices.Contains(invalidObjects, name) {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		objs = append(objs, object{name: name, path: p, data: data})
	}
	if len(objs) == 0 {
		tb.Fatal("no BPF objects found under testdata and examples")
	}
	slices.SortFunc(objs, func(a, b object) int { return strings.Compare(a.name, b.name) })
	return objs
}

// readObject returns the contents of the object at path, relative to the
// repository root.
func readObject(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(root, path))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// objectName is the sub-benchmark name of the object at path: its file name
// without .bpf.o.
func objectName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), ".bpf.o")
}
