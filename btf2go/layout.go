package btf2go

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cilium/ebpf/btf"
)

type declKind int

const (
	kindComposite declKind = iota // struct, union, datasec
	kindAlias
	kindEnum
	kindOpaque // fwd, function typedef
)

// decl is one emitted Go type declaration with its methods and assertions,
// in a form both emitters render.
type decl struct {
	t       btf.Type
	name    string
	kind    declKind
	typedef string // C typedef that named this anonymous type
	target  *texpr // alias target
	ref     *texpr // the declared name as a type expression
	size    uint32
	align   uint32
	doc     string

	built, building bool

	fields  []field  // composite
	asserts []assert // composite: field offsets (the size is always asserted)
	methods []method // composite

	enum   *btf.Enum
	base   string      // enum: underlying Go type
	consts []enumConst // enum: named in finish
}

// field is a field of a generated struct. name "_" is padding or a
// marker; embedded fields have no type of their own.
type field struct {
	name     string
	typ      *texpr
	embedded bool
}

// assert is a compile-time check of a field's offset.
type assert struct {
	field string
	off   uint32
}

type methodKind uint8

const (
	mAccessor methodKind = iota // pointer to a member at a byte offset
	mTrailing                   // slice of a zero-length array's elements
	mBitGet                     // bitfield getter
	mBitSet                     // bitfield setter
)

// method is an accessor method of a generated struct.
type method struct {
	kind   methodKind
	name   string
	cname  string
	typ    *texpr // member type; element type for mTrailing
	basic  string // typ's name when it is predeclared
	off    uint32 // bytes, or bits for bitfields
	size   uint32 // bits of a bitfield
	signed bool
	isBool bool
}

// enumConst is one constant of an enum.
type enumConst struct {
	name, cname, value string
	caseLabel          bool // first constant with its value: a case in String
}

func (g *Generator) build(d *decl) error {
	if d.built {
		return nil
	}
	if d.building {
		return fmt.Errorf("%s: type contains itself", describe(d.t))
	}
	d.building = true
	var err error
	switch t := d.t.(type) {
	case *btf.Struct:
		err = g.buildComposite(d, t.Size, t.Members, false)
	case *btf.Union:
		err = g.buildComposite(d, t.Size, t.Members, true)
	case *btf.Datasec:
		err = g.buildDatasec(d, t)
	case *btf.Enum:
		err = g.buildEnum(d, t)
	case *btf.Fwd:
		d.kind = kindOpaque
		d.size, d.align = 0, 1
		d.doc = fmt.Sprintf("%s stands for %s, which BTF only declares: its layout is unknown.", d.name, describe(t))
	default:
		switch {
		case d.kind == kindOpaque:
			d.size, d.align = 0, 1
			d.doc = fmt.Sprintf("%s stands for the C %s, a function type: only pointers to it have a layout.", d.name, describe(t))
		case d.kind == kindAlias:
			d.doc = fmt.Sprintf("%s is the C %s.", d.name, describe(d.t))
		default:
			err = fmt.Errorf("%s: cannot declare this kind of type", describe(d.t))
		}
	}
	d.building = false
	if err != nil {
		return err
	}
	d.built = true
	return nil
}

// capAlign is the largest Go alignment (at most 8) that divides size: a
// Go type of that size whose alignment exceeded it would get tail padding C
// does not have.
func capAlign(size uint32) uint32 {
	for a := uint32(8); a > 1; a /= 2 {
		if size%a == 0 {
			return a
		}
	}
	return 1
}

func (g *Generator) buildDatasec(d *decl, ds *btf.Datasec) error {
	var ms []btf.Member
	var opaque []string
	for _, v := range ds.Vars {
		vr, ok := v.Type.(*btf.Var)
		if !ok {
			continue // functions in .ksyms
		}
		if vr.Linkage == btf.StaticVar && !g.opts.Statics {
			continue
		}
		t := vr.Type
		if _, void := t.(*btf.Void); void || t == nil {
			// clang gives an _Atomic variable no type: its bytes, then.
			t = &btf.Array{Index: &btf.Int{Name: "unsigned int", Size: 4}, Type: &btf.Int{Name: "unsigned char", Size: 1}, Nelems: v.Size}
			opaque = append(opaque, g.goName(vr.Name))
		}
		ms = append(ms, btf.Member{Name: vr.Name, Type: t, Offset: btf.Bits(v.Offset) * 8})
	}
	if err := g.buildComposite(d, ds.Size, ms, false); err != nil {
		return err
	}
	switch len(opaque) {
	case 0:
	case 1:
		d.doc += " " + opaque[0] + " is a byte array: its C type has no BTF that Go can express (an _Atomic variable)."
	default:
		d.doc += " " + strings.Join(opaque, ", ") + " are byte arrays: their C types have no BTF that Go can express (_Atomic variables)."
	}
	return nil
}

// layoutState collects the pieces of a struct or union declaration.
type layoutState struct {
	g       *Generator
	d       *decl
	size    uint32
	members *namespace // field and method names of the Go type
	cursor  uint32     // end of the last native field
	align   uint32
	anon    int // anonymous members seen
	placed  int // members placed, including those of flattened members
}

// maxMembers bounds the members of one declaration, counting those that
// anonymous members of unions contribute (malformed BTF can share one
// anonymous type many times and multiply them).
const maxMembers = 1 << 16

var hostLayout = field{name: "_", typ: &texpr{kind: tStd, name: "structs.HostLayout"}}

func padding(n uint32) field {
	return field{name: "_", typ: arrayOf(n, ident("byte"))}
}

func (g *Generator) buildComposite(d *decl, size uint32, ms []btf.Member, union bool) error {
	st := &layoutState{g: g, d: d, size: size, members: newNamespace(), align: 1}
	d.kind = kindComposite
	d.fields = append(d.fields[:0], hostLayout)
	sorted := ms
	if !union && !slices.IsSortedFunc(ms, byOffset) {
		sorted = slices.Clone(ms)
		slices.SortStableFunc(sorted, byOffset)
	}
	for i, m := range sorted {
		err := st.member(m, d.t, union, 0)
		if err != nil {
			what := "member"
			if _, ok := d.t.(*btf.Datasec); ok {
				what = "variable"
			}
			switch {
			case errors.Is(err, ErrBadName):
				return fmt.Errorf("%s: %s %d: %w", describe(d.t), what, i, err) // err quotes the name
			case m.Name != "":
				return fmt.Errorf("%s: %s %s: %w", describe(d.t), what, m.Name, err)
			}
			return fmt.Errorf("%s: %s %d: %w", describe(d.t), what, i, err)
		}
	}
	// Setters are named after every field and getter.
	for i := range d.methods {
		if m := &d.methods[i]; m.kind == mBitSet {
			m.name = st.members.alloc("Set"+m.name, "")
		}
	}
	if union && st.align > 1 {
		// Storage with the union's size and alignment.
		d.fields = append(d.fields, field{name: "_", typ: arrayOf(0, ident("uint"+strconv.Itoa(int(st.align*8))))})
	}
	if st.cursor > size {
		return fmt.Errorf("%s: members end at byte %d, after the size %d", describe(d.t), st.cursor, size)
	}
	cSize := size
	if _, ok := d.t.(*btf.Datasec); ok && size%st.align != 0 {
		// Sections are mapped in whole pages: pad the Go struct to its
		// alignment rather than make an aligned variable an accessor.
		size = (size + st.align - 1) / st.align * st.align
	}
	if size > st.cursor {
		d.fields = append(d.fields, padding(size-st.cursor))
	}
	d.size, d.align = size, st.align

	kind := "struct"
	switch d.t.(type) {
	case *btf.Union:
		kind = "union"
	case *btf.Datasec:
		kind = "section"
	}
	bytes := " (" + strconv.FormatUint(uint64(cSize), 10) + " bytes)."
	if cSize != size {
		bytes = " (" + strconv.FormatUint(uint64(cSize), 10) + " bytes, padded to " + strconv.FormatUint(uint64(size), 10) + " for Go's alignment)."
	}
	switch {
	case d.typedef != "":
		d.doc = d.name + " is the C typedef " + d.typedef + " of an anonymous " + kind + bytes
	case d.t.TypeName() == "":
		d.doc = d.name + " is an anonymous C " + kind + bytes
	default:
		d.doc = d.name + " is the C " + kind + " " + d.t.TypeName() + bytes
	}
	return nil
}

func byOffset(a, b btf.Member) int { return cmp.Compare(a.Offset, b.Offset) }

// member places m (at base bits into the composite being declared) as a
// field or as accessor methods.
func (st *layoutState) member(m btf.Member, owner btf.Type, union bool, base uint32) error {
	g, d := st.g, st.d
	if st.placed++; st.placed > maxMembers {
		return fmt.Errorf("more than %d members", maxMembers)
	}
	if m.Name != "" {
		kind := Identifier
		if _, ok := owner.(*btf.Datasec); ok {
			kind = VariableName
		}
		if err := CheckName(kind, m.Name); err != nil {
			return err
		}
	}
	bitOff := base + uint32(m.Offset)
	c := ctx{owner: owner, member: m.Name, hintOf: d.name}
	if m.Name == "" {
		st.anon++
		c.hint = d.name + "Anon" + strconv.Itoa(st.anon)
	}
	bitfield := m.BitfieldSize > 0 || bitOff%8 != 0
	if bitfield {
		if m.Name == "" {
			return nil // padding bits
		}
		gt, err := g.goType(m.Type, c)
		if err != nil {
			return err
		}
		size := uint32(m.BitfieldSize)
		if size == 0 {
			size = gt.size * 8
		}
		if size > 64 {
			return fmt.Errorf("bitfield of %d bits", size)
		}
		if uint64(bitOff)+uint64(size) > uint64(st.size)*8 {
			return fmt.Errorf("bitfield at bit %d beyond the size %d", bitOff, st.size)
		}
		if union {
			st.align = max(st.align, min(gt.align, capAlign(st.size)))
		}
		signed, isBool, err := bitfieldKind(m.Type)
		if err != nil {
			return err
		}
		name := st.members.alloc(g.goName(m.Name), "")
		get := method{kind: mBitGet, name: name, cname: m.Name, typ: gt.code, basic: gt.basic,
			off: bitOff, size: size, signed: signed, isBool: isBool}
		set := get
		set.kind = mBitSet // named in buildComposite: "Set" + the getter's name
		d.methods = append(d.methods, get, set)
		return nil
	}
	off := bitOff / 8

	// An anonymous struct or union inside a union: C reaches its members
	// as members of the union, so they become the union's accessors.
	if union && m.Name == "" {
		var ms []btf.Member
		inner := resolve(m.Type)
		switch v := inner.(type) {
		case *btf.Struct:
			ms = v.Members
		case *btf.Union:
			ms = v.Members
		}
		if ms != nil {
			gt, err := g.goType(m.Type, c) // for the alignment
			if err != nil {
				return err
			}
			st.align = max(st.align, min(gt.align, capAlign(st.size)))
			for _, im := range ms {
				if err := st.member(im, inner, true, bitOff); err != nil {
					return err
				}
			}
			return nil
		}
	}

	gt, err := g.goType(m.Type, c)
	if err != nil {
		return err
	}
	if uint64(off)+uint64(gt.size) > uint64(st.size) {
		return fmt.Errorf("ends at byte %d, after the size %d", uint64(off)+uint64(gt.size), st.size)
	}
	if union {
		st.align = max(st.align, min(gt.align, capAlign(st.size)))
	}
	goName := g.goName(m.Name)
	embedded := false
	if m.Name == "" {
		// Embed the anonymous type so Go promotes its fields and methods.
		goName = "Anon" + strconv.Itoa(st.anon)
		if md, ok := g.decls[resolve(m.Type)]; ok && md.kind == kindComposite {
			goName, embedded = md.name, true
		}
	}
	_, section := owner.(*btf.Datasec) // padded to Go's alignment instead
	native := !union && !gt.zeroArray &&
		off >= st.cursor && (section || gt.align <= capAlign(st.size)) && off%gt.align == 0 &&
		!(gt.size == 0 && off == st.size)
	if embedded && st.members.has(goName) {
		native, embedded = false, false
	}
	if native {
		name := goName
		if embedded {
			st.members.reserve(name)
		} else {
			name = st.members.alloc(goName, "")
		}
		if off > st.cursor {
			d.fields = append(d.fields, padding(off-st.cursor))
		}
		d.fields = append(d.fields, field{name: name, typ: gt.code, embedded: embedded})
		d.asserts = append(d.asserts, assert{field: name, off: off})
		st.cursor = off + gt.size
		st.align = max(st.align, gt.align)
		return nil
	}
	name := st.members.alloc(goName, "")
	cname := m.Name
	if cname == "" {
		cname = "(anonymous)"
	}
	if gt.zeroArray {
		d.methods = append(d.methods, method{kind: mTrailing, name: name, cname: cname, typ: gt.elem, off: off})
	} else {
		d.methods = append(d.methods, method{kind: mAccessor, name: name, cname: cname, typ: gt.code, off: off})
	}
	return nil
}

func bitfieldKind(t btf.Type) (signed, isBool bool, err error) {
	switch v := resolve(t).(type) {
	case *btf.Int:
		return v.Encoding&btf.Signed != 0, v.Encoding&btf.Bool != 0 && v.Size == 1, nil
	case *btf.Enum:
		return v.Signed, false, nil
	}
	return false, false, fmt.Errorf("bitfield of %s", describe(resolve(t)))
}
