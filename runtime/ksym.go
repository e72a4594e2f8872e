package runtime

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// resolveKsyms sets the address of every untyped __ksym extern that insns
// load (ld_imm64 without a map, naming a symbol), from /proc/kallsyms, as
// cilium/ebpf does for the programs it loads itself. Externs the kernel
// lacks are an error wrapping ebpf.ErrNotSupported, except weak ones
// (named in weak), whose address is 0 as in libbpf.
func resolveKsyms(insns asm.Instructions, weak map[string]bool) error {
	want := map[string]uint64{}
	for i := range insns {
		ins := &insns[i]
		if ins.OpCode.IsDWordLoad() && ins.Src == 0 && ins.Reference() != "" {
			want[ins.Reference()] = 0
		}
	}
	if len(want) == 0 {
		return nil
	}
	if err := kallsymsAddresses(want); err != nil {
		return err
	}
	for i := range insns {
		ins := &insns[i]
		if !ins.OpCode.IsDWordLoad() || ins.Src != 0 || ins.Reference() == "" {
			continue
		}
		addr := want[ins.Reference()]
		if addr == 0 && weak[ins.Reference()] {
			ins.Constant = 0
			*ins = ins.WithReference("")
			continue
		}
		if addr == 0 {
			return fmt.Errorf("ksym %s: not in /proc/kallsyms (or addresses hidden): %w", ins.Reference(), ebpf.ErrNotSupported)
		}
		ins.Constant = int64(addr)
		*ins = ins.WithReference("")
	}
	return nil
}

// kallsymsAddresses fills in the addresses of the symbols named in syms.
func kallsymsAddresses(syms map[string]uint64) error {
	f, err := os.Open("/proc/kallsyms")
	if err != nil {
		return fmt.Errorf("resolve ksyms: %w", err)
	}
	defer f.Close()
	left := len(syms)
	sc := bufio.NewScanner(f)
	for sc.Scan() && left > 0 {
		// "ffffffff81000000 T _text [module]"
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 {
			continue
		}
		if v, ok := syms[fields[2]]; !ok || v != 0 {
			continue
		}
		addr, err := strconv.ParseUint(fields[0], 16, 64)
		if err != nil {
			continue
		}
		syms[fields[2]] = addr
		left--
	}
	return sc.Err()
}

// pseudoBTFID is BPF_PSEUDO_BTF_ID: an ld_imm64 of a kernel variable by
// its BTF id, which gives the verifier its type.
const pseudoBTFID = asm.R3

// resolveTypedKsyms points the loads of typed __ksym variables (extern
// const struct rq runqueues __ksym) at the kernel variable's BTF id, as
// libbpf does, for every program whichever loader takes it: cilium/ebpf
// v0.22 knows only untyped ones (the parser made these untyped for it; the
// loads lose its ksym mark here). A weak one the kernel lacks loads 0.
func (c *Collection) resolveTypedKsyms(insns asm.Instructions) error {
	typed := c.spec.obj.TypedKsyms
	if len(typed) == 0 {
		return nil
	}
	for i := range insns {
		ins := &insns[i]
		name := ins.Reference()
		if !ins.OpCode.IsDWordLoad() || ins.Src != 0 || !typed[name] {
			continue
		}
		id, err := kernelVarID(name)
		switch {
		case err != nil && c.spec.obj.Weak[name] && errors.Is(err, ebpf.ErrNotSupported):
			*ins = withoutMetadata(*ins)
			ins.Constant = 0
		case err != nil:
			return fmt.Errorf("ksym %s: %w", name, err)
		default:
			*ins = withoutMetadata(*ins)
			ins.Src = pseudoBTFID
			ins.Constant = int64(id)
		}
	}
	return nil
}

// kernelVarID returns the BTF id of the kernel variable name in vmlinux.
func kernelVarID(name string) (btf.TypeID, error) {
	kernel, err := kernelTypes.Kernel()
	if err != nil {
		return 0, fmt.Errorf("kernel BTF: %w", err)
	}
	var v *btf.Var
	if err := kernel.TypeByName(name, &v); err != nil {
		if errors.Is(err, btf.ErrNotFound) {
			return 0, fmt.Errorf("no variable in kernel BTF (module variables are not supported): %w", ebpf.ErrNotSupported)
		}
		return 0, err
	}
	return kernel.TypeID(v)
}
