package linker

import (
	"cmp"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// BTF kinds (include/uapi/linux/btf.h).
const (
	kindInt       = 1
	kindPtr       = 2
	kindArray     = 3
	kindStruct    = 4
	kindUnion     = 5
	kindEnum      = 6
	kindFwd       = 7
	kindTypedef   = 8
	kindVolatile  = 9
	kindConst     = 10
	kindRestrict  = 11
	kindFunc      = 12
	kindFuncProto = 13
	kindVar       = 14
	kindDatasec   = 15
	kindFloat     = 16
	kindDeclTag   = 17
	kindTypeTag   = 18
	kindEnum64    = 19
)

const (
	btfMagic     = 0xeb9f
	btfHeaderLen = 24
	linkStatic   = 0
	linkGlobal   = 1
	linkExtern   = 2
)

// btfType is one BTF type record. Its references are global IDs: the
// type's index in the concatenation of all inputs' types (0 is void).
type btfType struct {
	obj      int
	name     string
	info     uint32 // kind, kind flag and vlen, as in the record
	sizeType uint32 // size, or a reference for the kinds refSizeType lists
	extra    []uint32
	strs     []string // strings of the extra words whose role is roleStr, in order
}

func (t *btfType) kind() int  { return int(t.info>>24) & 0x1f }
func (t *btfType) vlen() int  { return int(t.info & 0xffff) }
func (t *btfType) kflag() int { return int(t.info >> 31) }

// linkage is the linkage of a FUNC or VAR.
func (t *btfType) linkage() int {
	switch t.kind() {
	case kindFunc:
		return t.vlen()
	case kindVar:
		return int(t.extra[0])
	}
	return linkStatic
}

// refSizeType reports whether a kind's size/type word is a type reference.
func refSizeType(kind int) bool {
	switch kind {
	case kindPtr, kindTypedef, kindVolatile, kindConst, kindRestrict, kindFunc,
		kindFuncProto, kindVar, kindDeclTag, kindTypeTag:
		return true
	}
	return false
}

// Roles of a type's extra words.
const (
	roleRaw = iota
	roleRef
	roleStr
)

// extraLen is the number of extra words after a record of kind with vlen.
func extraLen(kind, vlen int) (int, error) {
	switch kind {
	case kindInt, kindVar, kindDeclTag:
		return 1, nil
	case kindPtr, kindFwd, kindTypedef, kindVolatile, kindConst, kindRestrict, kindFunc, kindFloat, kindTypeTag:
		return 0, nil
	case kindArray:
		return 3, nil
	case kindStruct, kindUnion, kindDatasec, kindEnum64:
		return 3 * vlen, nil
	case kindEnum, kindFuncProto:
		return 2 * vlen, nil
	}
	return 0, fmt.Errorf("unknown BTF kind %d", kind)
}

// role is the role of extra word i of a type of kind.
func role(kind, i int) int {
	switch kind {
	case kindArray:
		if i < 2 {
			return roleRef
		}
	case kindStruct, kindUnion:
		return [3]int{roleStr, roleRef, roleRaw}[i%3]
	case kindEnum:
		return [2]int{roleStr, roleRaw}[i%2]
	case kindFuncProto:
		return [2]int{roleStr, roleRef}[i%2]
	case kindDatasec:
		return [3]int{roleRef, roleRaw, roleRaw}[i%3]
	case kindEnum64:
		return [3]int{roleStr, roleRaw, roleRaw}[i%3]
	}
	return roleRaw
}

// refs calls fn with a pointer to every type reference of t.
func (t *btfType) refs(fn func(*uint32)) {
	k := t.kind()
	if refSizeType(k) {
		fn(&t.sizeType)
	}
	for i := range t.extra {
		if role(k, i) == roleRef {
			fn(&t.extra[i])
		}
	}
}

// btfStrings reads strings of a raw BTF string section.
type btfStrings []byte

func (s btfStrings) at(off uint32) (string, error) {
	if int64(off) >= int64(len(s)) {
		return "", fmt.Errorf("string offset %d outside %d bytes of strings", off, len(s))
	}
	end := slices.Index(s[off:], 0)
	if end < 0 {
		return "", fmt.Errorf("string at %d is not terminated", off)
	}
	return string(s[off : off+uint32(end)]), nil
}

// parseBTF reads raw .BTF into types whose references are local IDs plus
// base (0 stays void). It returns the types and the string section, which
// .BTF.ext refers to.
func parseBTF(raw []byte, order byteOrder, obj int, base uint32) ([]*btfType, btfStrings, error) {
	if len(raw) < btfHeaderLen {
		return nil, nil, errors.New("header truncated")
	}
	if m := order.Uint16(raw); m != btfMagic {
		return nil, nil, fmt.Errorf("bad magic %#x (or byte order unlike the ELF's)", m)
	}
	if raw[2] != 1 {
		return nil, nil, fmt.Errorf("version %d, want 1", raw[2])
	}
	hdrLen := order.Uint32(raw[4:])
	typeOff, typeLen := order.Uint32(raw[8:]), order.Uint32(raw[12:])
	strOff, strLen := order.Uint32(raw[16:]), order.Uint32(raw[20:])
	section := func(off, n uint32) ([]byte, error) {
		start := uint64(hdrLen) + uint64(off)
		if hdrLen < btfHeaderLen || start+uint64(n) > uint64(len(raw)) {
			return nil, fmt.Errorf("section at %d+%d outside %d bytes", off, n, len(raw))
		}
		return raw[start : start+uint64(n)], nil
	}
	tdata, err := section(typeOff, typeLen)
	if err != nil {
		return nil, nil, fmt.Errorf("types: %w", err)
	}
	sdata, err := section(strOff, strLen)
	if err != nil {
		return nil, nil, fmt.Errorf("strings: %w", err)
	}
	strs := btfStrings(sdata)
	var types []*btfType
	for p := 0; p < len(tdata); {
		id := len(types) + 1
		if p+12 > len(tdata) {
			return nil, nil, fmt.Errorf("type %d: truncated", id)
		}
		t := &btfType{obj: obj, info: order.Uint32(tdata[p+4:]), sizeType: order.Uint32(tdata[p+8:])}
		if t.name, err = strs.at(order.Uint32(tdata[p:])); err != nil {
			return nil, nil, fmt.Errorf("type %d: name: %w", id, err)
		}
		p += 12
		n, err := extraLen(t.kind(), t.vlen())
		if err != nil {
			return nil, nil, fmt.Errorf("type %d: %w", id, err)
		}
		if p+4*n > len(tdata) {
			return nil, nil, fmt.Errorf("type %d: truncated", id)
		}
		t.extra = make([]uint32, n)
		for i := range t.extra {
			w := order.Uint32(tdata[p:])
			p += 4
			if role(t.kind(), i) == roleStr {
				s, err := strs.at(w)
				if err != nil {
					return nil, nil, fmt.Errorf("type %d %q: member %d: %w", id, t.name, i/3, err)
				}
				t.strs = append(t.strs, s)
				w = 0
			}
			t.extra[i] = w
		}
		types = append(types, t)
	}
	for i, t := range types {
		var bad error
		t.refs(func(r *uint32) {
			if *r > uint32(len(types)) {
				bad = fmt.Errorf("type %d %q: refers to type %d of %d", i+1, t.name, *r, len(types))
			} else if *r != 0 {
				*r += base
			}
		})
		if bad != nil {
			return nil, nil, bad
		}
	}
	return types, strs, nil
}

// btfMerge is the merged BTF of all inputs.
type btfMerge struct {
	all   []*btfType // by global ID; all[0] is nil (void)
	base  []uint32   // global ID of each object's type 0
	strs  []btfStrings
	alias []uint32 // alias[id] != 0: id is replaced by that type
	// dropped[id]: the type is not linked (a variable of a deduplicated
	// license or version section, or a tag on one).
	dropped []bool
	class   []int    // equivalence class of each type after deduplication
	newID   []uint32 // output ID of each class representative, by global ID
	out     []*btfType
	// globalAliases are the FUNCs and VARs aliasGlobals replaced by another
	// object's of the same symbol.
	globalAliases []uint32
}

// resolve follows aliases from id.
func (m *btfMerge) resolve(id uint32) uint32 {
	for m.alias[id] != 0 {
		id = m.alias[id]
	}
	return id
}

// typeID returns the output ID of object obj's type local.
func (m *btfMerge) typeID(obj int, local uint32) (uint32, error) {
	if local == 0 {
		return 0, nil
	}
	lim := uint32(len(m.all))
	if obj+1 < len(m.base) {
		lim = m.base[obj+1] + 1
	}
	id := m.base[obj] + local
	if id >= lim {
		return 0, fmt.Errorf("type %d does not exist", local)
	}
	return m.outID(id), nil
}

// outID returns the output ID of global ID id.
func (m *btfMerge) outID(id uint32) uint32 {
	id = m.resolve(id)
	if id == 0 {
		return 0
	}
	return m.newID[m.class[id]]
}

// mergeBTF concatenates the inputs' types and deduplicates them: one FUNC
// or VAR per global symbol (the winning definition's), one DATASEC per
// section holding every linked object's variables at their merged offsets,
// forward declarations resolved to the one complete type of their name,
// and structurally identical types kept once. The variables of
// deduplicated license and version sections are left out.
func mergeBTF(objs []*object, st *symbols) (*btfMerge, error) {
	m := &btfMerge{all: []*btfType{nil}}
	for oi, o := range objs {
		m.base = append(m.base, uint32(len(m.all)-1))
		if o.btf == nil {
			m.strs = append(m.strs, nil)
			continue
		}
		types, strs, err := parseBTF(o.btf, o.order, oi, uint32(len(m.all)-1))
		if err != nil {
			return nil, fmt.Errorf("%s: .BTF: %w", o.name, err)
		}
		m.all = append(m.all, types...)
		m.strs = append(m.strs, strs)
	}
	m.alias = make([]uint32, len(m.all))
	m.dropDeduped(objs)
	m.aliasGlobals(st)
	if err := m.mergeDatasecs(objs); err != nil {
		return nil, err
	}
	m.resolveFwds()
	if err := m.checkGlobals(objs, st); err != nil {
		return nil, err
	}
	// Each class goes out once, as its first type that is no alias, at
	// the place of its first member or alias: a global's FUNC or VAR
	// stays where the symbol first appeared, as with libbpf.
	m.newID = make([]uint32, len(m.all))
	rep := make([]uint32, len(m.all))
	for id := uint32(1); id < uint32(len(m.all)); id++ {
		if c := m.class[id]; m.alias[id] == 0 && !m.dropped[id] && rep[c] == 0 {
			rep[c] = id
		}
	}
	for _, datasecs := range []bool{false, true} { // DATASECs last, as with libbpf
		for id := uint32(1); id < uint32(len(m.all)); id++ {
			if m.dropped[id] {
				continue
			}
			c := m.class[m.resolve(id)]
			if m.newID[c] != 0 || (m.all[rep[c]].kind() == kindDatasec) != datasecs {
				continue
			}
			m.out = append(m.out, m.all[rep[c]])
			m.newID[c] = uint32(len(m.out))
		}
	}
	return m, nil
}

// aliasGlobals makes every FUNC and VAR of a global symbol an alias of one
// of them: the one from the object whose definition won, else the first.
func (m *btfMerge) aliasGlobals(st *symbols) {
	type key struct {
		name string
		kind int
	}
	canon := map[key]uint32{}
	for pass := 0; pass < 2; pass++ {
		for id := 1; id < len(m.all); id++ {
			t := m.all[id]
			if (t.kind() != kindFunc && t.kind() != kindVar) || t.linkage() == linkStatic || m.dropped[id] {
				continue
			}
			k := key{t.name, t.kind()}
			if _, ok := canon[k]; ok {
				continue
			}
			if pass == 1 || (t.linkage() == linkGlobal && st.definer(t.name) == t.obj) {
				canon[k] = uint32(id)
			}
		}
	}
	for id := 1; id < len(m.all); id++ {
		t := m.all[id]
		if (t.kind() != kindFunc && t.kind() != kindVar) || t.linkage() == linkStatic || m.dropped[id] {
			continue
		}
		if c := canon[key{t.name, t.kind()}]; c != uint32(id) {
			m.alias[id] = c
			m.globalAliases = append(m.globalAliases, uint32(id))
		}
	}
}

// dropDeduped marks the variables of every deduplicated license or
// version section, and the tags on them, as not linked: the first
// object's section and variables stand for them.
func (m *btfMerge) dropDeduped(objs []*object) {
	m.dropped = make([]bool, len(m.all))
	for id := 1; id < len(m.all); id++ {
		t := m.all[id]
		if t.kind() != kindDatasec || !isDedupedSection(t.name) {
			continue
		}
		deduped := false
		for _, s := range objs[t.obj].secs {
			if s != nil && s.name == t.name {
				deduped = s.deduped
			}
		}
		for i := 0; deduped && i+2 < len(t.extra); i += 3 {
			if v := t.extra[i]; v != 0 && m.all[v].kind() == kindVar {
				m.dropped[v] = true
			}
		}
	}
	for id := 1; id < len(m.all); id++ {
		if t := m.all[id]; t.kind() == kindDeclTag && m.dropped[t.sizeType] {
			m.dropped[id] = true
		}
	}
}

// mergeDatasecs keeps the first DATASEC of each name and gives it the
// variables of all DATASECs of that name, at their offsets in the merged
// section (taken from the symbol table, which clang fills in where BTF
// has zeros), leaving out variables whose symbol another object defines.
func (m *btfMerge) mergeDatasecs(objs []*object) error {
	type entry struct{ typ, off, size uint32 }
	first := map[string]uint32{}
	merged := map[uint32][]entry{}
	var order []uint32
	for id := 1; id < len(m.all); id++ {
		t := m.all[id]
		if t.kind() != kindDatasec {
			continue
		}
		o := objs[t.obj]
		c, ok := first[t.name]
		if !ok {
			c = uint32(id)
			first[t.name] = c
			order = append(order, c)
		} else {
			m.alias[id] = c
		}
		var is *inSection
		var secIdx int
		for i, s := range o.secs {
			if s != nil && s.name == t.name {
				is, secIdx = s, i
			}
		}
		for i := 0; i+2 < len(t.extra); i += 3 {
			e := entry{typ: t.extra[i], off: t.extra[i+1], size: t.extra[i+2]}
			if e.typ == 0 || m.alias[e.typ] != 0 || m.dropped[e.typ] {
				continue // another object's variable won, or the first object's section stands for this one
			}
			if is != nil {
				off := uint64(e.off)
				if v := m.all[e.typ]; v != nil {
					if sym, ok := findSym(o, secIdx, v.name); ok {
						off = sym.Value
					}
				}
				off += is.off
				if off > 0xffffffff {
					return fmt.Errorf("%s: DATASEC %s: variable offset %d does not fit BTF", o.name, t.name, off)
				}
				e.off = uint32(off)
			}
			merged[c] = append(merged[c], e)
		}
	}
	for _, c := range order {
		t := m.all[c]
		es := merged[c]
		slices.SortStableFunc(es, func(a, b entry) int { return cmp.Compare(a.off, b.off) })
		if len(es) > 0xffff {
			return fmt.Errorf("DATASEC %s: %d variables, more than BTF holds", t.name, len(es))
		}
		t.extra = t.extra[:0:0]
		for _, e := range es {
			t.extra = append(t.extra, e.typ, e.off, e.size)
		}
		t.info = t.info&^0xffff | uint32(len(es))
		for _, o := range objs {
			for _, s := range o.secs {
				if s != nil && s.name == t.name {
					t.sizeType = uint32(s.out.size)
				}
			}
		}
	}
	return nil
}

// findSym returns the symbol called name defined in section secIdx of o.
func findSym(o *object, secIdx int, name string) (elf.Symbol, bool) {
	for _, s := range o.syms[1:] {
		if int(s.Section) == secIdx && s.Name == name && elf.ST_TYPE(s.Info) != elf.STT_SECTION {
			return s, true
		}
	}
	return elf.Symbol{}, false
}

// dedup partitions the types that are not aliases into classes of
// structurally identical types: it starts from each type's own fields and
// refines by the classes of the types it refers to until nothing splits
// (the coarsest stable partition, which handles cycles through pointers).
// VARs and DATASECs stay unique.
func (m *btfMerge) dedup() {
	m.class = make([]int, len(m.all))
	keys := map[string]int{}
	var buf []byte
	for id := 1; id < len(m.all); id++ {
		if m.alias[id] != 0 || m.dropped[id] {
			continue
		}
		t := m.all[id]
		buf = binary.LittleEndian.AppendUint32(buf[:0], t.info)
		k := t.kind()
		if k == kindVar || k == kindDatasec {
			buf = binary.LittleEndian.AppendUint32(buf, uint32(id))
		}
		if !refSizeType(k) {
			buf = binary.LittleEndian.AppendUint32(buf, t.sizeType)
		}
		for i, w := range t.extra {
			if role(k, i) == roleRaw {
				buf = binary.LittleEndian.AppendUint32(buf, w)
			}
		}
		for _, s := range append([]string{t.name}, t.strs...) {
			buf = binary.AppendUvarint(buf, uint64(len(s)))
			buf = append(buf, s...)
		}
		m.class[id] = intern(keys, buf)
	}
	for n := len(keys); ; {
		next := make([]int, len(m.all))
		keys = map[string]int{}
		for id := 1; id < len(m.all); id++ {
			if m.alias[id] != 0 || m.dropped[id] {
				continue
			}
			buf = binary.LittleEndian.AppendUint32(buf[:0], uint32(m.class[id]))
			m.all[id].refs(func(r *uint32) {
				buf = binary.LittleEndian.AppendUint32(buf, uint32(m.class[m.resolve(*r)]))
			})
			next[id] = intern(keys, buf)
		}
		m.class = next
		if len(keys) == n {
			return
		}
		n = len(keys)
	}
}

// intern returns the class number of key, numbering new keys from 1.
func intern(keys map[string]int, key []byte) int {
	if c, ok := keys[string(key)]; ok {
		return c
	}
	c := len(keys) + 1
	keys[string(key)] = c
	return c
}

// resolveFwds deduplicates the types with every forward declaration an
// alias of the complete struct or union of its name, where all complete
// ones of that name are one class.
//
// Whether two definitions are one class can itself depend on forward
// declarations: struct mid { struct leaf *l; } where one object completes
// leaf and another only declares it, or two structs that point at each
// other, each completed in one object and declared in another. So every
// name with a complete definition starts out resolved, and names whose
// definitions still fall into several classes are withdrawn, their
// declarations left as they are, until none does. Withdrawing only
// splits classes, so this ends, and it keeps every resolution that is
// consistent with all the others (the largest such set), in ID order
// throughout.
func (m *btfMerge) resolveFwds() {
	type key struct {
		name  string
		union bool
	}
	defs := map[key][]uint32{} // complete definitions of each name, by ID
	for id := 1; id < len(m.all); id++ {
		t := m.all[id]
		if m.alias[id] == 0 && (t.kind() == kindStruct || t.kind() == kindUnion) && t.name != "" {
			k := key{t.name, t.kind() == kindUnion}
			defs[k] = append(defs[k], uint32(id))
		}
	}
	fwds := map[key][]uint32{} // declarations of each name that has definitions
	var names []key            // those names, in order of first declaration
	for id := 1; id < len(m.all); id++ {
		t := m.all[id]
		if m.alias[id] != 0 || t.kind() != kindFwd {
			continue
		}
		k := key{t.name, t.kflag() == 1}
		if len(defs[k]) == 0 {
			continue
		}
		if len(fwds[k]) == 0 {
			names = append(names, k)
		}
		fwds[k] = append(fwds[k], uint32(id))
		m.alias[id] = defs[k][0]
	}
	for {
		m.dedup()
		kept := names[:0]
		for _, k := range names {
			c := m.class[defs[k][0]]
			if !slices.ContainsFunc(defs[k][1:], func(id uint32) bool { return m.class[id] != c }) {
				kept = append(kept, k)
				continue
			}
			for _, id := range fwds[k] {
				m.alias[id] = 0
			}
		}
		if len(kept) == len(names) {
			return
		}
		names = kept
	}
}

// strtab builds a BTF or ELF string table: offset 0 is the empty string.
type strtab struct {
	data []byte
	offs map[string]uint32
}

func newStrtab() *strtab { return &strtab{data: []byte{0}, offs: map[string]uint32{"": 0}} }

func (s *strtab) add(str string) uint32 {
	if off, ok := s.offs[str]; ok {
		return off
	}
	off := uint32(len(s.data))
	s.data = append(append(s.data, str...), 0)
	s.offs[str] = off
	return off
}

// encodeTypes writes the merged types, adding their strings to strs.
func (m *btfMerge) encodeTypes(order byteOrder, strs *strtab) []byte {
	var b []byte
	for _, t := range m.out {
		k := t.kind()
		st := t.sizeType
		if refSizeType(k) {
			st = m.outID(st)
		}
		b = order.AppendUint32(b, strs.add(t.name))
		b = order.AppendUint32(b, t.info)
		b = order.AppendUint32(b, st)
		si := 0
		for i, w := range t.extra {
			switch role(k, i) {
			case roleRef:
				w = m.outID(w)
			case roleStr:
				w = strs.add(t.strs[si])
				si++
			}
			b = order.AppendUint32(b, w)
		}
	}
	return b
}

// encodeBTF returns a complete .BTF section of types and strings.
func encodeBTF(order byteOrder, types []byte, strs *strtab) []byte {
	b := order.AppendUint16(nil, btfMagic)
	b = append(b, 1, 0)
	b = order.AppendUint32(b, btfHeaderLen)
	b = order.AppendUint32(b, 0)
	b = order.AppendUint32(b, uint32(len(types)))
	b = order.AppendUint32(b, uint32(len(types)))
	b = order.AppendUint32(b, uint32(len(strs.data)))
	b = append(b, types...)
	return append(b, strs.data...)
}
