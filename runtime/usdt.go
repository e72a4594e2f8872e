package runtime

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// USDT probes (usdt/PATH:PROVIDER:NAME sections), as libbpf's usdt.bpf.h
// expects them: every probe site of the binary gets a spec in the map
// __bpf_usdt_specs, at an index the site's uprobe passes as its BPF
// cookie, saying where bpf_usdt_arg finds each argument (a constant, a
// register of struct pt_regs, or memory at a register plus an offset).

// usdtNote is one probe site of a binary's .note.stapsdt section.
type usdtNote struct {
	provider, name string
	offset         uint64 // file offset of the probe's instruction
	semaphore      uint64 // file offset of its semaphore, 0 if none
	args           string // the argument descriptions, "-4@%edi 8@-8(%rbp)"
}

// usdtNotes returns the probe sites of the ELF binary f named provider and
// name.
func usdtNotes(f *elf.File, provider, name string) ([]usdtNote, error) {
	sec := f.Section(".note.stapsdt")
	if sec == nil {
		return nil, errors.New("no USDT probes (no .note.stapsdt section)")
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf(".note.stapsdt: %w", err)
	}
	// The addresses in the notes are link-time ones; a prelinked binary
	// moves .stapsdt.base, and its notes' base says where it was.
	var baseAddr uint64
	if b := f.Section(".stapsdt.base"); b != nil {
		baseAddr = b.Addr
	}
	bo := f.ByteOrder
	var notes []usdtNote
	for len(data) >= 12 {
		namesz, descsz, typ := uint64(bo.Uint32(data)), uint64(bo.Uint32(data[4:])), bo.Uint32(data[8:])
		nameEnd := 12 + align4(namesz)
		descEnd := nameEnd + align4(descsz)
		if namesz > uint64(len(data)) || descsz > uint64(len(data)) || descEnd > uint64(len(data)) {
			return nil, errors.New(".note.stapsdt: truncated note")
		}
		owner, desc := data[12:12+namesz], data[nameEnd:nameEnd+descsz]
		data = data[descEnd:]
		if typ != 3 || string(owner) != "stapsdt\x00" || len(desc) < 24 {
			continue
		}
		pc, base, sema := bo.Uint64(desc), bo.Uint64(desc[8:]), bo.Uint64(desc[16:])
		strs := bytes.SplitN(desc[24:], []byte{0}, 4)
		if len(strs) < 3 || string(strs[0]) != provider || string(strs[1]) != name {
			continue
		}
		if baseAddr != 0 && base != 0 {
			pc += baseAddr - base
			if sema != 0 {
				sema += baseAddr - base
			}
		}
		n := usdtNote{provider: provider, name: name, args: string(strs[2])}
		if n.offset, err = fileOffset(f, pc, elf.PF_X); err != nil {
			return nil, fmt.Errorf("probe %s:%s: %w", provider, name, err)
		}
		if sema != 0 {
			if n.semaphore, err = fileOffset(f, sema, elf.PF_W); err != nil {
				return nil, fmt.Errorf("probe %s:%s: semaphore: %w", provider, name, err)
			}
		}
		notes = append(notes, n)
	}
	if len(notes) == 0 {
		return nil, fmt.Errorf("no USDT probe %s:%s", provider, name)
	}
	return notes, nil
}

func align4(n uint64) uint64 { return (n + 3) &^ 3 }

// fileOffset translates the virtual address addr of f into a file offset,
// through the loadable segment with flag that holds it.
func fileOffset(f *elf.File, addr uint64, flag elf.ProgFlag) (uint64, error) {
	for _, p := range f.Progs {
		if p.Type == elf.PT_LOAD && p.Flags&flag != 0 && addr >= p.Vaddr && addr-p.Vaddr < p.Memsz {
			return addr - p.Vaddr + p.Off, nil
		}
	}
	return 0, fmt.Errorf("address %#x in no loadable segment", addr)
}

// Argument kinds of usdt.bpf.h's enum __bpf_usdt_arg_type.
const (
	usdtArgConst    = 0
	usdtArgReg      = 1
	usdtArgRegDeref = 2
)

// usdtMaxArgs is usdt.bpf.h's BPF_USDT_MAX_ARG_CNT.
const usdtMaxArgs = 12

// usdtArgSpec is usdt.bpf.h's struct __bpf_usdt_arg_spec.
type usdtArgSpec struct {
	ValOff   uint64
	ArgType  uint32
	RegOff   int16
	Signed   bool
	BitShift int8
}

// usdtSpec is usdt.bpf.h's struct __bpf_usdt_spec.
type usdtSpec struct {
	Args   [usdtMaxArgs]usdtArgSpec
	Cookie uint64
	ArgCnt int16
	_      [6]byte
}

// usdtRegs gives the offset in x86-64's struct pt_regs of each register
// an argument description may name, under all the names of its parts.
var usdtRegs = map[string]int16{}

func init() {
	for off, names := range [][]string{
		{"r15", "r15d", "r15w", "r15b"}, {"r14", "r14d", "r14w", "r14b"},
		{"r13", "r13d", "r13w", "r13b"}, {"r12", "r12d", "r12w", "r12b"},
		{"rbp", "ebp", "bp", "bpl"}, {"rbx", "ebx", "bx", "bl", "bh"},
		{"r11", "r11d", "r11w", "r11b"}, {"r10", "r10d", "r10w", "r10b"},
		{"r9", "r9d", "r9w", "r9b"}, {"r8", "r8d", "r8w", "r8b"},
		{"rax", "eax", "ax", "al", "ah"}, {"rcx", "ecx", "cx", "cl", "ch"},
		{"rdx", "edx", "dx", "dl", "dh"}, {"rsi", "esi", "si", "sil"},
		{"rdi", "edi", "di", "dil"}, nil /* orig_rax */, {"rip", "eip"},
		nil /* cs */, nil /* flags */, {"rsp", "esp", "sp", "spl"},
	} {
		for _, n := range names {
			usdtRegs[n] = int16(off * 8)
		}
	}
}

// parseUSDTArgs turns the argument descriptions of an x86-64 probe site
// ("-4@%edi 8@-8(%rbp) -4@$5") into a spec.
func parseUSDTArgs(args string) (usdtSpec, error) {
	var spec usdtSpec
	for _, a := range strings.Fields(args) {
		if int(spec.ArgCnt) == usdtMaxArgs {
			return spec, fmt.Errorf("more than %d arguments", usdtMaxArgs)
		}
		sz, op, ok := strings.Cut(a, "@")
		size, err := strconv.Atoi(sz)
		if !ok || err != nil || size == 0 {
			return spec, fmt.Errorf("argument %q: want SIZE@OPERAND", a)
		}
		s := usdtArgSpec{Signed: size < 0}
		if size < 0 {
			size = -size
		}
		if size > 8 {
			return spec, fmt.Errorf("argument %q: size %d", a, size)
		}
		s.BitShift = int8(64 - 8*size)
		switch {
		case strings.HasPrefix(op, "$"): // $5
			v, err := strconv.ParseInt(op[1:], 0, 64)
			if err != nil {
				return spec, fmt.Errorf("argument %q: %w", a, err)
			}
			s.ArgType, s.ValOff = usdtArgConst, uint64(v)
		case strings.HasPrefix(op, "%"): // %edi
			off, ok := usdtRegs[op[1:]]
			if !ok {
				return spec, fmt.Errorf("argument %q: unknown register", a)
			}
			s.ArgType, s.RegOff = usdtArgReg, off
		case strings.HasSuffix(op, ")"): // -8(%rbp), (%rax)
			disp, reg, _ := strings.Cut(strings.TrimSuffix(op, ")"), "(")
			off, ok := usdtRegs[strings.TrimPrefix(reg, "%")]
			if !ok || !strings.HasPrefix(reg, "%") {
				return spec, fmt.Errorf("argument %q: unsupported operand", a)
			}
			var d int64
			if disp != "" {
				if d, err = strconv.ParseInt(disp, 0, 64); err != nil {
					return spec, fmt.Errorf("argument %q: %w", a, err)
				}
			}
			s.ArgType, s.RegOff, s.ValOff = usdtArgRegDeref, off, uint64(d)
		default:
			return spec, fmt.Errorf("argument %q: unsupported operand", a)
		}
		spec.Args[spec.ArgCnt] = s
		spec.ArgCnt++
	}
	return spec, nil
}

// usdtSpecSize is the size of struct __bpf_usdt_spec.
var usdtSpecSize = binary.Size(usdtSpec{})
