package dwarfbtf

import (
	"errors"
	"fmt"
	"slices"

	"github.com/bpfskel/bpfskel/internal/btfq"
	"github.com/cilium/ebpf/btf"
)

// Unresolved is a forward declaration that Complete left in place.
type Unresolved struct {
	// Name is the C tag of the declared type, e.g. "node".
	Name string
	// Kind says whether it is declared as a struct or a union.
	Kind btf.FwdKind
	// Err says why; it wraps ErrNoDWARF, ErrNotFound or ErrAmbiguous.
	Err error
}

// String returns, e.g., "struct node: object has no DWARF".
func (u Unresolved) String() string {
	return fmt.Sprintf("%s %s: %v", u.Kind, u.Name, u.Err)
}

// Hint says how the author of the BPF program can make the type complete.
func (u Unresolved) Hint() string {
	switch {
	case errors.Is(u.Err, ErrNoDWARF):
		return "compile the BPF program with -g and generate from the object before stripping it, " +
			"or pull the type into BTF (e.g. declare a global of that type)"
	case errors.Is(u.Err, ErrAmbiguous):
		return "give the different definitions different names, or pull the intended one into BTF " +
			"(e.g. declare a global of that type)"
	default:
		return "define the type (not only declare it) in the compiled BPF source, " +
			"or pull it into BTF (e.g. declare a global of that type)"
	}
}

// Complete replaces, in place, every *btf.Fwd reachable from roots (roots
// themselves, pointer targets, typedef targets, member, array element,
// qualifier, function, variable and data section types) by the complete
// definition, and returns the sorted names of the forward declarations it
// could not complete. It also checks that every struct, union and enum
// defined completely in the graph's BTF has the same layout in DWARF, and
// returns an error wrapping ErrLayoutMismatch, naming the type, if not.
//
// BTF is authoritative: a forward declaration whose complete definition is
// elsewhere in the graph becomes that definition, and named types that came
// from Lookup or from DWARF completions are replaced by the graph's BTF
// types of the same name, so the result holds one type per name. To add
// types BTF lacks (found with Lookup), pass them among roots.
//
// Complete changes the types it reaches (BTF's and those Lookup returned):
// work on a copy (btf.Copy) of types that will also be loaded into the
// kernel, and use one Types with one BTF graph only. A root that is itself a
// forward declaration is replaced in roots.
//
// A nil *Types (an object without DWARF) completes nothing and reports
// every forward declaration with ErrNoDWARF.
func (t *Types) Complete(roots []btf.Type) (unresolved []string, err error) {
	report, err := t.CompleteReport(roots, nil)
	if err != nil {
		return nil, err
	}
	for _, u := range report {
		unresolved = append(unresolved, u.Name)
	}
	return slices.Compact(unresolved), nil
}

// CompleteReport is Complete, returning for each forward declaration left
// in place why it stayed (see Unresolved.Hint for what to do about it),
// sorted by name, then kind. bpfskel inspect lists these. It goes through
// a pointer only when follow, if not nil, accepts it: a generator that
// writes some pointers as integers neither completes nor checks what they
// point to.
func (t *Types) CompleteReport(roots []btf.Type, follow func(*btf.Pointer) bool) ([]Unresolved, error) {
	w := &walker{
		t:        t,
		follow:   follow,
		btfDefs:  map[string][]btf.Type{},
		resolved: map[string]btf.Type{},
		failed:   map[string]Unresolved{},
		fwds:     map[string]*btf.Fwd{},
	}
	w.collect(roots)
	if err := w.check(); err != nil {
		return nil, err
	}
	if err := w.replace(roots); err != nil {
		return nil, err
	}
	var out []Unresolved
	for _, u := range w.failed {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b Unresolved) int {
		if a.Name != b.Name {
			if a.Name < b.Name {
				return -1
			}
			return 1
		}
		return int(a.Kind) - int(b.Kind)
	})
	return out, nil
}

type walker struct {
	t *Types
	// btfDefs holds the named, complete types of the graph that did not
	// come from DWARF, by key ("struct node"), in the order first reached.
	btfDefs map[string][]btf.Type
	// resolved and failed record each forward declaration's outcome.
	resolved map[string]btf.Type
	failed   map[string]Unresolved
	// fwds holds, by key, the forward declaration that stands for all
	// those of that name Complete leaves in place; BTF's when it has one.
	fwds map[string]*btf.Fwd
	// follow, if not nil, says which pointers the walk goes through.
	follow func(*btf.Pointer) bool
}

// fromDWARF reports whether typ was made by this package.
func (w *walker) fromDWARF(typ btf.Type) bool {
	if w.t == nil {
		return false
	}
	_, ok := w.t.origin[typ]
	return ok || typ == w.t.index
}

// unifyKey returns the key under which named types of one kind and name are
// made one, or "" for types that are not unified.
func unifyKey(typ btf.Type) string {
	switch typ.(type) {
	case *btf.Struct, *btf.Union, *btf.Enum, *btf.Typedef, *btf.Int, *btf.Float:
		if name := typ.TypeName(); name != "" {
			return kindOf(typ) + " " + name
		}
	}
	return ""
}

// walk calls visit for every slot reachable from roots through the
// pointers w.follow accepts, depth first, each type's slots once. visit may
// change what the slot holds before walk follows it.
func (w *walker) walk(roots []btf.Type, visit func(slot *btf.Type) error) error {
	seen := map[btf.Type]bool{}
	stack := make([]*btf.Type, 0, len(roots))
	for i := len(roots) - 1; i >= 0; i-- {
		stack = append(stack, &roots[i])
	}
	for len(stack) > 0 {
		slot := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if *slot == nil {
			continue
		}
		if err := visit(slot); err != nil {
			return err
		}
		typ := *slot
		if seen[typ] {
			continue
		}
		seen[typ] = true
		if p, ok := typ.(*btf.Pointer); ok && w.follow != nil && !w.follow(p) {
			continue
		}
		kids := btfq.Children(typ)
		for i := len(kids) - 1; i >= 0; i-- {
			stack = append(stack, kids[i])
		}
	}
	return nil
}

// collect records the graph's named types that BTF defines.
func (w *walker) collect(roots []btf.Type) {
	seen := map[btf.Type]bool{}
	_ = w.walk(roots, func(slot *btf.Type) error {
		typ := *slot
		if seen[typ] || w.fromDWARF(typ) {
			return nil
		}
		seen[typ] = true
		if k := unifyKey(typ); k != "" {
			w.btfDefs[k] = append(w.btfDefs[k], typ)
		}
		if f, ok := typ.(*btf.Fwd); ok && f.Name != "" {
			if k := kindOf(f) + " " + f.Name; w.fwds[k] == nil {
				w.fwds[k] = f
			}
		}
		return nil
	})
}

// check compares each struct, union and enum BTF defines with DWARF's
// definitions of the same name: one of them must have the same layout.
func (w *walker) check() error {
	if w.t == nil {
		return nil
	}
	keys := make([]string, 0, len(w.btfDefs))
	for k := range w.btfDefs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, def := range w.btfDefs[k] {
			switch def := def.(type) {
			case *btf.Struct, *btf.Union:
			case *btf.Enum:
				if def.Size == 0 && len(def.Values) == 0 {
					continue // BTF's forward declaration of an enum
				}
			default:
				continue
			}
			cands, err := w.t.candidates([]string{k})
			if err != nil {
				return fmt.Errorf("type %s: %w", k, err)
			}
			var diff error
			for _, c := range cands {
				if diff = sameLayout(def, c); diff == nil {
					break
				}
			}
			if diff != nil {
				return fmt.Errorf("type %s: %w (BTF vs DWARF): %v", k, ErrLayoutMismatch, diff)
			}
		}
	}
	return nil
}

// replace completes forward declarations and unifies DWARF types with
// BTF's, slot by slot.
func (w *walker) replace(roots []btf.Type) error {
	return w.walk(roots, func(slot *btf.Type) error {
		repl, err := w.canonical(*slot)
		if err != nil {
			return err
		}
		*slot = repl
		return nil
	})
}

// canonical returns the type that should stand where typ is.
func (w *walker) canonical(typ btf.Type) (btf.Type, error) {
	if f, ok := typ.(*btf.Fwd); ok {
		return w.complete(f)
	}
	if !w.fromDWARF(typ) {
		return typ, nil
	}
	k := unifyKey(typ)
	defs := w.btfDefs[k]
	if k == "" || len(defs) == 0 {
		return typ, nil
	}
	var diff error
	for _, def := range defs {
		if diff = sameLayout(def, typ); diff == nil {
			return def, nil
		}
	}
	return nil, fmt.Errorf("type %s: %w (BTF vs DWARF): %v", k, ErrLayoutMismatch, diff)
}

// complete returns the complete definition of f or, when there is none,
// the one forward declaration of that name that stays.
func (w *walker) complete(f *btf.Fwd) (btf.Type, error) {
	if f.Name == "" {
		return f, nil
	}
	k := kindOf(f) + " " + f.Name
	if typ, ok := w.resolved[k]; ok {
		return typ, nil
	}
	stay := func() *btf.Fwd {
		if w.fwds[k] == nil {
			w.fwds[k] = f
		}
		return w.fwds[k]
	}
	if _, ok := w.failed[k]; ok {
		return stay(), nil
	}
	if defs := w.btfDefs[k]; len(defs) > 0 {
		w.resolved[k] = defs[0]
		return defs[0], nil
	}
	if w.t == nil {
		w.failed[k] = Unresolved{Name: f.Name, Kind: f.Kind, Err: ErrNoDWARF}
		return stay(), nil
	}
	typ, err := w.t.lookupKeys([]string{k})
	switch {
	case errors.Is(err, ErrNotFound) || errors.Is(err, ErrAmbiguous):
		w.failed[k] = Unresolved{Name: f.Name, Kind: f.Kind, Err: err}
		return stay(), nil
	case err != nil:
		return nil, fmt.Errorf("type %s: %w", k, err)
	}
	w.resolved[k] = typ
	return typ, nil
}
