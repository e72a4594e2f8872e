package btf2go

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestRuntimeNames checks every runtime identifier btf2go writes against
// the source of package runtime: it exists, is a type or a function as
// runtimeNames says, takes that many type parameters, and has its
// big-endian twin where one is expected.
func TestRuntimeNames(t *testing.T) {
	type declared struct {
		isType     bool
		typeParams int
	}
	files, err := filepath.Glob("../runtime/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no runtime sources: %v", err)
	}
	decls := map[string]declared{}
	fset := token.NewFileSet()
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					decls[d.Name.Name] = declared{typeParams: d.Type.TypeParams.NumFields()}
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						decls[ts.Name.Name] = declared{isType: true, typeParams: ts.TypeParams.NumFields()}
					}
				}
			}
		}
	}
	if len(runtimeNames) == 0 {
		t.Fatal("no runtime names")
	}
	for _, r := range runtimeNames {
		names := []string{r.name}
		if r.byteOrder {
			names = append(names, r.name+"BE")
		}
		for _, n := range names {
			d, ok := decls[n]
			switch {
			case !ok:
				t.Errorf("runtime declares no %s", n)
			case d.isType != r.isType:
				t.Errorf("runtime.%s: type %v, btf2go expects type %v", n, d.isType, r.isType)
			case d.typeParams != r.typeParams:
				t.Errorf("runtime.%s: %d type parameters, btf2go expects %d", n, d.typeParams, r.typeParams)
			}
		}
	}
}
