package gen

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// ErrBadOutput reports generated code that failed the check before
// writing ([CheckSource]): an internal error, never the input's fault.
var ErrBadOutput = errors.New("internal error: generated code failed its check")

// CheckSource is the last check of a generated Go file before it is
// written (gen's skeletons and `bpfskel types`' declarations): src must
// parse, and its only directive comments may be the generator's own: one
// //go:build line before the package clause, and //go:embed on the
// variable holding the embedded object. Any other //go:, //line, /*line,
// //export or //extern comment, or a comment mentioning #cgo, fails it,
// as does an import of "C". name names the file in the error, which wraps
// ErrBadOutput.
func CheckSource(name string, src []byte) error {
	return checkSource(name, src, false)
}

// fragmentHead starts a fragment for checkSource: a package clause on
// its first line, so that the fragment's lines keep their numbers.
const fragmentHead = "package p; "

// checkHeaded is CheckSource for a run of top-level declarations (no
// package clause, no imports, no //go:build line) after fragmentHead,
// such as the part of a file between its imports and its last
// declarations. A file whose start (through the imports) and rest each
// pass is a file that passes.
func checkHeaded(name string, src []byte) error { return checkSource(name, src, true) }

func checkSource(name string, src []byte, fragment bool) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return fmt.Errorf("%s: %w: does not parse: %s", name, ErrBadOutput, firstLine(err.Error()))
	}
	if fragment && len(f.Imports) > 0 {
		return fmt.Errorf("%s: %w: imports after declarations", name, ErrBadOutput)
	}
	embeds := map[*ast.Comment]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR || g.Doc == nil || len(g.Specs) != 1 {
			continue
		}
		if vs := g.Specs[0].(*ast.ValueSpec); len(vs.Names) == 1 && len(vs.Values) == 0 && isByteSlice(vs.Type) {
			if last := g.Doc.List[len(g.Doc.List)-1]; strings.HasPrefix(last.Text, "//go:embed ") {
				embeds[last] = true
			}
		}
	}
	builds := 0
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			switch {
			case strings.HasPrefix(c.Text, "//go:build ") && c.Pos() < f.Package && !fragment:
				if builds++; builds > 1 {
					return directiveError(fset, name, c)
				}
			case embeds[c]:
			case strings.HasPrefix(c.Text, "//go:"), strings.HasPrefix(c.Text, "//line "),
				strings.HasPrefix(c.Text, "/*line "), strings.HasPrefix(c.Text, "//export "),
				strings.HasPrefix(c.Text, "//extern "), strings.Contains(c.Text, "#cgo"):
				return directiveError(fset, name, c)
			}
		}
	}
	for _, imp := range f.Imports {
		if imp.Path.Value == `"C"` {
			return fmt.Errorf("%s:%d: %w: imports \"C\"", name, fset.Position(imp.Pos()).Line, ErrBadOutput)
		}
	}
	return nil
}

func isByteSlice(e ast.Expr) bool {
	a, ok := e.(*ast.ArrayType)
	if !ok || a.Len != nil {
		return false
	}
	id, ok := a.Elt.(*ast.Ident)
	return ok && id.Name == "byte"
}

func directiveError(fset *token.FileSet, name string, c *ast.Comment) error {
	text := c.Text
	if len(text) > 40 {
		text = text[:40] + "…"
	}
	return fmt.Errorf("%s:%d: %w: directive comment %q", name, fset.Position(c.Pos()).Line, ErrBadOutput, text)
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}
