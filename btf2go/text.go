package btf2go

import (
	"bytes"
	goruntime "runtime"
	"strconv"
)

// render writes decls as gofmt formats them, each after a blank line.
// Large inputs are written in two halves at once; writeDecl only reads the
// finished declarations.
func (g *Generator) render(decls []*decl) []byte {
	sizes := make([]int, len(decls)+1) // sizes[i]: estimated bytes of decls[:i]
	for i, d := range decls {
		sizes[i+1] = sizes[i] + 176 + 64*len(d.fields) + 52*len(d.asserts) + 34*len(d.consts) + 170*len(d.methods)
	}
	var b bytes.Buffer
	b.Grow(sizes[len(decls)] + sizes[len(decls)]/8)
	if len(decls) < 2048 || goruntime.GOMAXPROCS(0) < 2 {
		for _, d := range decls {
			b.WriteByte('\n')
			g.writeDecl(&b, d)
		}
		return b.Bytes()
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
	return b.Bytes()
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

// comment writes a line comment. A text holding anything but printable
// ASCII (which the C names in it cannot, see CheckName) is escaped with
// Go's string rules, so that it stays one comment line.
func comment(b *bytes.Buffer, indent, text string) {
	b.WriteString(indent)
	b.WriteString("// ")
	for i := 0; i < len(text); i++ {
		if text[i] < 0x20 || text[i] > 0x7e {
			text = Escape(text)
			break
		}
	}
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
	rt := func(n rtName) string { return "runtime." + g.rt(n) }
	switch m.kind {
	case mAccessor:
		b.WriteString(head + "() *" + typ + " {\n\treturn " + rt(rtAt) + "[" + typ + "](" + recv + ", " + off + ")\n}\n")
	case mTrailing:
		b.WriteString(head + "(n int) []" + typ + " {\n\treturn " + rt(rtTrailing) + "[" + typ + "](" + recv + ", " + off + ", n)\n}\n")
	case mBitGet:
		var get string
		switch {
		case m.isBool:
			get = rt(rtBits) + "(" + args + ") != 0"
		case m.signed && m.basic == "int64":
			get = rt(rtSignedBits) + "(" + args + ")"
		case m.signed:
			get = typ + "(" + rt(rtSignedBits) + "(" + args + "))"
		case m.basic == "uint64":
			get = rt(rtBits) + "(" + args + ")"
		default:
			get = typ + "(" + rt(rtBits) + "(" + args + "))"
		}
		b.WriteString(head + "() " + typ + " {\n\treturn " + get + "\n}\n")
	case mBitSet:
		b.WriteString(head + "(v " + typ + ") {\n")
		switch {
		case m.isBool:
			b.WriteString("\tvar b uint64\n\tif v {\n\t\tb = 1\n\t}\n\t" + rt(rtSetBits) + "(" + args + ", b)\n")
		case m.basic == "uint64":
			b.WriteString("\t" + rt(rtSetBits) + "(" + args + ", v)\n")
		default:
			b.WriteString("\t" + rt(rtSetBits) + "(" + args + ", uint64(v))\n")
		}
		b.WriteString("}\n")
	}
}
