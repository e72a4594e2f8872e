package btf2go

import (
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

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

// Emit appends every scheduled declaration, sorted by Go name, to f. After
// Emit the Generator accepts no more types.
func (g *Generator) Emit(f *jen.File) error {
	decls, err := g.finish()
	if err != nil {
		return err
	}
	for _, d := range decls {
		g.emitJen(f, d)
	}
	return nil
}

func (g *Generator) emitJen(f *jen.File, d *decl) {
	f.Comment(d.doc)
	switch d.kind {
	case kindAlias:
		f.Type().Id(d.name).Op("=").Add(d.target.jen(g.rt))
		f.Line()
	case kindOpaque:
		f.Type().Id(d.name).Struct(jen.Id("_").Add(hostLayout.typ.jen(g.rt)))
		f.Line()
	case kindEnum:
		f.Type().Id(d.name).Id(d.base)
		f.Line()
		var consts, cases []jen.Code
		for _, c := range d.consts {
			consts = append(consts, jen.Id(c.name).Id(d.name).Op("=").Id(c.value))
			if c.caseLabel {
				cases = append(cases, jen.Case(jen.Id(c.name)).Block(jen.Return(jen.Lit(c.cname))))
			}
		}
		if len(consts) > 0 {
			f.Comment("Values of " + d.name + ".")
			f.Const().Defs(consts...)
			f.Line()
		}
		conv, format := "uint64", "FormatUint"
		if d.enum.Signed {
			conv, format = "int64", "FormatInt"
		}
		var body []jen.Code
		if len(cases) > 0 {
			body = append(body, jen.Switch(jen.Id("e")).Block(cases...))
		}
		body = append(body, jen.Return(jen.Lit(d.name+"(").Op("+").
			Qual("strconv", format).Call(jen.Id(conv).Call(jen.Id("e")), jen.Lit(10)).Op("+").Lit(")")))
		f.Comment(stringDoc)
		f.Func().Params(jen.Id("e").Id(d.name)).Id("String").Params().String().Block(body...)
		f.Line()
	case kindComposite:
		fields := make([]jen.Code, len(d.fields))
		for i, fl := range d.fields {
			if fl.embedded {
				fields[i] = jen.Id(fl.name)
			} else {
				fields[i] = jen.Id(fl.name).Add(fl.typ.jen(g.rt))
			}
		}
		f.Type().Id(d.name).Struct(fields...)
		f.Line()
		asserts := []jen.Code{jenAssert(jen.Qual("unsafe", "Sizeof").Call(jen.Id(d.name).Values()), d.size)}
		for _, a := range d.asserts {
			asserts = append(asserts, jenAssert(jen.Qual("unsafe", "Offsetof").Call(jen.Id(d.name).Values().Dot(a.field)), a.off))
		}
		f.Var().Defs(asserts...)
		f.Line()
		for _, m := range d.methods {
			g.emitJenMethod(f, d, m)
		}
	}
}

// jenAssert is "_ [want]struct{} = [expr]struct{}{}", which compiles only
// when the constant expr equals want.
func jenAssert(expr jen.Code, want uint32) jen.Code {
	return jen.Id("_").Index(jen.Lit(int(want))).Struct().Op("=").Index(expr).Struct().Values()
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

func (g *Generator) emitJenMethod(f *jen.File, d *decl, m method) {
	for _, line := range methodDoc(m) {
		f.Comment(line)
	}
	rt := g.rt
	r := jen.Id(recv).Op("*").Id(d.name)
	typ := m.typ.jen(rt)
	args := func() []jen.Code { return []jen.Code{jen.Id(recv), jen.Lit(int(m.off)), jen.Lit(int(m.size))} }
	switch m.kind {
	case mAccessor:
		f.Func().Params(r).Id(m.name).Params().Op("*").Add(typ).Block(
			jen.Return(jen.Qual(rt, "At").Types(m.typ.jen(rt)).Call(jen.Id(recv), jen.Lit(int(m.off)))))
	case mTrailing:
		f.Func().Params(r).Id(m.name).Params(jen.Id("n").Int()).Index().Add(typ).Block(
			jen.Return(jen.Qual(rt, "Trailing").Types(m.typ.jen(rt)).Call(jen.Id(recv), jen.Lit(int(m.off)), jen.Id("n"))))
	case mBitGet:
		var get jen.Code
		switch {
		case m.isBool:
			get = jen.Qual(rt, g.helper("Bits")).Call(args()...).Op("!=").Lit(0)
		case m.signed && m.basic == "int64":
			get = jen.Qual(rt, g.helper("SignedBits")).Call(args()...)
		case m.signed:
			get = m.typ.jen(rt).Call(jen.Qual(rt, g.helper("SignedBits")).Call(args()...))
		case m.basic == "uint64":
			get = jen.Qual(rt, g.helper("Bits")).Call(args()...)
		default:
			get = m.typ.jen(rt).Call(jen.Qual(rt, g.helper("Bits")).Call(args()...))
		}
		f.Func().Params(r).Id(m.name).Params().Add(typ).Block(jen.Return(get))
	case mBitSet:
		var body []jen.Code
		switch {
		case m.isBool:
			body = []jen.Code{
				jen.Var().Id("b").Uint64(),
				jen.If(jen.Id("v")).Block(jen.Id("b").Op("=").Lit(1)),
				jen.Qual(rt, g.helper("SetBits")).Call(append(args(), jen.Id("b"))...),
			}
		case m.basic == "uint64":
			body = []jen.Code{jen.Qual(rt, g.helper("SetBits")).Call(append(args(), jen.Id("v"))...)}
		default:
			body = []jen.Code{jen.Qual(rt, g.helper("SetBits")).Call(append(args(), jen.Uint64().Call(jen.Id("v")))...)}
		}
		f.Func().Params(r).Id(m.name).Params(jen.Id("v").Add(typ)).Block(body...)
	}
	f.Line()
}

// helper is the name of a runtime bitfield helper for the byte order.
func (g *Generator) helper(name string) string {
	if g.be {
		return name + "BE"
	}
	return name
}
