package gen

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/golden"
)

// manySharedOptions are three skeletons of one -outdir package whose
// objects share struct event and enum kind (and map, global and program
// names): gen/internal/e2e/manyshared.
func manySharedOptions(t *testing.T) []Options {
	var opts []Options
	for _, x := range []string{"a", "b", "c"} {
		in := readInput(t, "../testdata/many_"+x+".bpf.o")
		ident := "Many" + strings.ToUpper(x)
		opts = append(opts, Options{Package: "manyshared", Ident: ident, Output: "internal/e2e/manyshared/" + strings.ToLower(ident) + ".go",
			Objects: []Input{in}, Types: []string{"event"}})
	}
	return opts
}

// TestManyShared: identical C type declarations of skeletons generated
// together into one directory are written once, in SharedFile; the
// checked-in package (loaded and run by its own test) is what
// GenerateMany writes. go test -run TestManyShared -update rewrites it.
func TestManyShared(t *testing.T) {
	results, err := GenerateMany(manySharedOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, files := range results {
		for _, f := range files {
			paths = append(paths, filepath.ToSlash(f.Path))
			golden.Check(t, filepath.Clean(f.Path), f.Data)
		}
	}
	want := []string{
		"internal/e2e/manyshared/manya.go", "internal/e2e/manyshared/many_a.bpf.o", "internal/e2e/manyshared/" + SharedFile,
		"internal/e2e/manyshared/manyb.go", "internal/e2e/manyshared/many_b.bpf.o",
		"internal/e2e/manyshared/manyc.go", "internal/e2e/manyshared/many_c.bpf.o",
	}
	if !slices.Equal(paths, want) {
		t.Errorf("files %q, want %q", paths, want)
	}
	shared := results[0][2].Data
	for _, w := range []string{"\ntype Event struct {", "\ntype Kind uint32", "\tKindA    Kind = 1\n", "func (e Kind) String() string", "unsafe.Sizeof(Event{})"} {
		if !bytes.Contains(shared, []byte(w)) {
			t.Errorf("%s lacks %q", SharedFile, w)
		}
	}
	for _, files := range results {
		if bytes.Contains(files[0].Data, []byte("type Event struct")) || bytes.Contains(files[0].Data, []byte("Kind) String")) {
			t.Errorf("%s still declares Event or Kind", files[0].Path)
		}
	}

	// Different declarations under one name are still an error.
	opts := manySharedOptions(t)
	opts[2].Objects = []Input{readInput(t, "../testdata/events.bpf.o")}
	opts[2].Types = []string{"event"}
	if _, err := GenerateMany(opts); err == nil || !strings.Contains(err.Error(), "both declare Event") {
		t.Errorf("GenerateMany with two different struct event: %v, want a clash on Event", err)
	}
}
