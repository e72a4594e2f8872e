package btf2go

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"

	"github.com/bpfskel/bpfskel/internal/btfq"
	"github.com/cilium/ebpf/btf"
)

// DefaultRuntimePkg is the import path of bpfskel's runtime package, used
// when Options.RuntimePkg is empty.
const DefaultRuntimePkg = "github.com/bpfskel/bpfskel/runtime"

// Options configures a Generator.
type Options struct {
	// RuntimePkg is the import path of the runtime package that generated
	// code uses for Ptr, Int128 and the layout helpers. Empty means
	// DefaultRuntimePkg.
	RuntimePkg string
	// ArenaPointer reports whether the pointer member named member of owner
	// (a *btf.Struct, *btf.Union or *btf.Datasec) points into the arena.
	// Pointers with btf_type_tag("arena") always do. Nil means only tagged
	// pointers are arena pointers.
	ArenaPointer func(owner btf.Type, member string) bool
	// Statics includes static variables of a Datasec; without it their
	// bytes are padding.
	Statics bool
	// ByteOrder is the byte order of the BTF (and of the host the code is
	// for): it decides how bitfield accessors number bits and how 128-bit
	// integers are laid out. Nil means little-endian.
	ByteOrder binary.ByteOrder
	// Reserved lists Go names that generated declarations must not take on
	// their own (the caller declares them). A name passed to Add may still
	// be one of them.
	Reserved []string
	// Prefix starts the Go name of every type and enum constant declared
	// for a C name (Event for struct event becomes PrefixEvent), so that
	// several generated files of one package cannot clash. Empty: none.
	Prefix string
}

// ErrEmitted is returned by the methods of a Generator after Decls or
// Source.
var ErrEmitted = errors.New("btf2go: generator already emitted")

// Generator translates BTF types to Go declarations. It is not safe for
// concurrent use.
type Generator struct {
	opts  Options
	rtPkg string
	be    bool // big-endian
	// typeOfRuntime reports that TypeOf returned an expression using the
	// runtime package.
	typeOfRuntime bool
	// planned are the Go names Plan gave named C types.
	planned map[btf.Type]string
	names   *namespace
	decls   map[btf.Type]*decl
	byName  map[string]*decl
	list    []*decl // in discovery order
	done    bool
}

// New returns a Generator with the given options.
func New(opts Options) *Generator {
	g := &Generator{
		opts:   opts,
		rtPkg:  opts.RuntimePkg,
		names:  newNamespace(),
		decls:  make(map[btf.Type]*decl),
		byName: make(map[string]*decl),
	}
	if g.rtPkg == "" {
		g.rtPkg = DefaultRuntimePkg
	}
	g.be = opts.ByteOrder == binary.BigEndian
	for _, n := range opts.Reserved {
		g.names.reserve(n)
	}
	return g
}

// Add schedules t and every type it references for emission. name, when not
// empty, is the Go name of t's declaration instead of the one derived from
// its C name (used for Datasecs: XBSS, XData, …); a type that would not get a
// declaration of its own (an integer, a pointer, an array) then gets a type
// alias of that name. A typedef gets a type alias named after it.
func (g *Generator) Add(t btf.Type, name string) error {
	if g.done {
		return ErrEmitted
	}
	_, err := g.add(t, name)
	return err
}

// Name schedules t like Add and returns the Go name of its declaration. It
// fails for types that get no declaration of their own (integers,
// pointers, arrays, functions).
func (g *Generator) Name(t btf.Type) (string, error) {
	if g.done {
		return "", ErrEmitted
	}
	d, err := g.add(t, "")
	if err != nil {
		return "", err
	}
	if d == nil {
		return "", fmt.Errorf("%s: no Go declaration for this kind of type", describe(t))
	}
	return d.name, nil
}

// TypeOf returns the Go type expression for t as source text (for
// example uint64, Foo, [4]Foo or runtime.Ptr[Foo]: the runtime package is
// named "runtime") and schedules the declarations it needs. Typedefs are
// transparent: TypeOf of __u64 is uint64.
func (g *Generator) TypeOf(t btf.Type) (string, error) {
	return g.TypeOfAs(t, "")
}

// TypeOfAs is TypeOf where hint (a Go name; Options.Prefix is added) names
// an anonymous struct, union or enum that t is, or holds through arrays or
// as an arena pointer target: gen names the anonymous value type of map
// m MValue, so that the name depends on the map alone.
func (g *Generator) TypeOfAs(t btf.Type, hint string) (string, error) {
	if g.done {
		return "", ErrEmitted
	}
	c := ctx{}
	if hint != "" {
		c.hint = g.opts.Prefix + hint
	}
	gt, err := g.goType(t, c)
	if err != nil {
		return "", err
	}
	g.typeOfRuntime = g.typeOfRuntime || gt.code.usesRuntime()
	return gt.code.String(), nil
}

func (g *Generator) add(t btf.Type, name string) (*decl, error) {
	t, arena := stripQualifiers(t)
	switch v := t.(type) {
	case *btf.Var:
		if name != "" {
			return g.alias(v, v.Type, name)
		}
		if inner, _ := stripQualifiers(v.Type); isVar(inner) {
			return nil, fmt.Errorf("%s: a variable of a variable", describe(v))
		}
		return g.add(v.Type, "")
	case *btf.Typedef:
		return g.typedef(v, name)
	case *btf.Struct, *btf.Union, *btf.Enum, *btf.Fwd, *btf.Datasec:
		d, err := g.declFor(t, "", name)
		if err != nil {
			return nil, err
		}
		return d, g.build(d)
	case *btf.Func, *btf.FuncProto:
		return nil, fmt.Errorf("%s: a function has no data layout", describe(t))
	default:
		if name != "" {
			return g.alias(nil, t, name)
		}
		_, err := g.goType(t, ctx{arena: arena})
		return nil, err
	}
}

func isVar(t btf.Type) bool {
	_, ok := t.(*btf.Var)
	return ok
}

// ctx is where a type is used: it decides arena pointers and names anonymous
// types.
type ctx struct {
	owner  btf.Type // composite whose member (or Datasec variable) this is
	member string   // C name of that member
	hint   string   // Go name for an anonymous struct, union or enum met here
	// hintOf, when hint is empty, is the parent's Go name: the hint is
	// then hintOf+GoName(member), computed only when needed.
	hintOf string
	arena  bool // a btf_type_tag("arena") applies
	depth  int  // nesting of goType calls, to stop on cycles
	// lazy names structs, unions and enums without laying them out yet
	// (behind an arena pointer, where only the name matters); finish lays
	// them out later. Sizes reported under lazy are meaningless.
	lazy bool
}

// name is the Go name for an anonymous type met at c.
func (c *ctx) name() string {
	if c.hint == "" && c.hintOf != "" {
		c.hint = c.hintOf + GoName(c.member)
	}
	return c.hint
}

// goName is GoName. (A cache costs more than it saves.)
func (g *Generator) goName(c string) string { return GoName(c) }

// declName is the Go name of a package-level declaration (type, enum
// constant) for the C name c: Options.Prefix and GoName(c).
func (g *Generator) declName(c string) string { return g.opts.Prefix + GoName(c) }

// maxDepth bounds the nesting of types (typedef chains, arrays, arena
// pointer targets) so that malformed BTF with cycles fails instead of
// recursing forever.
const maxDepth = 512

// goType is the Go representation of a BTF type.
type goType struct {
	code  *texpr
	size  uint32
	align uint32 // Go's alignment, at most 8
	// basic is the Go name of a predeclared type ("uint32"), if it is one.
	basic string
	// elem is the element type of a zero-length array.
	elem      *texpr
	zeroArray bool
}

// stripQualifiers removes const, volatile, restrict and type tags, and
// reports whether one of the tags was "arena". On a cycle it returns t
// unchanged, which no caller translates.
func stripQualifiers(t btf.Type) (btf.Type, bool) {
	s, arena := btfq.Strip(t, false)
	if s == nil {
		return t, arena
	}
	return s, arena
}

// resolve strips qualifiers and typedefs.
func resolve(t btf.Type) btf.Type {
	for range 64 {
		t, _ = stripQualifiers(t)
		td, ok := t.(*btf.Typedef)
		if !ok {
			return t
		}
		t = td.Type
	}
	return t
}

// nestingError reports a type graph nested deeper than maxDepth (in
// practice, a malformed type that contains itself).
type nestingError struct{ what string }

func (e *nestingError) Error() string {
	return fmt.Sprintf("%s: types nested more than %d deep", e.what, maxDepth)
}

func (g *Generator) goType(t btf.Type, c ctx) (goType, error) {
	c.depth++
	if c.depth > maxDepth {
		return goType{}, &nestingError{what: describe(t)}
	}
	t, arena := stripQualifiers(t)
	c.arena = c.arena || arena
	switch v := t.(type) {
	case *btf.Int:
		gt, err := intType(v)
		if err == nil && gt.code == nil {
			name := g.rt(rtUint128)
			if v.Encoding&btf.Signed != 0 {
				name = g.rt(rtInt128)
			}
			gt.code = &texpr{kind: tRuntime, name: name}
		}
		return gt, err
	case *btf.Float:
		switch v.Size {
		case 4:
			return basic("float32", 4), nil
		case 8:
			return basic("float64", 8), nil
		}
		return goType{code: arrayOf(v.Size, ident("byte")), size: v.Size, align: 1}, nil
	case *btf.Pointer:
		return g.pointer(v, c)
	case *btf.Array:
		return g.array(v, c)
	case *btf.Typedef:
		target, _ := stripQualifiers(v.Type)
		if isAnonymous(target) {
			if err := checkTypeName(v); err != nil {
				return goType{}, err
			}
			c.hint = g.declName(v.Name)
			if _, seen := g.decls[target]; !seen {
				d, err := g.declFor(target, c.hint, "")
				if err != nil {
					return goType{}, fmt.Errorf("typedef %s: %w", v.Name, err)
				}
				d.typedef = v.Name
			}
		}
		gt, err := g.goType(v.Type, c)
		if err != nil {
			return goType{}, fmt.Errorf("typedef %s: %w", v.Name, err)
		}
		return gt, nil
	case *btf.Struct, *btf.Union, *btf.Enum, *btf.Fwd, *btf.Datasec:
		d, err := g.declFor(t, c.name(), "")
		if err != nil {
			return goType{}, err
		}
		if d.ref == nil {
			d.ref = ident(d.name)
		}
		if c.lazy {
			return goType{code: d.ref, size: 0, align: 1}, nil
		}
		if err := g.build(d); err != nil {
			return goType{}, err
		}
		return goType{code: d.ref, size: d.size, align: d.align}, nil
	case *btf.Var:
		return g.goType(v.Type, c)
	case *btf.Void:
		return goType{}, errors.New("void has no Go type")
	case *btf.FuncProto, *btf.Func:
		return goType{}, fmt.Errorf("%s: a function has no data layout", describe(t))
	case nil:
		return goType{}, errors.New("nil type")
	default:
		return goType{}, fmt.Errorf("%s: unsupported BTF type", describe(t))
	}
}

// basicTypes are the texprs of predeclared types, shared.
var basicTypes = func() map[string]*texpr {
	m := make(map[string]*texpr)
	for _, n := range []string{"bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64", "byte"} {
		m[n] = ident(n)
	}
	return m
}()

func basic(name string, size uint32) goType {
	return goType{code: basicTypes[name], size: size, align: min(size, 8), basic: name}
}

func intType(v *btf.Int) (goType, error) {
	signed := v.Encoding&btf.Signed != 0
	switch v.Size {
	case 1:
		if v.Encoding&btf.Bool != 0 {
			return basic("bool", 1), nil
		}
		if signed {
			return basic("int8", 1), nil
		}
		return basic("uint8", 1), nil
	case 2, 4, 8:
		name := [...]string{2: "uint16", 4: "uint32", 8: "uint64"}[v.Size]
		if signed {
			name = name[1:]
		}
		return basic(name, v.Size), nil
	case 16:
		return goType{size: 16, align: 8}, nil // code set by caller with the runtime path
	}
	return goType{}, fmt.Errorf("int %s: unsupported size %d", v.Name, v.Size)
}

func (g *Generator) pointer(p *btf.Pointer, c ctx) (goType, error) {
	target, tagged := stripQualifiers(p.Target)
	arena := c.arena || tagged
	if !arena && c.owner != nil && g.opts.ArenaPointer != nil {
		arena = g.opts.ArenaPointer(c.owner, c.member)
	}
	if !arena {
		return basic("uint64", 8), nil
	}
	var elem *texpr
	switch resolve(target).(type) {
	case *btf.Void, *btf.FuncProto:
		elem = ident("byte")
	default:
		gt, err := g.goType(target, ctx{hint: c.name(), depth: c.depth, lazy: true})
		if err != nil {
			return goType{}, fmt.Errorf("arena pointer target: %w", err)
		}
		elem = gt.code
	}
	return goType{code: &texpr{kind: tPtr, elem: elem}, size: 8, align: 8}, nil
}

func (g *Generator) array(a *btf.Array, c ctx) (goType, error) {
	elem, err := g.goType(a.Type, c)
	var nest *nestingError
	if errors.As(err, &nest) {
		return goType{}, err // one message, not maxDepth nested prefixes
	}
	if err != nil {
		return goType{}, fmt.Errorf("array element: %w", err)
	}
	if elem.size != 0 && uint64(elem.size)*uint64(a.Nelems) > 1<<31 {
		return goType{}, fmt.Errorf("array of %d elements of %d bytes is too large", a.Nelems, elem.size)
	}
	return goType{
		code:      arrayOf(a.Nelems, elem.code),
		size:      elem.size * a.Nelems,
		align:     elem.align,
		elem:      elem.code,
		zeroArray: a.Nelems == 0,
	}, nil
}

func isAnonymous(t btf.Type) bool {
	switch t.(type) {
	case *btf.Struct, *btf.Union, *btf.Enum:
		return t.TypeName() == ""
	}
	return false
}

// describe names t for error messages: "struct foo", "anonymous union".
// A name that CheckName refuses is quoted.
func describe(t btf.Type) string {
	kind := describeKind(t)
	switch t.(type) {
	case *btf.Void:
		return "void"
	case nil:
		return "nil type"
	}
	if n := t.TypeName(); n != "" {
		if CheckName(SectionName, n) != nil {
			n = QuoteName(n)
		}
		return kind + " " + n
	}
	return "anonymous " + kind
}

// describeKind is describe without the name: "struct", "union", ….
func describeKind(t btf.Type) string {
	switch v := t.(type) {
	case *btf.Struct:
		return "struct"
	case *btf.Union:
		return "union"
	case *btf.Enum:
		return "enum"
	case *btf.Typedef:
		return "typedef"
	case *btf.Fwd:
		return v.Kind.String()
	case *btf.Datasec:
		return "section"
	case *btf.Int:
		return "int"
	case *btf.Float:
		return "float"
	case *btf.Func:
		return "func"
	case *btf.FuncProto:
		return "function type"
	case *btf.Var:
		return "var"
	case *btf.Pointer:
		return "pointer"
	case *btf.Array:
		return "array"
	}
	return "type"
}

// checkTypeName applies CheckName to the C name of a type that gets a Go
// declaration or names one (struct, union, enum, fwd, typedef, section,
// variable), if it has a name.
func checkTypeName(t btf.Type) error {
	n := t.TypeName()
	if n == "" {
		return nil
	}
	kind := Identifier
	switch t.(type) {
	case *btf.Datasec:
		kind = SectionName
	case *btf.Var:
		kind = VariableName
	case *btf.Struct, *btf.Union, *btf.Enum, *btf.Fwd, *btf.Typedef:
	default:
		return nil // ints and floats: their names never reach Go code
	}
	if err := CheckName(kind, n); err != nil {
		return fmt.Errorf("%s: %w", describeKind(t), err)
	}
	return nil
}

// kindSuffix is appended to a type's Go name when another type has it.
func kindSuffix(t btf.Type) string {
	switch t.(type) {
	case *btf.Struct:
		return "Struct"
	case *btf.Union:
		return "Union"
	case *btf.Enum:
		return "Enum"
	case *btf.Fwd:
		return "Fwd"
	case *btf.Datasec:
		return "Section"
	default:
		return "Typedef"
	}
}

// claim gives d the exact name, for a name the caller chose.
func (g *Generator) claim(d *decl, name string) error {
	if other, ok := g.byName[name]; ok && other != d {
		return fmt.Errorf("%s: Go name %s is already taken by %s", describe(d.t), name, describe(other.t))
	}
	g.names.reserve(name)
	d.name = name
	g.byName[name] = d
	return nil
}

// declFor returns the declaration of a struct, union, enum, fwd or datasec,
// creating and naming it on first sight. hint names an anonymous type;
// override is a name chosen by the caller.
func (g *Generator) declFor(t btf.Type, hint, override string) (*decl, error) {
	if d, ok := g.decls[t]; ok {
		if override != "" && d.name != override {
			return nil, fmt.Errorf("%s: already named %s, cannot rename it %s", describe(t), d.name, override)
		}
		return d, nil
	}
	if err := checkTypeName(t); err != nil {
		return nil, err
	}
	d := &decl{t: t}
	switch {
	case override != "":
		if err := g.claim(d, override); err != nil {
			return nil, err
		}
	default:
		base := g.declName(t.TypeName())
		suffix := kindSuffix(t)
		if t.TypeName() == "" {
			base = hint
			if base == "" {
				// No context names it: its shape does, so that no
				// other type changes its name.
				base, suffix = g.opts.Prefix+"Anon"+suffix+shapeName(t), ""
			}
		}
		if n, ok := g.planned[t]; ok {
			d.name = n
		} else {
			d.name = g.names.alloc(base, suffix)
		}
		g.byName[d.name] = d
	}
	g.decls[t] = d
	g.list = append(g.list, d)
	return d, nil
}

// typedef declares a Go alias for td, or returns the declaration of the
// anonymous type td names.
func (g *Generator) typedef(td *btf.Typedef, override string) (*decl, error) {
	if d, ok := g.decls[td]; ok {
		if override != "" && d.name != override {
			return nil, fmt.Errorf("%s: already named %s, cannot rename it %s", describe(td), d.name, override)
		}
		return d, nil
	}
	if err := checkTypeName(td); err != nil {
		return nil, err
	}
	target, _ := stripQualifiers(td.Type)
	if isAnonymous(target) {
		if _, seen := g.decls[target]; !seen {
			d, err := g.declFor(target, g.declName(td.Name), override)
			if err != nil {
				return nil, fmt.Errorf("typedef %s: %w", td.Name, err)
			}
			d.typedef = td.Name
			g.decls[td] = d
			return d, g.build(d)
		}
	}
	switch resolve(target).(type) {
	case *btf.FuncProto, *btf.Void:
		// A function type (or void): nothing to lay out, only a name.
		d := &decl{t: td, kind: kindOpaque}
		if override != "" {
			if err := g.claim(d, override); err != nil {
				return nil, err
			}
		} else {
			if n, ok := g.planned[td]; ok {
				d.name = n
			} else {
				d.name = g.names.alloc(g.declName(td.Name), kindSuffix(td))
			}
			g.byName[d.name] = d
		}
		g.decls[td] = d
		g.list = append(g.list, d)
		return d, g.build(d)
	}
	return g.alias(td, td.Type, override)
}

// alias declares "type Name = T" for a typedef (or, with an override name,
// for any type).
func (g *Generator) alias(src btf.Type, target btf.Type, override string) (*decl, error) {
	if src == nil {
		src = target
	}
	if err := checkTypeName(src); err != nil {
		return nil, err
	}
	gt, err := g.goType(target, ctx{hint: g.declName(src.TypeName())})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", describe(src), err)
	}
	d := &decl{t: src, kind: kindAlias, target: gt.code, size: gt.size, align: gt.align}
	if override != "" {
		if err := g.claim(d, override); err != nil {
			return nil, err
		}
	} else {
		base := g.declName(src.TypeName())
		// typedef struct foo foo: one Go name for both.
		if td, ok := g.decls[resolve(target)]; ok && td.name == base {
			g.decls[src] = td
			return td, nil
		}
		if n, ok := g.planned[src]; ok {
			d.name = n
		} else {
			d.name = g.names.alloc(base, kindSuffix(src))
		}
		g.byName[d.name] = d
	}
	g.decls[src] = d
	g.list = append(g.list, d)
	return d, nil
}

// shapeName is a name suffix for an anonymous type that no context names:
// eight hex digits of a hash of its own shape (kind, size, members' names,
// offsets and types, enum constants), a function of the type alone.
func shapeName(t btf.Type) string {
	h := fnv.New32a()
	w := func(parts ...string) {
		for _, p := range parts {
			h.Write([]byte(p))
			h.Write([]byte{0})
		}
	}
	members := func(size uint32, ms []btf.Member) {
		w(strconv.FormatUint(uint64(size), 10))
		for _, m := range ms {
			w(m.Name, strconv.FormatUint(uint64(m.Offset), 10), strconv.FormatUint(uint64(m.BitfieldSize), 10), describe(m.Type))
		}
	}
	w(describeKind(t))
	switch v := t.(type) {
	case *btf.Struct:
		members(v.Size, v.Members)
	case *btf.Union:
		members(v.Size, v.Members)
	case *btf.Enum:
		w(strconv.FormatUint(uint64(v.Size), 10), strconv.FormatBool(v.Signed))
		for _, e := range v.Values {
			w(e.Name, strconv.FormatUint(e.Value, 10))
		}
	}
	return fmt.Sprintf("%08X", h.Sum32())
}

// Named returns the named C types (structs, unions, enums, forward
// declarations, typedefs) that have a declaration of their own so far,
// sorted by Go name: what to pass to Plan of a Generator that will be
// given the same types.
func (g *Generator) Named() []btf.Type {
	var ts []btf.Type
	for _, d := range g.list {
		switch d.t.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum, *btf.Fwd, *btf.Typedef:
			if d.t.TypeName() != "" && g.byName[d.name] == d {
				ts = append(ts, d.t)
			}
		}
	}
	slices.SortFunc(ts, func(a, b btf.Type) int { return strings.Compare(g.decls[a].name, g.decls[b].name) })
	return ts
}

// Collided reports whether a named C type declared so far has a Go name
// other than its own (the Prefix and GoName of its C name): another type
// had it first. Without a collision, Plan over Named would give every
// type the name it has.
func (g *Generator) Collided() bool {
	for _, d := range g.list {
		switch d.t.(type) {
		case *btf.Struct, *btf.Union, *btf.Enum, *btf.Fwd, *btf.Typedef:
			if n := d.t.TypeName(); n != "" && d.name != g.declName(n) {
				return true
			}
		}
	}
	return false
}

// Plan names the named C types in ts before any is added, so that which of
// several types whose Go names collide gets the plain name depends on the
// types alone, not on the order they are added or reached. In each group
// of colliding types the plain name goes to the first by kind (struct,
// union, enum, typedef, forward declaration), then C name, then shape;
// the others get their kind's suffix (Struct, Union, …), then a number.
// Groups are named in the order of their Go names. Plan must come before
// Add; types it names keep those names when added later.
func (g *Generator) Plan(ts []btf.Type) error {
	if g.done {
		return ErrEmitted
	}
	if len(g.list) > 0 {
		return errors.New("btf2go: Plan after Add")
	}
	groups := map[string][]btf.Type{}
	for _, t := range ts {
		if t.TypeName() == "" || isAnonymous(t) {
			continue
		}
		if err := checkTypeName(t); err != nil {
			return err
		}
		base := g.declName(t.TypeName())
		groups[base] = append(groups[base], t)
	}
	bases := make([]string, 0, len(groups))
	for b := range groups {
		bases = append(bases, b)
	}
	slices.Sort(bases)
	if g.planned == nil {
		g.planned = make(map[btf.Type]string, len(ts))
	}
	for _, base := range bases {
		group := groups[base]
		slices.SortStableFunc(group, func(a, b btf.Type) int {
			if c := kindRank(a) - kindRank(b); c != 0 {
				return c
			}
			if c := strings.Compare(a.TypeName(), b.TypeName()); c != 0 {
				return c
			}
			return strings.Compare(shapeName(a), shapeName(b))
		})
		for _, t := range group {
			if _, dup := g.planned[t]; dup {
				continue
			}
			g.planned[t] = g.names.alloc(base, kindSuffix(t))
		}
	}
	return nil
}

// kindRank orders kinds for Plan.
func kindRank(t btf.Type) int {
	switch t.(type) {
	case *btf.Struct:
		return 0
	case *btf.Union:
		return 1
	case *btf.Enum:
		return 2
	case *btf.Typedef:
		return 3
	}
	return 4
}
