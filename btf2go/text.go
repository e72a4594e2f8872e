package btf2go

import (
	"bytes"
	goruntime "runtime"
	"strconv"
)

// Source returns a complete Go source file of package pkg that holds every
// scheduled declaration, sorted by Go name, after the given header comment
// lines (without "//"). It is what Emit into a new jen.File with the same
// header and the runtime package imported as "runtime" renders, byte for
// byte and formatted, but it writes the text directly instead of going
// through jennifer and go/format, which matters for inputs as large as
// vmlinux. After Source the Generator accepts no more types.
func (g *Generator) Source(pkg string, header ...string) ([]byte, error) {
	decls, err := g.finish()
	if err != nil {
		return nil, err
	}
	// The imports come first, so find out what the declarations use.
	var uses imports
	sizes := make([]int, len(decls)+1) // sizes[i]: estimated bytes of decls[:i]
	for i, d := range decls {
		uses.add(d)
		sizes[i+1] = sizes[i] + 176 + 64*len(d.fields) + 52*len(d.asserts) + 34*len(d.consts) + 170*len(d.methods)
	}
	size := sizes[len(decls)] + sizes[len(decls)]/8
	var b bytes.Buffer
	b.Grow(size)
	for _, h := range header {
		b.WriteString("// ")
		b.WriteString(h)
		b.WriteByte('\n')
	}
	if len(header) > 0 {
		b.WriteByte('\n')
	}
	b.WriteString("package ")
	b.WriteString(pkg)
	b.WriteByte('\n')
	var paths []string
	if uses.runtime {
		paths = append(paths, g.rt)
	}
	if uses.strconv {
		paths = append(paths, "strconv")
	}
	if uses.structs {
		paths = append(paths, "structs")
	}
	if uses.unsafe {
		paths = append(paths, "unsafe")
	}
	sortStrings(paths)
	switch len(paths) {
	case 0:
	case 1:
		b.WriteString("\nimport " + strconv.Quote(paths[0]) + "\n")
	default:
		b.WriteString("\nimport (\n")
		for _, p := range paths {
			b.WriteString("\t" + strconv.Quote(p) + "\n")
		}
		b.WriteString(")\n")
	}
	// Large inputs are written in two halves at once. writeDecl only
	// reads the finished declarations.
	if len(decls) < 2048 || goruntime.GOMAXPROCS(0) < 2 {
		for _, d := range decls {
			b.WriteByte('\n')
			g.writeDecl(&b, d)
		}
		return b.Bytes(), nil
	}
	half := len(decls) / 2
	var second bytes.Buffer
	second.Grow(sizes[len(decls)] - sizes[half] + sizes[len(decls)]/16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, d := range decls[half:] {
			second.WriteByte('\n')
			g.writeDecl(&second, d)
		}
	}()
	for _, d := range decls[:half] {
		b.WriteByte('\n')
		g.writeDecl(&b, d)
	}
	<-done
	b.Write(second.Bytes())
	return b.Bytes(), nil
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
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

// writeDecl writes d as gofmt would format it, followed by a blank line
// between top-level declarations.
func (g *Generator) writeDecl(b *bytes.Buffer, d *decl) {
	comment(b, "", d.doc)
	switch d.kind {
	case kindAlias:
		b.WriteString("type " + d.name + " = ")
		d.target.write(b)
		b.WriteByte('\n')
	case kindOpaque:
		b.WriteString("type " + d.name + " struct {\n\t_ structs.HostLayout\n}\n")
	case kindEnum:
		g.writeEnum(b, d)
	case kindComposite:
		g.writeComposite(b, d)
	}
}

func comment(b *bytes.Buffer, indent, text string) {
	b.WriteString(indent)
	b.WriteString("// ")
	b.WriteString(text)
	b.WriteByte('\n')
}

func (g *Generator) writeEnum(b *bytes.Buffer, d *decl) {
	b.WriteString("type " + d.name + " " + d.base + "\n")
	if len(d.consts) > 0 {
		b.WriteString("\n// Values of " + d.name + ".\nconst (\n")
		width := 0
		for _, c := range d.consts {
			width = max(width, len(c.name))
		}
		for _, c := range d.consts {
			b.WriteByte('\t')
			b.WriteString(c.name)
			spaces(b, width-len(c.name)+1)
			b.WriteString(d.name + " = " + c.value + "\n")
		}
		b.WriteString(")\n")
	}
	conv, format := "uint64", "FormatUint"
	if d.enum.Signed {
		conv, format = "int64", "FormatInt"
	}
	b.WriteString("\n// " + stringDoc + "\nfunc (e " + d.name + ") String() string {\n")
	cases := false
	for _, c := range d.consts {
		if !c.caseLabel {
			continue
		}
		if !cases {
			b.WriteString("\tswitch e {\n")
			cases = true
		}
		b.WriteString("\tcase " + c.name + ":\n\t\treturn " + strconv.Quote(c.cname) + "\n")
	}
	if cases {
		b.WriteString("\t}\n")
	}
	b.WriteString("\treturn " + strconv.Quote(d.name+"(") + " + strconv." + format + "(" + conv + "(e), 10) + \")\"\n}\n")
}

const blanks = "                                                                "

func spaces(b *bytes.Buffer, n int) {
	for n > len(blanks) {
		b.WriteString(blanks)
		n -= len(blanks)
	}
	b.WriteString(blanks[:n])
}

// digits is the number of decimal digits of n.
func digits(n uint32) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

func (g *Generator) writeComposite(b *bytes.Buffer, d *decl) {
	b.WriteString("type ")
	b.WriteString(d.name)
	b.WriteString(" struct {\n")
	// gofmt aligns the types of consecutive fields; an embedded field (a
	// line without a type) ends such a block.
	for i := 0; i < len(d.fields); {
		if d.fields[i].embedded {
			b.WriteByte('\t')
			b.WriteString(d.fields[i].name)
			b.WriteByte('\n')
			i++
			continue
		}
		j, width := i, 0
		for ; j < len(d.fields) && !d.fields[j].embedded; j++ {
			width = max(width, len(d.fields[j].name))
		}
		for _, f := range d.fields[i:j] {
			b.WriteByte('\t')
			b.WriteString(f.name)
			spaces(b, width-len(f.name)+1)
			f.typ.write(b)
			b.WriteByte('\n')
		}
		i = j
	}
	b.WriteString("}\n\nvar (\n")
	// Assertions: "_ [N]struct{} = [expr]struct{}{}", types aligned.
	width := digits(d.size)
	for _, a := range d.asserts {
		width = max(width, digits(a.off))
	}
	var num [20]byte
	assertLine := func(n uint32, expr, name, field string) {
		s := strconv.AppendUint(num[:0], uint64(n), 10)
		b.WriteString("\t_ [")
		b.Write(s)
		b.WriteString("]struct{}")
		spaces(b, width-len(s)+1)
		b.WriteString("= [")
		b.WriteString(expr)
		b.WriteString(name)
		b.WriteString("{}")
		if field != "" {
			b.WriteByte('.')
			b.WriteString(field)
		}
		b.WriteString(")]struct{}{}\n")
	}
	assertLine(d.size, "unsafe.Sizeof(", d.name, "")
	for _, a := range d.asserts {
		assertLine(a.off, "unsafe.Offsetof(", d.name, a.field)
	}
	b.WriteString(")\n")
	for _, m := range d.methods {
		b.WriteByte('\n')
		g.writeMethod(b, d, m)
	}
}

func (g *Generator) writeMethod(b *bytes.Buffer, d *decl, m method) {
	for _, line := range methodDoc(m) {
		comment(b, "", line)
	}
	typ := m.typ.String()
	head := "func (" + recv + " *" + d.name + ") " + m.name
	off := strconv.FormatUint(uint64(m.off), 10)
	args := recv + ", " + off + ", " + strconv.FormatUint(uint64(m.size), 10)
	switch m.kind {
	case mAccessor:
		b.WriteString(head + "() *" + typ + " {\n\treturn runtime.At[" + typ + "](" + recv + ", " + off + ")\n}\n")
	case mTrailing:
		b.WriteString(head + "(n int) []" + typ + " {\n\treturn runtime.Trailing[" + typ + "](" + recv + ", " + off + ", n)\n}\n")
	case mBitGet:
		var get string
		switch {
		case m.isBool:
			get = "runtime." + g.helper("Bits") + "(" + args + ") != 0"
		case m.signed && m.basic == "int64":
			get = "runtime." + g.helper("SignedBits") + "(" + args + ")"
		case m.signed:
			get = typ + "(runtime." + g.helper("SignedBits") + "(" + args + "))"
		case m.basic == "uint64":
			get = "runtime." + g.helper("Bits") + "(" + args + ")"
		default:
			get = typ + "(runtime." + g.helper("Bits") + "(" + args + "))"
		}
		b.WriteString(head + "() " + typ + " {\n\treturn " + get + "\n}\n")
	case mBitSet:
		b.WriteString(head + "(v " + typ + ") {\n")
		switch {
		case m.isBool:
			b.WriteString("\tvar b uint64\n\tif v {\n\t\tb = 1\n\t}\n\truntime." + g.helper("SetBits") + "(" + args + ", b)\n")
		case m.basic == "uint64":
			b.WriteString("\truntime." + g.helper("SetBits") + "(" + args + ", v)\n")
		default:
			b.WriteString("\truntime." + g.helper("SetBits") + "(" + args + ", uint64(v))\n")
		}
		b.WriteString("}\n")
	}
}
