package objfile

import (
	"fmt"
	"slices"

	"github.com/cilium/ebpf/btf"
)

// specialStructs are the kernel's special BTF types: a map value holding
// one (a lock, a timer, a work item, a graph node or root, a reference
// count) cannot be mapped into user space (mmap fails with ENOTSUPP).
var specialStructs = []string{
	"bpf_spin_lock", "bpf_res_spin_lock", "bpf_timer", "bpf_wq", "bpf_task_work",
	"bpf_list_head", "bpf_list_node", "bpf_rb_root", "bpf_rb_node", "bpf_refcount",
}

// kptrTags are the type tags of kernel pointers stored in map values.
var kptrTags = []string{"kptr", "kptr_untrusted", "kptr_ref", "percpu_kptr", "uptr"}

// readUnmappable finds the data sections the kernel will not map, and says
// why (naming the variable and the special type it holds).
func (o *Object) readUnmappable() {
	for name, m := range o.Collection.Maps {
		ds, ok := m.Value.(*btf.Datasec)
		if !ok {
			continue
		}
		for _, vs := range ds.Vars {
			v, ok := vs.Type.(*btf.Var)
			if !ok {
				continue
			}
			if what := special(v.Type, 0); what != "" {
				if o.Unmappable == nil {
					o.Unmappable = map[string]string{}
				}
				o.Unmappable[name] = fmt.Sprintf("variable %s holds %s", v.Name, what)
				break
			}
		}
	}
}

// special returns the special type t is or contains (not through
// pointers), or "".
func special(t btf.Type, depth int) string {
	if depth > 64 {
		return "" // malformed BTF: cycles end here
	}
	switch t := t.(type) {
	case *btf.Struct:
		if slices.Contains(specialStructs, t.Name) {
			return "struct " + t.Name
		}
		return specialMembers(t.Members, depth)
	case *btf.Union:
		return specialMembers(t.Members, depth)
	case *btf.Array:
		return special(t.Type, depth+1)
	case *btf.Typedef:
		return special(t.Type, depth+1)
	case *btf.Const:
		return special(t.Type, depth+1)
	case *btf.Volatile:
		return special(t.Type, depth+1)
	case *btf.Restrict:
		return special(t.Type, depth+1)
	case *btf.Pointer:
		for target := t.Target; ; {
			tag, ok := target.(*btf.TypeTag)
			if !ok {
				break
			}
			if slices.Contains(kptrTags, tag.Value) {
				return "a " + tag.Value + " pointer"
			}
			target = tag.Type
		}
	}
	return ""
}

func specialMembers(ms []btf.Member, depth int) string {
	for _, m := range ms {
		if what := special(m.Type, depth+1); what != "" {
			return what
		}
	}
	return ""
}
