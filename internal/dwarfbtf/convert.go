package dwarfbtf

import (
	"debug/dwarf"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/cilium/ebpf/btf"
)

// DWARF constants debug/dwarf does not name.
const (
	tagAtomic     dwarf.Tag = 0x47   // DW_TAG_atomic_type
	tagAnnotation dwarf.Tag = 0x6000 // DW_TAG_LLVM_annotation (btf_type_tag, btf_decl_tag)

	ateBoolean      = 0x02
	ateFloat        = 0x04
	ateSigned       = 0x05
	ateSignedChar   = 0x06
	ateUnsigned     = 0x07
	ateUnsignedChar = 0x08
	ateUTF          = 0x10

	opPlusUconst = 0x23
)

// Lookup returns the complete type named name converted to a btf.Type: a
// *btf.Struct, *btf.Union, *btf.Enum or *btf.Typedef. name is a C name
// ("node") or a C name qualified by its kind ("struct node", "union u",
// "enum e", "typedef node_t"); a bare name that is both a tag and a typedef
// names the tag. Types referenced by the result that DWARF only declares are
// *btf.Fwd. Each DWARF type converts to one btf.Type, so repeated lookups
// return the same values. The error wraps ErrNotFound or ErrAmbiguous when
// no or several different definitions have that name, and ErrNoDWARF when t
// is nil.
//
// The result's named types are DWARF's own (its __u32 is not BTF's); pass it
// to Complete among the BTF roots to make them one graph.
func (t *Types) Lookup(name string) (btf.Type, error) {
	if t == nil {
		return nil, fmt.Errorf("type %s: %w", name, ErrNoDWARF)
	}
	kind, bare := splitKey(name)
	var keys []string
	if kind != "" {
		keys = []string{kind + " " + bare}
	} else {
		keys = []string{"struct " + bare, "union " + bare, "enum " + bare}
	}
	typ, err := t.lookupKeys(keys)
	if errors.Is(err, ErrNotFound) && kind == "" {
		typ, err = t.lookupKeys([]string{"typedef " + bare})
	}
	if err != nil {
		return nil, fmt.Errorf("type %s: %w", name, err)
	}
	return typ, nil
}

// lookupKeys converts the complete definitions under keys and returns the
// one they agree on.
func (t *Types) lookupKeys(keys []string) (btf.Type, error) {
	cands, err := t.candidates(keys)
	if err != nil {
		return nil, err
	}
	if len(cands) == 0 {
		return nil, ErrNotFound
	}
	first := cands[0]
	for _, c := range cands[1:] {
		if err := sameLayout(first, c); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrAmbiguous, err)
		}
	}
	return first, nil
}

// candidates converts every complete definition under keys, in the order
// of .debug_info.
func (t *Types) candidates(keys []string) ([]btf.Type, error) {
	var out []btf.Type
	for _, k := range keys {
		for _, d := range t.named[k] {
			if isDecl(d) {
				continue
			}
			typ, err := t.convert(d.Offset)
			if err != nil {
				return nil, err
			}
			out = append(out, typ)
		}
	}
	return out, nil
}

// convert returns the btf.Type of the DWARF type at off, converting it and
// what it references on first use. When the conversion fails, nothing it
// converted stays cached, so no later lookup sees a half-made type.
func (t *Types) convert(off dwarf.Offset) (typ btf.Type, err error) {
	c := converter{t: t, busy: map[dwarf.Offset]bool{}}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed DWARF: %v", r)
		}
		if err != nil {
			typ = nil
			for _, o := range c.added {
				delete(t.origin, t.cache[o])
				delete(t.cache, o)
			}
			err = fmt.Errorf("section .debug_info: %w", err)
		}
	}()
	return c.typeAt(off, 0)
}

// maxDepth bounds the nesting of types a conversion follows, so that a
// corrupt chain of references cannot exhaust the stack.
const maxDepth = 512

type converter struct {
	t     *Types
	added []dwarf.Offset
	// busy marks entries that resolve to another type (DW_TAG_atomic_type)
	// while they are being followed, to detect cycles among them.
	busy map[dwarf.Offset]bool
}

// remember caches typ as the conversion of d before d's references are
// converted, so that recursive types terminate.
func (c *converter) remember(d *die, typ btf.Type) {
	c.t.cache[d.Offset] = typ
	c.t.origin[typ] = d.Offset
	c.added = append(c.added, d.Offset)
}

// typeAt converts the entry at off.
func (c *converter) typeAt(off dwarf.Offset, depth int) (btf.Type, error) {
	if typ, ok := c.t.cache[off]; ok {
		return typ, nil
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("entry %#x: types nested deeper than %d", off, maxDepth)
	}
	d := c.t.dieAt(off)
	if d == nil {
		return nil, fmt.Errorf("reference to %#x: no such entry", off)
	}
	typ, err := c.convertDIE(d, depth)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", d.Tag, describe(d), err)
	}
	return typ, nil
}

// describe names an entry for error messages: its name, else its offset.
func describe(d *die) string {
	if name, _ := d.Val(dwarf.AttrName).(string); name != "" {
		return fmt.Sprintf("%q", name)
	}
	return fmt.Sprintf("at %#x", d.Offset)
}

// ref converts the type d's DW_AT_type references; no DW_AT_type means void.
func (c *converter) ref(d *die, depth int) (btf.Type, error) {
	v := d.Val(dwarf.AttrType)
	if v == nil {
		return (*btf.Void)(nil), nil
	}
	off, ok := v.(dwarf.Offset)
	if !ok {
		return nil, fmt.Errorf("DW_AT_type is %T, not a reference", v)
	}
	return c.typeAt(off, depth+1)
}

func (c *converter) convertDIE(d *die, depth int) (btf.Type, error) {
	name, _ := d.Val(dwarf.AttrName).(string)
	switch d.Tag {
	case dwarf.TagBaseType:
		return c.base(d, name)
	case dwarf.TagUnspecifiedType:
		return (*btf.Void)(nil), nil
	case dwarf.TagPointerType:
		return c.pointer(d, depth)
	case dwarf.TagConstType, dwarf.TagVolatileType, dwarf.TagRestrictType:
		return c.qualifier(d, depth)
	case tagAtomic:
		// BTF has no _Atomic; clang emits the type it qualifies.
		if c.busy[d.Offset] {
			return nil, errors.New("cycle of qualifiers")
		}
		c.busy[d.Offset] = true
		defer delete(c.busy, d.Offset)
		return c.ref(d, depth)
	case dwarf.TagTypedef:
		td := &btf.Typedef{Name: name, Tags: declTags(d)}
		c.remember(d, td)
		typ, err := c.ref(d, depth)
		if err != nil {
			return nil, err
		}
		td.Type = typ
		return td, nil
	case dwarf.TagStructType, dwarf.TagClassType, dwarf.TagUnionType:
		return c.composite(d, name, depth)
	case dwarf.TagEnumerationType:
		return c.enum(d, name, depth)
	case dwarf.TagArrayType:
		return c.array(d, depth)
	case dwarf.TagSubroutineType:
		return c.funcProto(d, depth)
	}
	return nil, fmt.Errorf("unsupported type entry %s", d.Tag)
}

func (c *converter) base(d *die, name string) (btf.Type, error) {
	size, err := byteSize(d)
	if err != nil {
		return nil, err
	}
	enc, _ := d.Val(dwarf.AttrEncoding).(int64)
	var typ btf.Type
	switch enc {
	case ateFloat:
		typ = &btf.Float{Name: name, Size: size}
	case ateBoolean:
		typ = &btf.Int{Name: name, Size: size, Encoding: btf.Bool}
	case ateSigned, ateSignedChar:
		typ = &btf.Int{Name: name, Size: size, Encoding: btf.Signed}
	case ateUnsigned, ateUnsignedChar, ateUTF:
		typ = &btf.Int{Name: name, Size: size, Encoding: btf.Unsigned}
	default:
		return nil, fmt.Errorf("unsupported encoding %#x", enc)
	}
	c.remember(d, typ)
	return typ, nil
}

// byteSize returns d's DW_AT_byte_size.
func byteSize(d *die) (uint32, error) {
	v, ok := d.Val(dwarf.AttrByteSize).(int64)
	if !ok {
		return 0, errors.New("no DW_AT_byte_size")
	}
	if v < 0 || v > math.MaxUint32 {
		return 0, fmt.Errorf("DW_AT_byte_size %d out of range", v)
	}
	return uint32(v), nil
}

// pointer converts a pointer type. clang records btf_type_tag attributes as
// annotations of the pointer; BTF puts them between the pointer and its
// target, the last one written nearest the pointer.
func (c *converter) pointer(d *die, depth int) (btf.Type, error) {
	p := &btf.Pointer{}
	c.remember(d, p)
	target, err := c.ref(d, depth)
	if err != nil {
		return nil, err
	}
	for _, tag := range annotations(d, "btf_type_tag") {
		target = &btf.TypeTag{Type: target, Value: tag}
	}
	p.Target = target
	return p, nil
}

func (c *converter) qualifier(d *die, depth int) (btf.Type, error) {
	var typ btf.Type
	var slot *btf.Type
	switch d.Tag {
	case dwarf.TagConstType:
		q := &btf.Const{}
		typ, slot = q, &q.Type
	case dwarf.TagVolatileType:
		q := &btf.Volatile{}
		typ, slot = q, &q.Type
	default:
		q := &btf.Restrict{}
		typ, slot = q, &q.Type
	}
	c.remember(d, typ)
	target, err := c.ref(d, depth)
	if err != nil {
		return nil, err
	}
	*slot = target
	return typ, nil
}

// annotations returns the values of d's DW_TAG_LLVM_annotation children
// named name, in order.
func annotations(d *die, name string) []string {
	var out []string
	for _, k := range d.kids {
		if k.Tag != tagAnnotation {
			continue
		}
		if n, _ := k.Val(dwarf.AttrName).(string); n != name {
			continue
		}
		if v, ok := k.Val(dwarf.AttrConstValue).(string); ok {
			out = append(out, v)
		}
	}
	return out
}

// declTags returns d's btf_decl_tag values, or nil.
func declTags(d *die) []string {
	return annotations(d, "btf_decl_tag")
}

func (c *converter) composite(d *die, name string, depth int) (btf.Type, error) {
	union := d.Tag == dwarf.TagUnionType
	if isDecl(d) {
		kind := btf.FwdStruct
		if union {
			kind = btf.FwdUnion
		}
		typ := &btf.Fwd{Name: name, Kind: kind}
		c.remember(d, typ)
		return typ, nil
	}
	size, err := byteSize(d)
	if err != nil {
		return nil, err
	}
	var typ btf.Type
	var members *[]btf.Member
	if union {
		u := &btf.Union{Name: name, Size: size, Tags: declTags(d)}
		typ, members = u, &u.Members
	} else {
		s := &btf.Struct{Name: name, Size: size, Tags: declTags(d)}
		typ, members = s, &s.Members
	}
	c.remember(d, typ)
	for _, k := range d.kids {
		if k.Tag != dwarf.TagMember {
			continue
		}
		m, err := c.member(k, depth)
		if err != nil {
			return nil, fmt.Errorf("member %s: %w", describe(k), err)
		}
		*members = append(*members, m)
	}
	return typ, nil
}

// member converts a struct or union member. Bitfields come in two forms:
// DW_AT_data_bit_offset (DWARF 4 and later) counts bits from the start of
// the struct; DW_AT_bit_offset (DWARF 2 and 3) counts from the most
// significant bit of a storage unit at DW_AT_data_member_location.
func (c *converter) member(k *die, depth int) (btf.Member, error) {
	name, _ := k.Val(dwarf.AttrName).(string)
	typ, err := c.ref(k, depth)
	if err != nil {
		return btf.Member{}, err
	}
	m := btf.Member{Name: name, Type: typ, Tags: declTags(k)}
	bitSize, _ := k.Val(dwarf.AttrBitSize).(int64)
	if bitSize < 0 || bitSize > math.MaxUint8 {
		return btf.Member{}, fmt.Errorf("DW_AT_bit_size %d out of range", bitSize)
	}
	var bits int64
	if v, ok := k.Val(dwarf.AttrDataBitOffset).(int64); ok {
		bits = v
	} else {
		loc, err := memberLocation(k)
		if err != nil {
			return btf.Member{}, err
		}
		if loc < 0 || loc > math.MaxUint32/8 {
			return btf.Member{}, fmt.Errorf("DW_AT_data_member_location %d out of range", loc)
		}
		bits = loc * 8
		if bo, ok := k.Val(dwarf.AttrBitOffset).(int64); ok {
			storage, ok := k.Val(dwarf.AttrByteSize).(int64)
			if !ok {
				s, err := btf.Sizeof(typ)
				if err != nil {
					return btf.Member{}, fmt.Errorf("size of bitfield storage: %w", err)
				}
				storage = int64(s)
			}
			if c.t.order == binary.ByteOrder(binary.BigEndian) {
				bits += bo
			} else {
				bits += storage*8 - bo - bitSize
			}
		}
	}
	if bits < 0 || bits > math.MaxUint32 {
		return btf.Member{}, fmt.Errorf("bit offset %d out of range", bits)
	}
	m.Offset = btf.Bits(bits)
	m.BitfieldSize = btf.Bits(bitSize)
	return m, nil
}

// memberLocation returns a member's DW_AT_data_member_location in bytes: a
// constant, or a DW_OP_plus_uconst expression (DWARF 2); absent in unions.
func memberLocation(k *die) (int64, error) {
	switch v := k.Val(dwarf.AttrDataMemberLoc).(type) {
	case nil:
		return 0, nil
	case int64:
		return v, nil
	case []byte:
		if len(v) == 0 || v[0] != opPlusUconst {
			return 0, errors.New("DW_AT_data_member_location is not DW_OP_plus_uconst")
		}
		u, n := binary.Uvarint(v[1:])
		if n <= 0 || n != len(v)-1 || u > math.MaxInt64 {
			return 0, errors.New("DW_AT_data_member_location: bad operand")
		}
		return int64(u), nil
	default:
		return 0, fmt.Errorf("DW_AT_data_member_location is %T", v)
	}
}

// enum converts an enumeration. Like clang's BTF, signedness comes from the
// underlying type (values of a signed enum of up to 4 bytes are sign
// extended to 64 bits, as cilium/ebpf reads them), and a declaration-only
// enum has size 0 and no values.
func (c *converter) enum(d *die, name string, depth int) (btf.Type, error) {
	e := &btf.Enum{Name: name}
	if isDecl(d) {
		c.remember(d, e)
		return e, nil
	}
	size, err := byteSize(d)
	if err != nil {
		return nil, err
	}
	if size != 1 && size != 2 && size != 4 && size != 8 {
		return nil, fmt.Errorf("unsupported size %d", size)
	}
	e.Size = size
	c.remember(d, e)
	var vals []int64
	for _, k := range d.kids {
		if k.Tag != dwarf.TagEnumerator {
			continue
		}
		v, ok := k.Val(dwarf.AttrConstValue).(int64)
		if !ok {
			return nil, fmt.Errorf("enumerator %s: no constant value", describe(k))
		}
		vn, _ := k.Val(dwarf.AttrName).(string)
		e.Values = append(e.Values, btf.EnumValue{Name: vn})
		vals = append(vals, v)
	}
	if d.Val(dwarf.AttrType) != nil {
		under, err := c.ref(d, depth)
		if err != nil {
			return nil, err
		}
		if i, ok := btf.UnderlyingType(under).(*btf.Int); ok {
			e.Signed = i.Encoding == btf.Signed
		}
	} else {
		e.Signed = slices.ContainsFunc(vals, func(v int64) bool { return v < 0 })
	}
	for i, v := range vals {
		switch {
		case size == 8:
			e.Values[i].Value = uint64(v)
		case e.Signed:
			e.Values[i].Value = uint64(int64(int32(v)))
		default:
			e.Values[i].Value = uint64(uint32(v))
		}
	}
	return e, nil
}

// array converts an array type. DWARF gives a multi-dimensional array as
// one entry with a subrange per dimension, BTF as nested arrays, outermost
// first. A dimension without a count (a flexible array member) has no
// elements.
func (c *converter) array(d *die, depth int) (btf.Type, error) {
	var dims []uint32
	for _, k := range d.kids {
		switch k.Tag {
		case dwarf.TagSubrangeType:
			n, err := subrangeCount(k)
			if err != nil {
				return nil, err
			}
			dims = append(dims, n)
		case dwarf.TagEnumerationType:
			return nil, errors.New("enumeration as array index is not supported")
		}
	}
	if len(dims) == 0 {
		dims = []uint32{0}
	}
	outer := &btf.Array{Index: c.t.index, Nelems: dims[0]}
	c.remember(d, outer)
	elem, err := c.ref(d, depth)
	if err != nil {
		return nil, err
	}
	for i := len(dims) - 1; i >= 1; i-- {
		elem = &btf.Array{Index: c.t.index, Type: elem, Nelems: dims[i]}
	}
	outer.Type = elem
	return outer, nil
}

// subrangeCount returns the number of elements of one array dimension.
func subrangeCount(k *die) (uint32, error) {
	n, ok := k.Val(dwarf.AttrCount).(int64)
	if !ok {
		ub, ok := k.Val(dwarf.AttrUpperBound).(int64)
		if !ok {
			return 0, nil // [] or a variable length
		}
		lb, _ := k.Val(dwarf.AttrLowerBound).(int64)
		n = ub - lb + 1
	}
	if n < 0 || n > math.MaxUint32 {
		return 0, fmt.Errorf("array dimension %d out of range", n)
	}
	return uint32(n), nil
}

// funcProto converts a subroutine type. Like clang's BTF, a variadic
// function gets a last parameter of type void without a name.
func (c *converter) funcProto(d *die, depth int) (btf.Type, error) {
	fp := &btf.FuncProto{}
	c.remember(d, fp)
	ret, err := c.ref(d, depth)
	if err != nil {
		return nil, err
	}
	fp.Return = ret
	for _, k := range d.kids {
		switch k.Tag {
		case dwarf.TagFormalParameter:
			pt, err := c.ref(k, depth)
			if err != nil {
				return nil, err
			}
			pn, _ := k.Val(dwarf.AttrName).(string)
			fp.Params = append(fp.Params, btf.FuncParam{Name: pn, Type: pt})
		case dwarf.TagUnspecifiedParameters:
			fp.Params = append(fp.Params, btf.FuncParam{Type: (*btf.Void)(nil)})
		}
	}
	return fp, nil
}
