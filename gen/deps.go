package gen

import (
	"slices"

	"github.com/bpfskel/bpfskel/btf2go"
	"github.com/bpfskel/bpfskel/internal/dwarfbtf"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf/btf"
)

// The packages gen builds on, under the names the rest of gen uses.
type (
	rtSpec     = runtime.Spec
	dwarfTypes = dwarfbtf.Types
)

var (
	loadSpec   = runtime.LoadSpec
	loadDWARF  = dwarfbtf.Load
	errNoDWARF = dwarfbtf.ErrNoDWARF
)

func newTypeEmitter(opts btf2go.Options) *btf2go.Generator { return btf2go.New(opts) }

// shareArenaTypes is a TEMPORARY workaround until runtime.LoadSpec keeps
// the types of Spec.Arena.Globals shared with Spec.Collection.Types (it
// deep-copies the Datasec with btf.Copy, so the arena globals' struct root
// and .bss's struct root are two types, emitted twice). It returns a copy
// of ds whose variables are the ones of the collection's BTF with the same
// name, where that name is unique.
func shareArenaTypes(spec *rtSpec, ds *btf.Datasec) *btf.Datasec {
	types := spec.Collection.Types
	if types == nil {
		return ds
	}
	cpy := *ds
	cpy.Vars = slices.Clone(ds.Vars)
	for i, vs := range cpy.Vars {
		v, ok := vs.Type.(*btf.Var)
		if !ok {
			continue
		}
		cands, err := types.AnyTypesByName(v.Name)
		if err != nil {
			continue
		}
		var match *btf.Var
		for _, c := range cands {
			if cv, ok := c.(*btf.Var); ok {
				if match != nil {
					match = nil
					break
				}
				match = cv
			}
		}
		if match != nil && match != v {
			cpy.Vars[i].Type = match
		}
	}
	return &cpy
}
