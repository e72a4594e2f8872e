package gen

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/bpfskel/bpfskel/internal/btfq"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// Rules of the arena pointer inference, as Pointer.Rule reports them. The
// package documentation explains them.
const (
	ruleOverrideArena   = "override -arena-ptr"
	ruleOverrideNoArena = "override -no-arena-ptr"
	ruleTag             = `btf_type_tag("arena")`
	ruleKernelTag       = "tagged for the kernel (kptr, rcu, user, ...)"
	ruleNoArena         = "object declares no arena"
	ruleFunc            = "function pointer"
	ruleResident        = "owner resides in the arena"
	ruleGlobal          = "pointer global in an object with an arena"
	ruleMapMemory       = "owner is map key or value memory"
	ruleResidentTarget  = "target resides in the arena"
	ruleContext         = "owner is program context memory"
	ruleDefault         = "object declares an arena"
)

// classifier decides which pointers point into the arena.
type classifier struct {
	hasArena bool
	// overrides maps "TYPE.FIELD" to the forced decision.
	overrides map[string]bool
	// used records the overrides that matched a member.
	used map[string]bool
	// resident holds the types that reside in the arena.
	resident map[btf.Type]bool
	// mapMemory holds the types reachable from non-arena map keys and
	// values (and not resident).
	mapMemory map[btf.Type]bool
	// context holds the types reachable from the context argument of a
	// program (struct xdp_md, bpf_iter__task, ...), and not resident.
	context map[btf.Type]bool
}

func newClassifier(o *Object, opts *Options) (*classifier, error) {
	c := &classifier{
		hasArena:  o.Arena != nil,
		overrides: map[string]bool{},
		used:      map[string]bool{},
		resident:  map[btf.Type]bool{},
		mapMemory: map[btf.Type]bool{},
		context:   map[btf.Type]bool{},
	}
	for _, list := range []struct {
		flag  string
		names []string
		arena bool
	}{{"-arena-ptr", opts.ArenaPointers, true}, {"-no-arena-ptr", opts.NoArenaPointers, false}} {
		for _, n := range list.names {
			i := strings.LastIndexByte(n, '.')
			if i <= 0 || i == len(n)-1 {
				return nil, fmt.Errorf("%s %q: want TYPE.FIELD", list.flag, n)
			}
			if prev, ok := c.overrides[n]; ok && prev != list.arena {
				return nil, fmt.Errorf("%s: both -arena-ptr and -no-arena-ptr", n)
			}
			c.overrides[n] = list.arena
		}
	}

	// Residence: arena globals, the targets of pointer globals and of
	// tagged pointers, and everything reachable from those.
	var seeds []btf.Type
	if o.Arena != nil && o.Arena.Globals != nil {
		seeds = append(seeds, o.Arena.Globals.Datasec)
	}
	for _, s := range o.Sections {
		for _, v := range s.Vars {
			if ptr := memberPointer(v.Type); ptr != nil { // arrays of pointers too
				if arena, _ := c.decide(s.Datasec, v.Name, ptr); arena {
					seeds = append(seeds, ptr.Target)
				}
			}
		}
	}
	walkTypes(o.roots(), func(t btf.Type) {
		if ptr, ok := t.(*btf.Pointer); ok && isTagged(ptr) {
			seeds = append(seeds, ptr.Target)
		}
	})
	if c.hasArena {
		for _, t := range seeds {
			c.markResident(t)
		}
	}

	// Map memory: keys and values of maps other than the arena.
	for _, m := range o.Maps {
		if m.Type == ebpf.Arena {
			continue
		}
		walkTypes([]btf.Type{m.Key, m.Value}, func(t btf.Type) {
			if !c.resident[t] {
				c.mapMemory[t] = true
			}
		})
	}

	// Program context: what a program's first argument points to is kernel
	// memory, and so is everything reachable from it.
	var progs map[string]*ebpf.ProgramSpec
	if o.spec != nil {
		progs = o.spec.Collection.Programs
	}
	for _, ps := range progs {
		if ctx := contextType(ps); ctx != nil {
			walkTypes([]btf.Type{ctx}, func(t btf.Type) {
				if !c.resident[t] {
					c.context[t] = true
				}
			})
		}
	}
	return c, nil
}

// contextType returns the type a program's context argument points to,
// from the program's BTF func info, or nil.
func contextType(ps *ebpf.ProgramSpec) btf.Type {
	if len(ps.Instructions) == 0 {
		return nil
	}
	fn := btf.FuncMetadata(&ps.Instructions[0])
	if fn == nil {
		return nil
	}
	proto, ok := underlying(fn.Type).(*btf.FuncProto)
	if !ok || len(proto.Params) == 0 {
		return nil
	}
	ptr, ok := underlying(proto.Params[0].Type).(*btf.Pointer)
	if !ok {
		return nil
	}
	return ptr.Target
}

// markResident marks t and everything reachable from it as resident.
func (c *classifier) markResident(t btf.Type) {
	if t == nil || c.resident[t] {
		return
	}
	c.resident[t] = true
	eachMember(t, func(name string, typ btf.Type) { c.markMember(t, name, typ) })
	switch t := t.(type) {
	case *btf.Typedef:
		c.markResident(t.Type)
	case *btf.Volatile:
		c.markResident(t.Type)
	case *btf.Const:
		c.markResident(t.Type)
	case *btf.Restrict:
		c.markResident(t.Type)
	case *btf.TypeTag:
		c.markResident(t.Type)
	case *btf.Array:
		c.markResident(t.Type)
	}
}

// markMember follows a member of a resident owner: by value, or through a
// pointer that is an arena pointer.
func (c *classifier) markMember(owner btf.Type, member string, t btf.Type) {
	if ptr := memberPointer(t); ptr != nil {
		if arena, _ := c.decide(owner, member, ptr); arena {
			c.markResident(ptr.Target)
		}
		return
	}
	c.markResident(t)
}

// memberPointer returns the pointer a member of type t holds (directly or
// as array elements), or nil.
func memberPointer(t btf.Type) *btf.Pointer {
	for range btfq.MaxDepth {
		switch u := underlying(t).(type) {
		case *btf.Pointer:
			return u
		case *btf.Array:
			t = u.Type
		default:
			return nil
		}
	}
	return nil // arrays of themselves: malformed BTF
}

// isTagged reports whether ptr is tagged btf_type_tag("arena").
func isTagged(ptr *btf.Pointer) bool { return btfq.HasTag(ptr.Target, "arena") }

// kernelTags are the btf_type_tag values of pointers the kernel hands out
// or checks (__kptr, __percpu_kptr, __rcu, __user, __uptr, ...): never
// arena pointers.
var kernelTags = []string{"kptr", "kptr_untrusted", "kptr_ref", "percpu_kptr", "rcu", "percpu", "user", "uptr"}

// kernelTagged reports whether ptr's target carries one of kernelTags.
func kernelTagged(ptr *btf.Pointer) bool { return btfq.HasTag(ptr.Target, kernelTags...) }

// ArenaPointer reports whether member of owner (a *btf.Struct, *btf.Union
// or *btf.Datasec) points into the arena. It has the signature of
// btf2go.Options.ArenaPointer.
func (c *classifier) ArenaPointer(owner btf.Type, member string) bool {
	t := memberType(owner, member)
	ptr := memberPointer(t)
	if ptr == nil {
		return false
	}
	arena, _ := c.decide(owner, member, ptr)
	return arena
}

func memberType(owner btf.Type, member string) btf.Type {
	var typ btf.Type
	eachMember(owner, func(name string, t btf.Type) {
		if name == member && typ == nil {
			typ = t
		}
	})
	return typ
}

// eachMember calls fn for every member of a struct or union and every
// variable of a data section, in order; other types have none.
func eachMember(t btf.Type, fn func(name string, typ btf.Type)) {
	switch t := t.(type) {
	case *btf.Struct:
		for _, m := range t.Members {
			fn(m.Name, m.Type)
		}
	case *btf.Union:
		for _, m := range t.Members {
			fn(m.Name, m.Type)
		}
	case *btf.Datasec:
		for _, vs := range t.Vars {
			if v, ok := vs.Type.(*btf.Var); ok {
				fn(v.Name, v.Type)
			}
		}
	}
}

// decide applies the rules to one pointer member.
func (c *classifier) decide(owner btf.Type, member string, ptr *btf.Pointer) (bool, string) {
	if name := ownerName(owner); name != "" {
		key := name + "." + member
		if arena, ok := c.overrides[key]; ok {
			c.used[key] = true
			if arena {
				return true, ruleOverrideArena
			}
			return false, ruleOverrideNoArena
		}
	}
	if isTagged(ptr) {
		return true, ruleTag
	}
	if kernelTagged(ptr) {
		return false, ruleKernelTag
	}
	if !c.hasArena {
		return false, ruleNoArena
	}
	if _, ok := underlying(ptr.Target).(*btf.FuncProto); ok {
		return false, ruleFunc
	}
	if c.resident[owner] {
		return true, ruleResident
	}
	if _, ok := owner.(*btf.Datasec); ok {
		return true, ruleGlobal
	}
	if c.mapMemory[owner] {
		// BPF stores no pointer into map memory but an arena pointer or
		// a kptr (tagged, rule 3): one to a type that lives in the
		// arena is an arena pointer (scx's per-CPU contexts hold their
		// queues so).
		if t, _ := btfq.Strip(ptr.Target, true); t != nil && c.resident[t] {
			return true, ruleResidentTarget
		}
		return false, ruleMapMemory
	}
	if c.context[owner] {
		return false, ruleContext
	}
	return true, ruleDefault
}

// ownerName is the name overrides use for owner: the C name of a struct or
// union, or the section name of a Datasec.
func ownerName(owner btf.Type) string {
	return owner.TypeName()
}

// report lists the decision for every pointer member reachable from roots,
// and checks that every override named a member.
func (c *classifier) report(roots []btf.Type) []*Pointer {
	var ptrs []*Pointer
	add := func(owner btf.Type, member string, t btf.Type) {
		ptr := memberPointer(t)
		if ptr == nil {
			return
		}
		arena, rule := c.decide(owner, member, ptr)
		ptrs = append(ptrs, &Pointer{
			Owner:  displayOwner(owner),
			Member: member,
			Target: cTypeName(ptr.Target),
			Arena:  arena,
			Rule:   rule,
		})
	}
	// What a kernel pointer points to is not emitted: its members are
	// not listed.
	arenaOnly := func(owner btf.Type, member string, p *btf.Pointer) bool {
		if owner == nil {
			return isTagged(p)
		}
		arena, _ := c.decide(owner, member, p)
		return arena
	}
	walkReached(roots, arenaOnly, func(t btf.Type) {
		eachMember(t, func(name string, typ btf.Type) { add(t, name, typ) })
	})
	slices.SortStableFunc(ptrs, func(a, b *Pointer) int {
		return cmp.Or(cmp.Compare(a.Owner, b.Owner), cmp.Compare(a.Member, b.Member))
	})
	return ptrs
}

// unusedOverrides returns the overrides that matched no pointer member.
func (c *classifier) unusedOverrides() []string {
	var unused []string
	for k := range c.overrides {
		if !c.used[k] {
			unused = append(unused, k)
		}
	}
	slices.Sort(unused)
	return unused
}

func displayOwner(owner btf.Type) string {
	switch o := owner.(type) {
	case *btf.Struct:
		if o.Name == "" {
			return "struct (anonymous)"
		}
		return "struct " + o.Name
	case *btf.Union:
		if o.Name == "" {
			return "union (anonymous)"
		}
		return "union " + o.Name
	case *btf.Datasec:
		return o.Name
	}
	return owner.TypeName()
}

// cTypeName spells t roughly as C would, for reports.
func cTypeName(t btf.Type) string { return cTypeNameDepth(t, 0) }

// cTypeNameDepth is cTypeName for t nested depth deep: past btfq.MaxDepth
// (a type that contains itself) it writes "…".
func cTypeNameDepth(t btf.Type, depth int) string {
	if depth > btfq.MaxDepth {
		return "…"
	}
	inner := func(t btf.Type) string { return cTypeNameDepth(t, depth+1) }
	switch t := t.(type) {
	case nil:
		return "?"
	case *btf.Void:
		return "void"
	case *btf.Struct:
		return "struct " + orAnon(t.Name)
	case *btf.Union:
		return "union " + orAnon(t.Name)
	case *btf.Enum:
		return "enum " + orAnon(t.Name)
	case *btf.Fwd:
		return t.Kind.String() + " " + t.Name + " (forward declaration)"
	case *btf.Pointer:
		return inner(t.Target) + " *"
	case *btf.Const:
		return "const " + inner(t.Type)
	case *btf.Volatile:
		return "volatile " + inner(t.Type)
	case *btf.Restrict:
		return inner(t.Type)
	case *btf.TypeTag:
		return inner(t.Type) + " __tag(" + t.Value + ")"
	case *btf.Array:
		return fmt.Sprintf("%s[%d]", inner(t.Type), t.Nelems)
	case *btf.FuncProto:
		return "function"
	}
	return orAnon(t.TypeName())
}

func orAnon(name string) string {
	if name == "" {
		return "(anonymous)"
	}
	return name
}
