package runtime

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
)

// structOpsValuePrefix names the kernel's value type of a struct_ops map:
// bpf_struct_ops_<struct name>, a common header followed by the struct.
const structOpsValuePrefix = "bpf_struct_ops_"

// fillStructOps writes the kernel value of the struct_ops map m, described
// by so, with the user's data in user: the function pointers become the
// fds of the loaded programs they name, data members are copied by name.
// Writing it registers a map of .struct_ops; one of .struct_ops.link is
// registered by the link Attach makes.
func (c *Collection) fillStructOps(so *objfile.StructOps, m *ebpf.Map, user []byte) error {
	if uint64(len(user)) < uint64(so.Type.Size) {
		return fmt.Errorf("value of %d bytes, struct %s has %d", len(user), so.Type.Name, so.Type.Size)
	}
	vtype, err := kernelStructOpsValue(so.Type.Name)
	if err != nil {
		return err
	}
	// The struct itself is the member named after it.
	var kt *btf.Struct
	var kOff uint32
	for _, mb := range vtype.Members {
		if st, ok := btf.As[*btf.Struct](mb.Type); ok && st.Name == so.Type.Name {
			kt, kOff = st, mb.Offset.Bytes()
		}
	}
	if kt == nil {
		return fmt.Errorf("kernel type %s has no member of type struct %s", vtype.Name, so.Type.Name)
	}
	value := make([]byte, vtype.Size)
	for _, um := range so.Type.Members {
		uSize, err := btf.Sizeof(um.Type)
		if err != nil {
			return fmt.Errorf("member %s: %w", um.Name, err)
		}
		uOff := um.Offset.Bytes()
		if um.BitfieldSize > 0 || uint64(uOff)+uint64(uSize) > uint64(len(user)) {
			return fmt.Errorf("member %s: bitfield or outside the value", um.Name)
		}
		src := user[uOff : uOff+uint32(uSize)]
		var km *btf.Member
		for i := range kt.Members {
			if kt.Members[i].Name == um.Name {
				km = &kt.Members[i]
			}
		}
		prog, isProg := so.Programs[um.Name]
		if km == nil {
			// Like libbpf: a member the kernel lacks must be unset.
			if isProg || !isZero(src) {
				return fmt.Errorf("member %s: not in the kernel's struct %s", um.Name, kt.Name)
			}
			continue
		}
		kSize, err := btf.Sizeof(km.Type)
		if err != nil {
			return fmt.Errorf("member %s: %w", um.Name, err)
		}
		kAt := uint64(kOff) + uint64(km.Offset.Bytes())
		if km.BitfieldSize > 0 || kAt+uint64(kSize) > uint64(len(value)) {
			return fmt.Errorf("member %s: kernel member is a bitfield or outside the value", um.Name)
		}
		dst := value[kAt : kAt+uint64(kSize)]
		if isProg {
			p := c.programs[prog]
			if p == nil {
				return fmt.Errorf("member %s: program %s not loaded", um.Name, prog)
			}
			if kSize != 8 {
				return fmt.Errorf("member %s: kernel member of %d bytes is not a function pointer", um.Name, kSize)
			}
			nativeEndian.PutUint64(dst, uint64(p.FD()))
			continue
		}
		if _, ptr := btf.UnderlyingType(um.Type).(*btf.Pointer); ptr {
			if !isZero(src) {
				return fmt.Errorf("member %s: pointer that names no program", um.Name)
			}
			continue
		}
		if kSize != uSize {
			return fmt.Errorf("member %s: %d bytes, the kernel's has %d", um.Name, uSize, kSize)
		}
		copy(dst, src)
	}
	if err := m.Put(uint32(0), value); err != nil {
		return fmt.Errorf("register: %w", classify(err, ""))
	}
	return nil
}

// kernelStructOpsValue finds the kernel's value type of struct_ops maps of
// struct name, in vmlinux or a module.
func kernelStructOpsValue(name string) (*btf.Struct, error) {
	want := structOpsValuePrefix + name
	kernel, err := kernelTypes.Kernel()
	if err != nil {
		return nil, fmt.Errorf("kernel BTF: %w", err)
	}
	var st *btf.Struct
	if err := kernel.TypeByName(want, &st); err == nil {
		return st, nil
	}
	mods, err := kernelTypes.Modules()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, m := range mods {
		s, err := kernelTypes.Module(m)
		if err != nil {
			continue
		}
		if err := s.TypeByName(want, &st); err == nil {
			return st, nil
		}
	}
	return nil, fmt.Errorf("struct %s: the kernel has no struct_ops type %s: %w", name, want, ebpf.ErrNotSupported)
}

func isZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}

// structOpsUnused reports whether ps is a struct_ops program that no
// struct_ops map uses: like libbpf, Load leaves it out (the kernel cannot
// load it without the member it implements).
func structOpsUnused(ps *ebpf.ProgramSpec) bool {
	return ps.Type == ebpf.StructOps && !strings.Contains(ps.AttachTo, ":")
}
