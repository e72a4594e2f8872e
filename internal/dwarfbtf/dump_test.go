package dwarfbtf

import (
	"bytes"
	"debug/elf"
	"fmt"
	"strings"
	"testing"

	"github.com/cilium/ebpf/btf"
)

// dumpLayout renders t and every named type it reaches as text: each
// struct, union, enum and typedef once, with sizes, member offsets in bits,
// bitfield sizes, int encodings, enum values and tags. Two types with the
// same dump have the same layout and the same shape. It is written
// independently of sameLayout so that tests do not check the package with
// its own code. With shallow, named types reached through pointers are
// shown by name only, so that a BTF forward declaration and DWARF's complete
// type of the same name look alike there.
func dumpLayout(tb testing.TB, t btf.Type, shallow bool) string {
	tb.Helper()
	d := dumper{done: map[btf.Type]bool{}, shallow: shallow}
	d.queue = append(d.queue, t)
	var b strings.Builder
	for len(d.queue) > 0 {
		t := d.queue[0]
		d.queue = d.queue[1:]
		if d.done[t] {
			continue
		}
		d.done[t] = true
		d.define(&b, t)
	}
	return b.String()
}

type dumper struct {
	done    map[btf.Type]bool
	queue   []btf.Type
	shallow bool
	// deref counts the pointers being rendered.
	deref int
}

func (d *dumper) define(b *strings.Builder, t btf.Type) {
	switch t := t.(type) {
	case *btf.Struct:
		fmt.Fprintf(b, "struct %s size=%d%s\n", t.Name, t.Size, tags(t.Tags))
		d.members(b, t.Members, "\t")
	case *btf.Union:
		fmt.Fprintf(b, "union %s size=%d%s\n", t.Name, t.Size, tags(t.Tags))
		d.members(b, t.Members, "\t")
	case *btf.Enum:
		fmt.Fprintf(b, "enum %s size=%d signed=%t\n", t.Name, t.Size, t.Signed)
		for _, v := range t.Values {
			fmt.Fprintf(b, "\t%s = %#x\n", v.Name, v.Value)
		}
	case *btf.Typedef:
		fmt.Fprintf(b, "typedef %s = %s%s\n", t.Name, d.expr(t.Type, ""), tags(t.Tags))
	default:
		fmt.Fprintf(b, "%s\n", d.expr(t, ""))
	}
}

func (d *dumper) members(b *strings.Builder, ms []btf.Member, indent string) {
	for _, m := range ms {
		bits := ""
		if m.BitfieldSize != 0 {
			bits = fmt.Sprintf(":%d", m.BitfieldSize)
		}
		fmt.Fprintf(b, "%s%s @%d%s %s%s\n", indent, m.Name, m.Offset, bits, d.expr(m.Type, indent), tags(m.Tags))
	}
}

// expr renders a reference to t; named types are scheduled for definition.
func (d *dumper) expr(t btf.Type, indent string) string {
	switch t := t.(type) {
	case nil:
		return "<nil>"
	case *btf.Void:
		return "void"
	case *btf.Int:
		return fmt.Sprintf("int(%q size=%d %s)", t.Name, t.Size, t.Encoding)
	case *btf.Float:
		return fmt.Sprintf("float(%q size=%d)", t.Name, t.Size)
	case *btf.Pointer:
		d.deref++
		defer func() { d.deref-- }()
		return "*" + d.expr(t.Target, indent)
	case *btf.Array:
		idx := "?"
		if i, ok := t.Index.(*btf.Int); ok {
			idx = fmt.Sprintf("%s/%d", i.Name, i.Size)
		}
		return fmt.Sprintf("[%d index=%s]%s", t.Nelems, idx, d.expr(t.Type, indent))
	case *btf.Const:
		return "const " + d.expr(t.Type, indent)
	case *btf.Volatile:
		return "volatile " + d.expr(t.Type, indent)
	case *btf.Restrict:
		return "restrict " + d.expr(t.Type, indent)
	case *btf.TypeTag:
		return fmt.Sprintf("tag(%s) %s", t.Value, d.expr(t.Type, indent))
	case *btf.FuncProto:
		var ps []string
		for _, p := range t.Params {
			ps = append(ps, strings.TrimSpace(p.Name+" "+d.expr(p.Type, indent)))
		}
		return fmt.Sprintf("func(%s) %s", strings.Join(ps, ", "), d.expr(t.Return, indent))
	case *btf.Fwd:
		if d.shallow && d.deref > 0 {
			return typeString(t)
		}
		return fmt.Sprintf("fwd %s %s", t.Kind, t.Name)
	case *btf.Struct:
		if t.Name == "" {
			var b strings.Builder
			fmt.Fprintf(&b, "struct size=%d%s {\n", t.Size, tags(t.Tags))
			d.members(&b, t.Members, indent+"\t")
			return b.String() + indent + "}"
		}
	case *btf.Union:
		if t.Name == "" {
			var b strings.Builder
			fmt.Fprintf(&b, "union size=%d%s {\n", t.Size, tags(t.Tags))
			d.members(&b, t.Members, indent+"\t")
			return b.String() + indent + "}"
		}
	case *btf.Enum:
		if t.Name == "" {
			return fmt.Sprintf("enum size=%d signed=%t %v", t.Size, t.Signed, t.Values)
		}
	}
	if !d.shallow || d.deref == 0 {
		d.queue = append(d.queue, t)
	}
	return typeString(t)
}

func tags(ts []string) string {
	if len(ts) == 0 {
		return ""
	}
	return fmt.Sprintf(" tags=%q", ts)
}

// sectionRange returns the file offset and size of a section of obj.
func sectionRange(tb testing.TB, obj []byte, name string) (int, int) {
	tb.Helper()
	f, err := elf.NewFile(bytes.NewReader(obj))
	if err != nil {
		tb.Fatal(err)
	}
	s := f.Section(name)
	if s == nil {
		tb.Fatalf("no section %s", name)
	}
	return int(s.Offset), int(s.Size)
}
