package runtime

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	goruntime "runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/features"
)

// isKconfigLoad reports whether ins reads a __kconfig extern: cilium/ebpf
// marks those only in private metadata, as map value loads without a map
// (the parser left the extern's offset in their constant).
func isKconfigLoad(ins *asm.Instruction) bool {
	return ins.IsLoadFromMap() && ins.Src == asm.PseudoMapValue && ins.Reference() == "" && ins.Map() == nil
}

// resolveKconfig satisfies the __kconfig externs that insns read, for
// every program whichever loader takes it, so that all of them get
// libbpf's semantics (every LINUX_* extern, typedef'd types, weak externs
// the kernel lacks read as 0): it points the loads at the collection's
// frozen .kconfig array, created on first use, and drops cilium/ebpf's
// private kconfig mark so cilium/ebpf leaves them alone.
func (c *Collection) resolveKconfig(insns asm.Instructions) error {
	for i := range insns {
		ins := &insns[i]
		if !isKconfigLoad(ins) {
			continue
		}
		m, size, err := c.kconfigMap()
		if err != nil {
			return err
		}
		off := uint32(uint64(ins.Constant) >> 32)
		if off >= size {
			return fmt.Errorf("instruction %d: kconfig offset %d outside .kconfig (%d bytes)", i, off, size)
		}
		*ins = withoutMetadata(*ins)
		if err := ins.AssociateMap(m); err != nil {
			return err
		}
		if err := ins.RewriteMapOffset(off); err != nil {
			return err
		}
	}
	return nil
}

// withoutMetadata returns ins without cilium/ebpf's metadata other than
// its symbol, source line and BTF function.
func withoutMetadata(ins asm.Instruction) asm.Instruction {
	n := asm.Instruction{OpCode: ins.OpCode, Dst: ins.Dst, Src: ins.Src, Offset: ins.Offset, Constant: ins.Constant}
	if src := ins.Source(); src != nil {
		n = n.WithSource(src)
	}
	if sym := ins.Symbol(); sym != "" {
		n = n.WithSymbol(sym)
	}
	if fn := btf.FuncMetadata(&ins); fn != nil {
		n = btf.WithFuncMetadata(n, fn)
	}
	return n
}

// kconfigMap returns the collection's .kconfig array and its size,
// creating it on first use with the values of the object's kconfig externs.
func (c *Collection) kconfigMap() (*ebpf.Map, uint32, error) {
	if c.kconfig != nil {
		return c.kconfig, c.kconfigSize, nil
	}
	var ds *btf.Datasec
	if types := c.spec.Collection.Types; types == nil || types.TypeByName(".kconfig", &ds) != nil {
		return nil, 0, fmt.Errorf("kconfig extern without a .kconfig section: %w", ebpf.ErrNotSupported)
	}
	data := make([]byte, ds.Size)
	for _, v := range ds.Vars {
		vr, ok := v.Type.(*btf.Var)
		if !ok {
			continue
		}
		if v.Offset > ds.Size {
			return nil, 0, fmt.Errorf("kconfig %s: offset %d outside .kconfig (%d bytes)", vr.Name, v.Offset, ds.Size)
		}
		if err := kconfigValue(vr, data[v.Offset:], c.spec.obj.Weak[vr.Name]); err != nil {
			return nil, 0, fmt.Errorf("kconfig %s: %w", vr.Name, err)
		}
	}
	// cilium/ebpf freezes a map named .kconfig when it creates it, which
	// lets the verifier treat the values as constants.
	m, err := ebpf.NewMap(&ebpf.MapSpec{
		Name:       ".kconfig",
		Type:       ebpf.Array,
		KeySize:    4,
		ValueSize:  ds.Size,
		MaxEntries: 1,
		Flags:      bpfFRdonlyProg,
		Contents:   []ebpf.MapKV{{Key: uint32(0), Value: data}},
	})
	if err != nil {
		return nil, 0, fmt.Errorf("kconfig map: %w", err)
	}
	c.kconfig, c.kconfigSize = m, ds.Size
	return m, ds.Size, nil
}

// kconfigValue writes the value of the kconfig extern v into b. weak
// externs the kernel does not know read as 0, as in libbpf.
func kconfigValue(v *btf.Var, b []byte, weak bool) error {
	size, err := btf.Sizeof(v.Type)
	if err != nil {
		return err
	}
	if size > len(b) {
		return fmt.Errorf("%d bytes at the end of .kconfig, %d left", size, len(b))
	}
	b = b[:size]
	switch v.Name {
	case "LINUX_KERNEL_VERSION":
		release, err := kernelRelease()
		if err != nil {
			return err
		}
		return putInt(b, uint64(kernelVersionCode(release)))
	case "LINUX_HAS_SYSCALL_WRAPPER":
		switch goruntime.GOARCH {
		case "amd64", "arm64", "s390x", "riscv64", "loong64", "386", "arm":
			return putInt(b, 1)
		}
		return putInt(b, 0)
	case "LINUX_HAS_BPF_COOKIE":
		has := features.HaveProgramHelper(ebpf.TracePoint, asm.FnGetAttachCookie) == nil
		return putInt(b, boolInt(has))
	}
	if !strings.HasPrefix(v.Name, "CONFIG_") {
		if weak {
			return putInt(b, 0)
		}
		return fmt.Errorf("unknown extern (libbpf knows CONFIG_*, LINUX_KERNEL_VERSION, LINUX_HAS_BPF_COOKIE and LINUX_HAS_SYSCALL_WRAPPER): %w", ebpf.ErrNotSupported)
	}
	cfg, err := kernelConfig()
	if err != nil {
		return err
	}
	val, ok := cfg[v.Name]
	if !ok {
		// Options the configuration does not mention: 0 when weak, an
		// error otherwise, as in libbpf and cilium/ebpf ("# ... is not
		// set" lines read as "n").
		if weak {
			return putInt(b, 0)
		}
		return fmt.Errorf("config option %s does not exist on this kernel: %w", v.Name, ebpf.ErrNotSupported)
	}
	switch {
	case val == "y":
		return putInt(b, 1)
	case val == "m":
		return putInt(b, 2)
	case val == "n":
		return putInt(b, 0)
	case strings.HasPrefix(val, `"`):
		s, err := strconv.Unquote(val)
		if err != nil {
			return fmt.Errorf("value %s: %w", val, err)
		}
		// Truncated to fit with its NUL, as libbpf does.
		if len(b) == 0 {
			return fmt.Errorf("string %q into 0 bytes", s)
		}
		if len(s) >= len(b) {
			s = s[:len(b)-1]
		}
		copy(b, s)
		b[len(s)] = 0
		return nil
	}
	n, err := strconv.ParseInt(val, 0, 64)
	if err != nil {
		u, uerr := strconv.ParseUint(val, 0, 64)
		if uerr != nil {
			return fmt.Errorf("value %s: %w", val, err)
		}
		return putInt(b, u)
	}
	return putInt(b, uint64(n))
}

func boolInt(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func putInt(b []byte, v uint64) error {
	switch len(b) {
	case 1:
		b[0] = byte(v)
	case 2:
		nativeEndian.PutUint16(b, uint16(v))
	case 4:
		nativeEndian.PutUint32(b, uint32(v))
	case 8:
		nativeEndian.PutUint64(b, v)
	default:
		return fmt.Errorf("integer of %d bytes", len(b))
	}
	return nil
}

// kernelVersionCode is KERNEL_VERSION(a, b, c) of a release string such as
// "6.18.44-fc".
func kernelVersionCode(release string) uint32 {
	var parts [3]uint32
	fields := strings.FieldsFunc(release, func(r rune) bool { return r < '0' || r > '9' })
	for i := 0; i < 3 && i < len(fields); i++ {
		n, _ := strconv.ParseUint(fields[i], 10, 32)
		parts[i] = uint32(n)
	}
	return parts[0]<<16 | parts[1]<<8 | min(parts[2], 255)
}

var (
	kconfigOnce sync.Once
	kconfigVals map[string]string
	kconfigErr  error
)

// kernelConfig reads the running kernel's configuration from
// /proc/config.gz or /boot/config-RELEASE.
func kernelConfig() (map[string]string, error) {
	kconfigOnce.Do(func() {
		var r io.Reader
		if f, err := os.Open("/proc/config.gz"); err == nil {
			defer f.Close()
			zr, err := gzip.NewReader(f)
			if err != nil {
				kconfigErr = fmt.Errorf("/proc/config.gz: %w", err)
				return
			}
			r = zr
		} else {
			release, err := kernelRelease()
			if err != nil {
				kconfigErr = err
				return
			}
			b, err := os.ReadFile("/boot/config-" + release)
			if err != nil {
				kconfigErr = fmt.Errorf("kernel configuration (no /proc/config.gz, no /boot/config-*): %w", errors.Join(err, ebpf.ErrNotSupported))
				return
			}
			r = bytes.NewReader(b)
		}
		vals := map[string]string{}
		sc := bufio.NewScanner(r)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if name, ok := strings.CutPrefix(line, "# "); ok {
				if n, ok := strings.CutSuffix(name, " is not set"); ok {
					vals[n] = "n"
				}
				continue
			}
			if k, v, ok := strings.Cut(line, "="); ok {
				vals[k] = v
			}
		}
		kconfigVals, kconfigErr = vals, sc.Err()
	})
	return kconfigVals, kconfigErr
}
