package gen

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestRenames checks that -rename resolves a Go name collision and that
// malformed or unused renames are errors.
func TestRenames(t *testing.T) {
	data, err := os.ReadFile("../testdata/gen_collide.bpf.o")
	if err != nil {
		t.Fatal(err)
	}
	obj := []Input{{Path: "../testdata/gen_collide.bpf.o", Data: data}}
	_, err = Generate(Options{Package: "p", Output: t.TempDir() + "/x.go", Objects: obj})
	if !errors.Is(err, ErrNameCollision) || !strings.Contains(err.Error(), "-rename map:ring__buf=GoName") {
		t.Fatalf("without a rename: %v", err)
	}
	o, err := Parse("gen_collide.bpf.o", data, &Options{Renames: []string{"map:ring__buf=RingBuf2", "prog:touch=Touch2"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range o.Maps {
		got = append(got, m.Name+"="+m.GoName)
	}
	for _, p := range o.Programs {
		got = append(got, p.Name+"="+p.GoName)
	}
	if want := "ring_buf=RingBuf ring__buf=RingBuf2 touch=Touch2"; strings.Join(got, " ") != want {
		t.Fatalf("names %q, want %q", strings.Join(got, " "), want)
	}
	if _, err := Generate(Options{Package: "p", Output: t.TempDir() + "/x.go", Objects: obj, Renames: []string{"map:ring__buf=RingBuf2"}}); err != nil {
		t.Fatalf("with a rename: %v", err)
	}
	for _, tc := range []struct{ rename, want string }{
		{"map:ring__buf", "want KIND:CNAME=GoName"},
		{"type:ring__buf=X", `kind "type"`},
		{"map:ring__buf=ringBuf2", "not an exported Go identifier"},
		{"map:no_such_map=X", "rename map:no_such_map: no such map, program or section"},
	} {
		_, err := Parse("gen_collide.bpf.o", data, &Options{Renames: []string{"map:ring__buf=RingBuf2", tc.rename}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("rename %q: %v, want an error saying %q", tc.rename, err, tc.want)
		}
	}
	// A rename onto one of the skeleton's own fields is refused too.
	basic, err := os.ReadFile("../testdata/gen_basic.bpf.o")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse("gen_basic.bpf.o", basic, &Options{Renames: []string{"section:.data.extra=Maps"}})
	if !errors.Is(err, ErrNameCollision) || !strings.Contains(err.Error(), "section .data.extra becomes Go field Maps, which the skeleton has already") {
		t.Errorf("rename onto Maps: %v", err)
	}
}
