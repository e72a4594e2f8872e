package gen

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"
)

// TestNamesStable generates one skeleton (same -ident) from
// testdata/names_a.bpf.o and from names_b.bpf.o, the same C source plus
// an unrelated map (with an anonymous value type, sorting first), struct,
// global and program, and wants every declaration of the first in the
// second unchanged: the types and constants byte for byte, and every
// field of the skeleton's own structs.
func TestNamesStable(t *testing.T) {
	decls := func(path string) map[string]string {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files, err := Generate(Options{Package: "p", Ident: "Names", Output: "../testdata/names.go", Objects: []Input{{Path: path, Data: data}}})
		if err != nil {
			t.Fatal(err)
		}
		return declarations(t, files[0].Data)
	}
	a, b := decls("../testdata/names_a.bpf.o"), decls("../testdata/names_b.bpf.o")
	if len(a) < 10 {
		t.Fatalf("only %d declarations in names_a's skeleton", len(a))
	}
	var names []string
	for n := range a {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		got, ok := b[n]
		switch {
		case !ok:
			t.Errorf("%s is gone after adding unrelated C declarations", n)
		case strings.HasPrefix(n, "Names") && strings.Contains(a[n], " struct {"):
			// The skeleton's own structs and the section structs gain
			// fields (and realign); no field may change its name or type.
			want, have := fieldsOf(a[n]), fieldsOf(got)
			for name, typ := range want {
				if name != "_" && have[name] != typ {
					t.Errorf("%s: field %s %s became %q after adding unrelated C declarations", n, name, typ, have[name])
				}
			}
		case got != a[n] && !strings.HasPrefix(n, "Names") && !strings.HasPrefix(n, "LoadNames"):
			t.Errorf("%s changed after adding unrelated C declarations:\n%s\nbecame\n%s", n, a[n], got)
		}
	}
}

// declarations maps every package-level name of a Go file (types,
// constants, variables, functions; methods as Type.Method) to the source
// of its declaration.
func declarations(tb testing.TB, src []byte) map[string]string {
	tb.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		tb.Fatal(err)
	}
	text := func(n ast.Node) string {
		return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
	}
	out := map[string]string{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			name := d.Name.Name
			if d.Recv != nil {
				typ := d.Recv.List[0].Type
				if s, ok := typ.(*ast.StarExpr); ok {
					typ = s.X
				}
				if id, ok := typ.(*ast.Ident); ok {
					name = id.Name + "." + name
				}
			}
			out[name] = text(d)
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					out[s.Name.Name] = text(s)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						if n.Name != "_" {
							out[n.Name] = text(s)
						}
					}
				}
			}
		}
	}
	return out
}

// fieldsOf maps the named fields of a struct declaration's source to their
// types.
func fieldsOf(src string) map[string]string {
	fields := map[string]string{}
	for line := range strings.Lines(src) {
		f := strings.Fields(line)
		if len(f) >= 2 && !strings.HasPrefix(f[0], "//") && !strings.HasSuffix(line, "{\n") {
			fields[f[0]] = strings.Join(f[1:], " ")
		}
	}
	return fields
}
