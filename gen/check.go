package gen

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	goruntime "runtime"
	"strings"
	"sync"
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
//
// A file larger than 1 MiB (`types` over a kernel's BTF: 11.7 MB for
// vmlinux, which go/parser takes three times as long to parse as btf2go to
// write) is checked token by token with go/scanner instead, in pieces at
// once: every token legal, every comment and string closed, the package
// clause and imports only at the start, and the same directive rules.
// What names can inject (a comment or string broken open, a directive) it
// finds as a parse would; it does not check the grammar of btf2go's own
// templates, which the golden tests parse.
func CheckSource(name string, src []byte) error {
	if len(src) > maxParsed {
		return scanSource(name, src)
	}
	return checkSource(name, src, false)
}

// maxParsed is the largest file CheckSource parses with go/parser.
const maxParsed = 1 << 20

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

// scanSource is CheckSource for large files: src is cut into pieces at
// blank lines before a top-level declaration, one per CPU, and each piece
// is scanned at once. A cut inside a comment or string leaves one piece
// with an unterminated token, which fails, so the pieces passing means
// the file passes.
func scanSource(name string, src []byte) error {
	n := max(1, min(goruntime.GOMAXPROCS(0), 8))
	var cuts []int
	for i := 1; i < n; i++ {
		at := len(src) * i / n
		if len(cuts) > 0 && at <= cuts[len(cuts)-1] {
			continue
		}
		if c := nextDeclStart(src, at); c > 0 {
			cuts = append(cuts, c)
		}
	}
	cuts = append(cuts, len(src))
	errs := make([]error, len(cuts))
	var wg sync.WaitGroup
	start := 0
	for i, end := range cuts {
		piece, first := src[start:end], i == 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = scanPiece(name, piece, first)
		}()
		start = end
	}
	wg.Wait()
	return errors.Join(errs...)
}

// nextDeclStart is the offset of the first line at or after from that
// follows a blank line and starts a top-level declaration or its doc
// comment, or -1.
func nextDeclStart(src []byte, from int) int {
	for i := from; i < len(src); {
		j := bytes.Index(src[i:], []byte("\n\n"))
		if j < 0 {
			return -1
		}
		at := i + j + 2
		for _, p := range []string{"// ", "type ", "func ", "var ", "const "} {
			if bytes.HasPrefix(src[at:], []byte(p)) {
				return at
			}
		}
		i = at
	}
	return -1
}

// scanPiece checks one piece of a file with go/scanner; first is the
// piece holding the package clause.
func scanPiece(name string, src []byte, first bool) error {
	fset := token.NewFileSet()
	file := fset.AddFile(name, -1, len(src))
	var scanErr error
	var s scanner.Scanner
	s.Init(file, src, func(pos token.Position, msg string) {
		if scanErr == nil {
			scanErr = fmt.Errorf("%s: %w: does not scan: line %d: %s", name, ErrBadOutput, pos.Line, msg)
		}
	}, scanner.ScanComments)
	fail := func(pos token.Pos, what string) error {
		return fmt.Errorf("%s: %w: %s in line %d of a piece", name, ErrBadOutput, what, file.Position(pos).Line)
	}
	// embed counts the tokens of "var NAME []byte" expected after a
	// //go:embed line.
	embed := -1
	var embedWant = [...]token.Token{token.VAR, token.IDENT, token.LBRACK, token.RBRACK, token.IDENT}
	sawPackage, inImports, builds := false, false, 0
	for {
		pos, tok, lit := s.Scan()
		if scanErr != nil {
			return scanErr
		}
		if tok == token.EOF {
			break
		}
		if tok == token.COMMENT {
			switch {
			case strings.HasPrefix(lit, "//go:build ") && first && !sawPackage:
				if builds++; builds > 1 {
					return fail(pos, "second //go:build")
				}
			case strings.HasPrefix(lit, "//go:embed ") && embed < 0:
				embed = 0
			case strings.HasPrefix(lit, "//go:"), strings.HasPrefix(lit, "//line "),
				strings.HasPrefix(lit, "/*line "), strings.HasPrefix(lit, "//export "),
				strings.HasPrefix(lit, "//extern "), strings.Contains(lit, "#cgo"):
				return fail(pos, "directive comment")
			}
			continue
		}
		if tok == token.SEMICOLON && lit == "\n" {
			continue // inserted at line ends
		}
		if embed >= 0 {
			if tok != embedWant[embed] || (embed == 4 && lit != "byte") {
				return fail(pos, "//go:embed not on a []byte variable")
			}
			if embed++; embed == len(embedWant) {
				embed = -1
			}
		}
		switch tok {
		case token.ILLEGAL:
			return fail(pos, "illegal token")
		case token.PACKAGE:
			if !first || sawPackage {
				return fail(pos, "package clause")
			}
			sawPackage = true
		case token.IMPORT:
			if !first {
				return fail(pos, "import after declarations")
			}
			inImports = true
		case token.TYPE, token.FUNC, token.VAR, token.CONST:
			inImports = false
		case token.STRING:
			if inImports && lit == `"C"` {
				return fail(pos, `import "C"`)
			}
		}
	}
	if embed >= 0 {
		return fail(token.NoPos, "//go:embed at the end")
	}
	if first && !sawPackage {
		return fmt.Errorf("%s: %w: no package clause", name, ErrBadOutput)
	}
	return nil
}
