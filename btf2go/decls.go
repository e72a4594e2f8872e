package btf2go

import (
	"slices"
	"strconv"
	"strings"
)

// Decls are rendered declarations: what [Generator.Decls] returns.
type Decls struct {
	// Source is every declaration as gofmt formats it, sorted by Go name,
	// each preceded by a blank line: it follows a package clause, an
	// import block or another declaration.
	Source []byte
	// Imports are the import paths Source uses, sorted. The runtime
	// package (Options.RuntimePkg) is referred to by the name "runtime".
	// They include the runtime package when an expression returned by
	// TypeOf uses it.
	Imports []string
	// Names are the package-level names Source declares (types and enum
	// constants), sorted.
	Names []string
}

// finish lays out every scheduled declaration, names the enum constants and
// returns the declarations sorted by Go name. After it the Generator
// accepts no more types.
func (g *Generator) finish() ([]*decl, error) {
	if g.done {
		return nil, ErrEmitted
	}
	// Laying out a declaration can schedule more (arena pointer targets).
	for i := 0; i < len(g.list); i++ {
		if err := g.build(g.list[i]); err != nil {
			return nil, err
		}
	}
	g.done = true
	decls := slices.Clone(g.list)
	slices.SortFunc(decls, func(a, b *decl) int { return strings.Compare(a.name, b.name) })
	// Enum constants share the package namespace; they are named after
	// every type, in the order of their enums' Go names.
	for _, d := range decls {
		if d.kind == kindEnum {
			g.nameConstants(d)
		}
	}
	return decls, nil
}

// Decls renders every scheduled declaration and returns it with the
// imports it needs. After Decls the Generator accepts no more types.
func (g *Generator) Decls() (*Decls, error) {
	decls, err := g.finish()
	if err != nil {
		return nil, err
	}
	uses := imports{runtime: g.typeOfRuntime}
	names := make([]string, 0, len(decls))
	for _, d := range decls {
		uses.add(d)
		names = append(names, d.name)
		for _, c := range d.consts {
			names = append(names, c.name)
		}
	}
	slices.Sort(names)
	return &Decls{Source: g.render(decls), Imports: uses.paths(g.rtPkg), Names: names}, nil
}

// Source returns a complete Go source file of package pkg that holds every
// scheduled declaration, sorted by Go name, after the given header comment
// lines (without "//", escaped like Go strings when they hold anything a
// comment line could not). Its imports form one block, sorted by path. After
// Source the Generator accepts no more types.
func (g *Generator) Source(pkg string, header ...string) ([]byte, error) {
	d, err := g.Decls()
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.Grow(len(d.Source) + 256)
	for _, h := range header {
		b.WriteString("// " + Escape(h) + "\n")
	}
	if len(header) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("package " + pkg + "\n")
	switch len(d.Imports) {
	case 0:
	case 1:
		b.WriteString("\nimport " + strconv.Quote(d.Imports[0]) + "\n")
	default:
		b.WriteString("\nimport (\n")
		for _, p := range d.Imports {
			b.WriteString("\t" + strconv.Quote(p) + "\n")
		}
		b.WriteString(")\n")
	}
	out := make([]byte, 0, b.Len()+len(d.Source))
	out = append(out, b.String()...)
	return append(out, d.Source...), nil
}

// imports records which packages declarations use.
type imports struct{ runtime, strconv, structs, unsafe bool }

func (u *imports) add(d *decl) {
	switch d.kind {
	case kindAlias:
		u.runtime = u.runtime || d.target.usesRuntime()
	case kindOpaque:
		u.structs = true
	case kindEnum:
		u.strconv = true
	case kindComposite:
		u.structs, u.unsafe = true, true
		u.runtime = u.runtime || len(d.methods) > 0
		for _, f := range d.fields {
			u.runtime = u.runtime || f.typ.usesRuntime()
		}
	}
}

// paths are the import paths of what u records, sorted; rt is the
// runtime's.
func (u *imports) paths(rt string) []string {
	var paths []string
	if u.runtime {
		paths = append(paths, rt)
	}
	if u.strconv {
		paths = append(paths, "strconv")
	}
	if u.structs {
		paths = append(paths, "structs")
	}
	if u.unsafe {
		paths = append(paths, "unsafe")
	}
	slices.Sort(paths)
	return paths
}

const (
	recv      = "p"
	stringDoc = "String returns the C name of e's value, or the number in parentheses."
)

// methodDoc is the doc comment of m, one string per line.
func methodDoc(m method) []string {
	off := strconv.FormatUint(uint64(m.off), 10)
	switch m.kind {
	case mTrailing:
		return []string{
			m.name + " returns the first n elements of the flexible array " + m.cname + " at byte " + off + ";",
			"the memory after the struct must hold them.",
		}
	case mBitGet:
		return []string{m.name + " returns the bitfield " + m.cname + " (" + strconv.FormatUint(uint64(m.size), 10) + " bits at bit " + off + ")."}
	case mBitSet:
		return []string{m.name + " sets the bitfield " + m.cname + " to the low " + strconv.FormatUint(uint64(m.size), 10) + " bits of v."}
	}
	return []string{m.name + " returns a pointer to the member " + m.cname + " at byte " + off + "."}
}
