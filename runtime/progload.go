package runtime

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"syscall"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// isAddrSpaceCast reports whether ins is addr_space_cast: a 64-bit register
// MOV with off=1 (imm says the direction).
func isAddrSpaceCast(ins *asm.Instruction) bool {
	return ins.OpCode.Class() == asm.ALU64Class && ins.OpCode.ALUOp() == asm.Mov &&
		ins.OpCode.Source() == asm.RegSource && ins.Offset == 1
}

func hasAddrSpaceCast(insns asm.Instructions) bool {
	for i := range insns {
		if isAddrSpaceCast(&insns[i]) {
			return true
		}
	}
	return false
}

var (
	marshalOnce     sync.Once
	marshalCorrupts bool
)

// marshalDropsCastOffset reports whether cilium/ebpf's instruction encoder
// still clears the offset of addr_space_cast (v0.22.0 does). When it stops
// doing so, programs are loaded by cilium/ebpf itself.
func marshalDropsCastOffset() bool {
	marshalOnce.Do(func() {
		ins := asm.Instruction{
			OpCode:   asm.Mov.Op(asm.RegSource),
			Dst:      asm.R1,
			Src:      asm.R1,
			Offset:   1,
			Constant: 1,
		}
		var buf bytes.Buffer
		if _, err := ins.Marshal(&buf, nativeEndian); err != nil || buf.Len() != asm.InstructionSize {
			marshalCorrupts = true
			return
		}
		marshalCorrupts = nativeEndian.Uint16(buf.Bytes()[2:]) != 1
	})
	return marshalCorrupts
}

// nativeEndian is the host's byte order as one of the two values
// cilium/ebpf's encoder recognises.
var nativeEndian binary.ByteOrder = func() binary.ByteOrder {
	if binary.NativeEndian.Uint16([]byte{1, 0}) == 1 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}()

// programLoader loads programs that cilium/ebpf would corrupt, doing what
// cilium/ebpf does through its public API (CO-RE, func and line info, kfunc
// resolution, attach targets) and issuing BPF_PROG_LOAD itself.
type programLoader struct {
	opts  ebpf.ProgramOptions
	cache *btf.Cache
	weak  map[string]bool // weak externs: resolve to 0 when missing
}

// load loads spec, whose map references must already be associated.
func (l *programLoader) load(spec *ebpf.ProgramSpec) (_ *ebpf.Program, err error) {
	insns := make(asm.Instructions, len(spec.Instructions))
	copy(insns, spec.Instructions)

	// CO-RE relocations, against the running kernel (and its modules) unless
	// the options name other types.
	b, err := btf.NewBuilder(nil, nil)
	if err != nil {
		return nil, err
	}
	if err := l.applyCORE(insns, b); err != nil {
		return nil, fmt.Errorf("apply CO-RE relocations: %w", err)
	}

	var funcInfos, lineInfos []byte
	if fi, li, err := btf.MarshalExtInfos(insns, b); err != nil {
		return nil, fmt.Errorf("marshal func and line info: %w", err)
	} else {
		funcInfos, lineInfos = fi, li
	}

	var handle *btf.Handle
	if !b.Empty() {
		handle, err = btf.NewHandle(b)
		if err != nil {
			return nil, fmt.Errorf("load program BTF: %w", err)
		}
		defer handle.Close() // the kernel keeps its own reference
	}

	fdArray, modHandles, err := l.resolveKfuncs(insns)
	defer func() {
		for _, h := range modHandles {
			h.Close()
		}
	}()
	if err != nil {
		return nil, err
	}
	if err := resolveKsyms(insns, l.weak); err != nil {
		return nil, err
	}
	if err := checkUnresolved(insns); err != nil {
		return nil, err
	}

	var buf bytes.Buffer
	buf.Grow(int(insns.Size()))
	if err := insns.Marshal(&buf, nativeEndian); err != nil {
		return nil, fmt.Errorf("marshal instructions: %w", err)
	}
	code := buf.Bytes()
	restoreCastOffsets(insns, code)

	license := append([]byte(spec.License), 0)
	attr := progLoadAttr{
		progType:           uint32(spec.Type),
		insnCnt:            uint32(len(code) / asm.InstructionSize),
		insns:              ptrOf(code),
		license:            ptrOf(license),
		kernVersion:        spec.KernelVersion,
		progFlags:          spec.Flags,
		expectedAttachType: uint32(spec.AttachType),
	}
	copy(attr.progName[:], objName(spec.Name))
	if handle != nil {
		attr.progBTFFd = uint32(handle.FD())
		attr.funcInfoRecSize = btf.FuncInfoSize
		attr.funcInfoCnt = uint32(len(funcInfos)) / btf.FuncInfoSize
		attr.funcInfo = ptrOf(funcInfos)
		attr.lineInfoRecSize = btf.LineInfoSize
		attr.lineInfoCnt = uint32(len(lineInfos)) / btf.LineInfoSize
		attr.lineInfo = ptrOf(lineInfos)
	}
	if len(fdArray) > 1 {
		attr.fdArray = ptrOf(fdArray)
	}
	if spec.AttachTarget != nil {
		return nil, fmt.Errorf("attach to program %s: %w", spec.AttachTo, errors.ErrUnsupported)
	}
	if spec.AttachTo != "" {
		id, mod, err := l.attachTarget(spec)
		if err != nil {
			return nil, err
		}
		if mod != nil {
			defer mod.Close()
			attr.attachBTFObjFd = uint32(mod.FD())
		}
		attr.attachBTFID = uint32(id)
	}

	fd, err := l.issue(&attr)
	if err != nil {
		return nil, err
	}
	p, err := ebpf.NewProgramFromFD(fd)
	if err != nil {
		closeFD(fd)
		return nil, err
	}
	return p, nil
}

// issue calls BPF_PROG_LOAD, retrying with a verifier log when the first
// attempt fails, and builds an error that carries the log.
func (l *programLoader) issue(attr *progLoadAttr) (int, error) {
	var logBuf []byte
	size := max(l.opts.LogSizeStart, 64*1024)
	if l.opts.LogLevel != 0 && !l.opts.LogDisabled {
		logBuf = make([]byte, size)
		attr.logLevel = uint32(l.opts.LogLevel)
		attr.logSize = uint32(len(logBuf))
		attr.logBuf = ptrOf(logBuf)
	}
	for attempt := 0; ; attempt++ {
		fd, err := sysProgLoad(attr)
		if err == nil {
			return fd, nil
		}
		if l.opts.LogDisabled || attempt >= 4 {
			return -1, verifierError(err, logBuf)
		}
		switch {
		case attr.logLevel == 0:
			attr.logLevel = uint32(ebpf.LogLevelBranch)
		case errors.Is(err, syscall.ENOSPC):
			size = max(size*4, attr.logTrueSize)
		default:
			return -1, verifierError(err, logBuf)
		}
		size = min(size, 1<<30-1)
		logBuf = make([]byte, size)
		attr.logSize = uint32(len(logBuf))
		attr.logBuf = ptrOf(logBuf)
	}
}

// verifierError wraps err in the *ebpf.VerifierError that cilium/ebpf
// returns for a rejected program.
func verifierError(err error, log []byte) error {
	if i := bytes.IndexByte(log, 0); i >= 0 {
		log = log[:i]
	}
	log = bytes.TrimRight(log, "\t\r\v\n ")
	var lines []string
	if len(log) > 0 {
		for _, l := range strings.Split(string(log), "\n") {
			lines = append(lines, strings.TrimRight(l, "\t\r\v "))
		}
	}
	return &loadError{ve: &ebpf.VerifierError{Cause: classify(err, ""), Log: lines}}
}

// loadError presents a verifier rejection like cilium/ebpf does; it
// unwraps to the *ebpf.VerifierError carrying the full log.
type loadError struct{ ve *ebpf.VerifierError }

func (e *loadError) Error() string {
	var b strings.Builder
	b.WriteString("load program: ")
	b.WriteString(e.ve.Cause.Error())
	log := e.ve.Log
	if n := len(log); n > 0 && strings.HasPrefix(log[n-1], "processed ") {
		log = log[:n-1]
	}
	if n := len(log); n > 0 {
		from := n - 1
		if n >= 2 {
			from = n - 2
		}
		for _, l := range log[from:] {
			b.WriteString(": ")
			b.WriteString(strings.TrimSpace(l))
		}
		if from > 0 {
			fmt.Fprintf(&b, " (%d line(s) omitted)", from)
		}
	}
	return b.String()
}

func (e *loadError) Unwrap() error { return e.ve }

// restoreCastOffsets writes the offset of every addr_space_cast in insns back
// into its encoding in code (cilium/ebpf's encoder clears it).
func restoreCastOffsets(insns asm.Instructions, code []byte) {
	pos := 0
	for i := range insns {
		if isAddrSpaceCast(&insns[i]) {
			nativeEndian.PutUint16(code[pos+2:], uint16(insns[i].Offset))
		}
		pos += int(insns[i].Size())
	}
}

// objName returns the kernel object name for name: at most 15 characters
// from [A-Za-z0-9_.].
func objName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if b.Len() == 15 {
			break
		}
		if r == '_' || r == '.' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// targets returns the BTF that CO-RE relocations and kfuncs resolve against.
func (l *programLoader) targets() ([]*btf.Spec, error) {
	if l.opts.KernelTypes != nil {
		return append([]*btf.Spec{l.opts.KernelTypes}, l.opts.ExtraRelocationTargets...), nil
	}
	kernel, err := l.cache.Kernel()
	if err != nil {
		return nil, fmt.Errorf("kernel BTF: %w", err)
	}
	targets := []*btf.Spec{kernel}
	mods, err := l.cache.Modules()
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, m := range mods {
		s, err := l.cache.Module(m)
		if err != nil {
			return nil, fmt.Errorf("BTF of module %s: %w", m, err)
		}
		targets = append(targets, s)
	}
	return append(targets, l.opts.ExtraRelocationTargets...), nil
}

func (l *programLoader) applyCORE(insns asm.Instructions, b *btf.Builder) error {
	var relos []*btf.CORERelocation
	var at []*asm.Instruction
	for i := range insns {
		if r := btf.CORERelocationMetadata(&insns[i]); r != nil {
			relos = append(relos, r)
			at = append(at, &insns[i])
		}
	}
	if len(relos) == 0 {
		return nil
	}
	targets, err := l.targets()
	if err != nil {
		return err
	}
	fixups, err := btf.CORERelocate(relos, targets, nativeEndian, b.Add)
	if err != nil {
		return err
	}
	for i, f := range fixups {
		if err := f.Apply(at[i]); err != nil {
			return fmt.Errorf("fixup for %s: %w", relos[i], err)
		}
	}
	return nil
}

// kfuncCallPoison is the helper number a call to a missing weak kfunc
// becomes (cilium/ebpf's choice, so that both loaders agree).
const kfuncCallPoison = 0xdedc0de

// resolveKfuncs sets the kernel BTF id (and module fd_array index) of every
// kfunc call. It returns the fd_array (index 0 reserved) and the module
// handles to close after the load.
func (l *programLoader) resolveKfuncs(insns asm.Instructions) ([]int32, []*btf.Handle, error) {
	var (
		fdArray = []int32{0}
		handles []*btf.Handle
		modIdx  = map[string]int{}
	)
	for i := range insns {
		ins := &insns[i]
		if !ins.IsKfuncCall() || ins.Reference() == "" {
			continue
		}
		name := ins.Reference()
		kernel, err := l.cache.Kernel()
		if err != nil {
			return nil, handles, fmt.Errorf("kfunc %s: kernel BTF: %w", name, err)
		}
		var fn *btf.Func
		if err := kernel.TypeByName(name, &fn); err == nil {
			id, err := kernel.TypeID(fn)
			if err != nil {
				return nil, handles, fmt.Errorf("kfunc %s: %w", name, err)
			}
			ins.Constant = int64(id)
			ins.Offset = 0
			*ins = ins.WithReference("")
			continue
		}
		// Look in the modules.
		mods, _ := l.cache.Modules()
		found := false
		for _, m := range mods {
			s, err := l.cache.Module(m)
			if err != nil {
				continue
			}
			if err := s.TypeByName(name, &fn); err != nil {
				continue
			}
			id, err := s.TypeID(fn)
			if err != nil {
				return nil, handles, fmt.Errorf("kfunc %s: %w", name, err)
			}
			idx, ok := modIdx[m]
			if !ok {
				h, err := btf.FindHandle(func(info *btf.HandleInfo) bool { return info.IsModule() && info.Name == m })
				if err != nil {
					return nil, handles, fmt.Errorf("kfunc %s: BTF of module %s: %w", name, m, err)
				}
				handles = append(handles, h)
				fdArray = append(fdArray, int32(h.FD()))
				idx = len(fdArray) - 1
				modIdx[m] = idx
			}
			ins.Constant = int64(id)
			ins.Offset = int16(idx)
			*ins = ins.WithReference("")
			found = true
			break
		}
		if !found && l.weak[name] {
			// A weak kfunc the kernel lacks: a call the verifier rejects
			// only where it is reachable (bpf_ksym_exists guards it), with
			// the constant cilium/ebpf uses.
			*ins = asm.Instruction{OpCode: ins.OpCode, Constant: kfuncCallPoison}.WithMetadata(ins.Metadata).WithReference("")
			continue
		}
		if !found {
			return nil, handles, fmt.Errorf("kfunc %s: %w", name, ebpf.ErrNotSupported)
		}
	}
	return fdArray, handles, nil
}

// checkUnresolved fails on references this loader cannot satisfy (kconfig
// externs and ksyms), naming them, instead of letting the kernel reject the
// program with a less helpful message.
func checkUnresolved(insns asm.Instructions) error {
	for i := range insns {
		ins := &insns[i]
		if ins.IsFunctionReference() {
			continue
		}
		if ins.IsLoadFromMap() && ins.Map() == nil {
			return fmt.Errorf("instruction %d: unresolved map or extern reference %q: %w", i, ins.Reference(), ebpf.ErrNotSupported)
		}
	}
	return nil
}

// attachTarget resolves the BTF id of spec.AttachTo in the kernel, as the
// section name's program type requires.
func (l *programLoader) attachTarget(spec *ebpf.ProgramSpec) (btf.TypeID, *btf.Handle, error) {
	var name string
	var isFunc bool
	switch {
	case spec.Type == ebpf.Tracing && spec.AttachType == ebpf.AttachTraceRawTp:
		name = "btf_trace_" + spec.AttachTo
	case spec.Type == ebpf.Tracing && spec.AttachType == ebpf.AttachTraceIter:
		name, isFunc = "bpf_iter_"+spec.AttachTo, true
	case spec.Type == ebpf.Tracing:
		name, isFunc = spec.AttachTo, true
	case spec.Type == ebpf.LSM:
		name, isFunc = "bpf_lsm_"+spec.AttachTo, true
	default:
		return 0, nil, nil // the attach point is not a BTF id
	}
	kernel, err := l.cache.Kernel()
	if err != nil {
		return 0, nil, fmt.Errorf("attach target %s: kernel BTF: %w", name, err)
	}
	lookup := func(s *btf.Spec) (btf.TypeID, error) {
		if isFunc {
			var fn *btf.Func
			if err := s.TypeByName(name, &fn); err != nil {
				return 0, err
			}
			return s.TypeID(fn)
		}
		var td *btf.Typedef
		if err := s.TypeByName(name, &td); err != nil {
			return 0, err
		}
		return s.TypeID(td)
	}
	if id, err := lookup(kernel); err == nil {
		return id, nil, nil
	}
	mods, _ := l.cache.Modules()
	for _, m := range mods {
		s, err := l.cache.Module(m)
		if err != nil {
			continue
		}
		id, err := lookup(s)
		if err != nil {
			continue
		}
		h, err := btf.FindHandle(func(info *btf.HandleInfo) bool { return info.IsModule() && info.Name == m })
		if err != nil {
			return 0, nil, fmt.Errorf("attach target %s: BTF of module %s: %w", name, m, err)
		}
		return id, h, nil
	}
	return 0, nil, fmt.Errorf("attach target %s: %w", name, ebpf.ErrNotSupported)
}
