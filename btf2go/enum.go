package btf2go

import (
	"fmt"
	"strconv"

	"github.com/cilium/ebpf/btf"
)

// enumBase is the Go type underlying an enum of size bytes.
func enumBase(e *btf.Enum) (string, error) {
	switch e.Size {
	case 1, 2, 4, 8:
	default:
		return "", fmt.Errorf("%s: unsupported size %d", describe(e), e.Size)
	}
	name := "uint" + strconv.Itoa(int(e.Size*8))
	if e.Signed {
		name = name[1:]
	}
	return name, nil
}

// enumValue renders v as a constant of an enum of e's size and signedness.
func enumValue(e *btf.Enum, v uint64) string {
	bits := e.Size * 8
	if bits < 64 {
		v &= 1<<bits - 1
	}
	if e.Signed {
		s := 64 - bits
		return strconv.FormatInt(int64(v<<s)>>s, 10)
	}
	return strconv.FormatUint(v, 10)
}

func (g *Generator) buildEnum(d *decl, e *btf.Enum) error {
	base, err := enumBase(e)
	if err != nil {
		return err
	}
	for _, v := range e.Values {
		if err := CheckName(Identifier, v.Name); err != nil {
			return fmt.Errorf("%s: constant: %w", describe(e), err)
		}
	}
	d.kind = kindEnum
	d.enum = e
	d.base = base
	d.size, d.align = e.Size, min(e.Size, 8)
	switch {
	case d.typedef != "":
		d.doc = fmt.Sprintf("%s is the C typedef %s of an anonymous enum (%d bytes).", d.name, d.typedef, e.Size)
	case e.Name == "":
		d.doc = fmt.Sprintf("%s is an anonymous C enum (%d bytes).", d.name, e.Size)
	default:
		d.doc = fmt.Sprintf("%s is the C enum %s (%d bytes).", d.name, e.Name, e.Size)
	}
	return nil
}

// nameConstants names the constants of an enum declaration. It runs in finish,
// after every type is named.
func (g *Generator) nameConstants(d *decl) {
	e := d.enum
	seen := make(map[string]bool, len(e.Values))
	d.consts = make([]enumConst, 0, len(e.Values))
	for _, v := range e.Values {
		name := g.declName(v.Name)
		if g.names.has(name) {
			name = g.names.alloc(d.name+name, "")
		} else {
			g.names.reserve(name)
		}
		val := enumValue(e, v.Value)
		// The first constant with a value names it in String.
		d.consts = append(d.consts, enumConst{name: name, cname: v.Name, value: val, caseLabel: !seen[val]})
		seen[val] = true
	}
}
