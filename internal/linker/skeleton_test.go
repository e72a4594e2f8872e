package linker_test

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"sort"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/google/go-cmp/cmp"
)

// TestSkeletonLikeLibbpf generates skeletons of bpfskel's and libbpf's
// link of cilium's linked1 and linked2: every exported name and type
// must be the same.
func TestSkeletonLikeLibbpf(t *testing.T) {
	got := mustLink(t, ciliumObject(t, "linked1-el.elf"), ciliumObject(t, "linked2-el.elf"))
	want := ciliumObject(t, "linked-el.elf").Data
	wantDecls := exportedDecls(t, skeleton(t, "libbpf.o", want))
	if len(wantDecls) < 10 {
		t.Fatalf("%d exported declarations in libbpf's skeleton: %q", len(wantDecls), wantDecls)
	}
	if diff := cmp.Diff(wantDecls, exportedDecls(t, skeleton(t, "bpfskel.o", got))); diff != "" {
		t.Errorf("skeletons differ (-libbpf +bpfskel):\n%s", diff)
	}
}

// skeleton returns the Go file gen writes for obj.
func skeleton(tb testing.TB, name string, obj []byte) []byte {
	tb.Helper()
	files, err := gen.Generate(gen.Options{Package: "linked", Ident: "Linked", Output: "linked.go", Objects: []gen.Input{{Path: name, Data: obj}}})
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".go") {
			return f.Data
		}
	}
	tb.Fatal("gen wrote no Go file")
	return nil
}

// exportedDecls lists the exported top-level declarations of a Go file,
// and the exported fields and methods of its types, as source text
// without comments, sorted.
func exportedDecls(tb testing.TB, src []byte) []string {
	tb.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		tb.Fatal(err)
	}
	print := func(n any) string {
		var b bytes.Buffer
		if err := printer.Fprint(&b, fset, n); err != nil {
			tb.Fatal(err)
		}
		return b.String()
	}
	var decls []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil {
				name = print(d.Recv.List[0].Type) + "." + name
			}
			decls = append(decls, "func "+name+" "+print(d.Type))
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() {
						decls = append(decls, "type "+s.Name.Name+" "+print(s.Type))
					}
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.IsExported() {
							decls = append(decls, d.Tok.String()+" "+n.Name)
						}
					}
				}
			}
		}
	}
	sort.Strings(decls)
	return decls
}

// TestLinkedDWARFCompletesTypes generates a skeleton of an object whose
// DWARF comes second in a link: struct item, which only DWARF has, must
// come out as from the object alone, so the DWARF sections (and their
// relocations) were merged right.
func TestLinkedDWARFCompletesTypes(t *testing.T) {
	alone := readInput(t, "../../testdata/dwarf_list.bpf.o")
	linked := mustLink(t, readInput(t, "../../testdata/link/dup.bpf.o"), alone)
	decls := func(obj []byte) []string {
		files, err := gen.Generate(gen.Options{Package: "p", Ident: "X", Output: "x.go", Types: []string{"item"}, Objects: []gen.Input{{Path: "x.o", Data: obj}}})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range exportedDecls(t, files[0].Data) {
			if strings.HasPrefix(d, "type Item ") || strings.HasPrefix(d, "type Node ") {
				out = append(out, d)
			}
		}
		return out
	}
	want := decls(alone.Data)
	if len(want) != 2 {
		t.Fatalf("dwarf_list.bpf.o alone gives %q, want Item and Node", want)
	}
	if diff := cmp.Diff(want, decls(linked)); diff != "" {
		t.Errorf("types from the linked object's DWARF differ (-alone +linked):\n%s", diff)
	}
}
