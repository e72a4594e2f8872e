package runtime

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/bpfskel/bpfskel/internal/objfile"
	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/btf"
	"github.com/cilium/ebpf/link"
)

// Options configure Load. The zero value (and nil) are the defaults.
type Options struct {
	// Programs are the options for every program (verifier log level and
	// size, kernel types for CO-RE).
	Programs ebpf.ProgramOptions
	// Maps are the options for every map (pin path).
	Maps ebpf.MapOptions
	// ArenaGlobalsAtEnd forces where arena globals go: nil probes the
	// kernel as libbpf >= 1.7 does (the end of the arena when the kernel
	// accepts full-range ld_imm64 offsets into it, else offset 0).
	ArenaGlobalsAtEnd *bool
}

// kernelTypes caches the kernel's (and modules') BTF across loads: decoding
// vmlinux BTF is the most expensive part of loading a small object.
var kernelTypes = btf.NewCache()

// testCiliumOnly makes Load use cilium/ebpf for every program (tests show
// what happens without the workaround).
var testCiliumOnly = false

// Collection is a loaded object: its maps and programs, the arena mapping,
// the mapped data sections and the links made by Attach. Close releases all
// of them.
type Collection struct {
	mu       sync.Mutex
	programs map[string]*ebpf.Program
	maps     map[string]*ebpf.Map
	arena    *Arena
	sections map[string]mapping // mapped data sections by section name
	links    []link.Link
	// progLinks are the links Attach made, by program or struct_ops map.
	progLinks map[string]link.Link
	// skipped are the programs the kernel refused whose event another
	// loaded program attaches to (see Skipped).
	skipped map[string]error
	spec    *Spec
	// kconfig is the frozen array of the kconfig externs' values, created
	// for the first program that reads one.
	kconfig     *ebpf.Map
	kconfigSize uint32
	// usdtSpecs counts the USDT probe sites Attach gave a spec to.
	usdtSpecs uint32
	closed    bool
}

// mapping is a region mmapped by the runtime.
type mapping struct {
	mem  unsafe.Pointer
	size uintptr
	// valueSize is the data section's size (<= size).
	valueSize uint32
	readOnly  bool
}

// Program returns the program named name, or nil.
func (c *Collection) Program(name string) *ebpf.Program { return c.programs[name] }

// Map returns the map named name (a data section by its section name, such
// as ".bss"), or nil.
func (c *Collection) Map(name string) *ebpf.Map { return c.maps[name] }

// Arena returns the arena, or nil when the object has none.
func (c *Collection) Arena() *Arena { return c.arena }

// Load creates the object's maps, maps the arena, places the arena globals,
// loads the programs and maps the data sections. On error, everything
// created so far is released.
func (s *Spec) Load(opts *Options) (_ *Collection, err error) {
	if opts == nil {
		opts = &Options{}
	}
	c := &Collection{
		programs:  map[string]*ebpf.Program{},
		maps:      map[string]*ebpf.Map{},
		sections:  map[string]mapping{},
		progLinks: map[string]link.Link{},
		skipped:   map[string]error{},
		spec:      s,
	}
	defer func() {
		if err != nil {
			c.Close()
		}
	}()
	cs := s.Collection

	// Maps first: programs embed their fds. Maps of programs or maps get
	// their contents once those exist.
	deferred := map[string][]ebpf.MapKV{}
	for _, name := range slices.Sorted(maps.Keys(cs.Maps)) {
		ms := cs.Maps[name].Copy()
		data := isDataSection(name)
		if data {
			ms.Flags |= flagMmapable
			if untypedVar(ms.Value) {
				// The kernel refuses BTF with a typeless variable (clang's
				// _Atomic globals); like libbpf, create the map without.
				ms.Key, ms.Value = nil, nil
			}
		}
		switch ms.Type {
		case ebpf.ProgramArray, ebpf.ArrayOfMaps, ebpf.HashOfMaps, ebpf.StructOpsMap:
			// A struct_ops map's contents are the user's struct; the
			// kernel's value, with program fds, is written after the
			// programs load.
			if len(ms.Contents) > 0 {
				deferred[name] = ms.Contents
				ms.Contents = nil
			}
		}
		m, err := ebpf.NewMapWithOptions(ms, opts.Maps)
		if err != nil {
			return nil, fmt.Errorf("map %s: %w", name, classify(err, "map type "+ms.Type.String()))
		}
		c.maps[name] = m
		if _, unmappable := s.obj.Unmappable[name]; data && !unmappable {
			mm, err := mmapSection(m, ms)
			if err != nil {
				return nil, fmt.Errorf("map %s: %w", name, err)
			}
			c.sections[name] = mm
		}
	}

	if s.arena() != nil {
		if err := c.setUpArena(opts); err != nil {
			return nil, err
		}
	}

	ld := &programLoader{opts: opts.Programs, cache: kernelTypes, weak: s.obj.Weak}
	for _, name := range slices.Sorted(maps.Keys(cs.Programs)) {
		ps := cs.Programs[name]
		if ps.Type == ebpf.UnspecifiedProgram || structOpsUnused(ps) || !s.Autoload(name) {
			continue
		}
		p, err := c.loadProgram(ps, ld)
		if err != nil {
			if _, _, alt := objfile.Alternative(ps.SectionName); alt {
				// Decided once all are loaded: another form of the
				// event may stand in for it.
				c.skipped[name] = fmt.Errorf("program %s: %w", name, err)
				continue
			}
			return nil, fmt.Errorf("program %s: %w", name, err)
		}
		c.programs[name] = p
	}
	if err := c.checkAlternatives(); err != nil {
		return nil, err
	}

	for _, name := range slices.Sorted(maps.Keys(deferred)) {
		m := c.maps[name]
		if so := s.obj.StructOps[name]; so != nil {
			user, ok := deferred[name][0].Value.([]byte)
			if len(deferred[name]) != 1 || !ok {
				return nil, fmt.Errorf("struct_ops map %s: contents are not one struct", name)
			}
			if err := c.fillStructOps(so, m, user); err != nil {
				return nil, fmt.Errorf("struct_ops map %s: %w", name, err)
			}
			continue
		}
		for _, kv := range deferred[name] {
			v := kv.Value
			if ref, ok := v.(string); ok {
				switch {
				case c.programs[ref] != nil:
					v = c.programs[ref]
				case c.maps[ref] != nil:
					v = c.maps[ref]
				default:
					return nil, fmt.Errorf("map %s: key %v: no program or map %s", name, kv.Key, ref)
				}
			}
			if err := m.Put(kv.Key, v); err != nil {
				return nil, fmt.Errorf("map %s: key %v: %w", name, kv.Key, err)
			}
		}
	}
	return c, nil
}

// checkAlternatives keeps out the programs the kernel refused for which a
// loaded program of another form attaches to the same event (fentry/F when
// kprobe/F loaded, tp_btf/X when raw_tp/X did: what objects carrying both
// forms expect), and fails with the first refusal otherwise.
func (c *Collection) checkAlternatives() error {
	loaded := map[string]bool{} // events
	for name := range c.programs {
		if ev, _, ok := objfile.Alternative(c.spec.Collection.Programs[name].SectionName); ok {
			loaded[ev] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.skipped)) {
		ev, _, _ := objfile.Alternative(c.spec.Collection.Programs[name].SectionName)
		if !loaded[ev] {
			return c.skipped[name]
		}
	}
	return nil
}

// Skipped returns the programs Load left out, with the kernel's reason,
// because the kernel refused them and another loaded program attaches to
// the same event in another form (fentry/F and kprobe/F, tp_btf/X and
// raw_tp/X, ...). Their Program is nil.
func (c *Collection) Skipped() map[string]error {
	return maps.Clone(c.skipped)
}

// setUpArena maps the arena (at map_extra when set), places the globals and
// writes their initial values.
func (c *Collection) setUpArena(opts *Options) error {
	// The arena map's definition as the spec now says (its Collection's
	// map may have been edited since LoadSpec), with the parsed globals.
	as := c.spec.arena()
	ms := c.spec.Collection.Maps[as.MapName]
	if ms == nil || ms.Type != ebpf.Arena {
		return fmt.Errorf("arena %s: %w", as.MapName, ErrNoArenaMap)
	}
	def, err := objfile.ArenaOf(ms)
	if err != nil {
		return err
	}
	def.MapName, def.Globals, def.Data = as.MapName, as.Globals, as.Data
	as = def
	m := c.maps[as.MapName]
	size := as.Size()
	var hint unsafe.Pointer
	if as.MapExtra != 0 {
		// unsafe: the address mmap must map at. It is not Go memory and Go
		// never dereferences it; reinterpreting the integer's bits (rather
		// than converting) keeps vet's uintptr check quiet for this one
		// legitimate case.
		addr := uintptr(as.MapExtra)
		hint = *(*unsafe.Pointer)(unsafe.Pointer(&addr))
		// A closed collection's arena may have left the range reserved.
		if err := releaseRetired(addr, uintptr(size)); err != nil {
			return fmt.Errorf("arena %s: %w", as.MapName, err)
		}
	}
	mem, err := mmapMap(m.FD(), hint, uintptr(size), false, as.MapExtra != 0)
	if err != nil {
		if as.MapExtra != 0 && errors.Is(err, syscall.EEXIST) {
			return fmt.Errorf("arena %s: map at map_extra %#x: address range already in use: %w", as.MapName, as.MapExtra, err)
		}
		return fmt.Errorf("arena %s: mmap %d bytes: %w", as.MapName, size, err)
	}
	a := &Arena{m: m, mem: mem, base: uintptr(mem), lo32: uint32(uintptr(mem)), hi32: uint32(uint64(uintptr(mem)) >> 32), size: size, mapped: size, flags: as.Flags, name: as.MapName}
	c.arena = a
	if as.MapExtra != 0 && uint64(a.base) != as.MapExtra {
		// Kernels without MAP_FIXED_NOREPLACE treat it as a hint.
		return fmt.Errorf("arena %s: mapped at %#x, not at map_extra %#x", as.MapName, a.base, as.MapExtra)
	}
	if uint64(a.base)>>32 != (uint64(a.base)+size-1)>>32 {
		return fmt.Errorf("arena %s: mapping %#x+%#x crosses a 4 GiB boundary", as.MapName, a.base, size)
	}

	if len(as.Data) == 0 {
		return nil
	}
	dataPages := roundUp(uint64(len(as.Data)), uint64(pageSize))
	if dataPages > size {
		// LoadSpec checks this; Data may have been replaced since.
		return fmt.Errorf("arena %s: %d bytes of arena globals exceed the %d-byte arena", as.MapName, len(as.Data), size)
	}
	atEnd := false
	if opts.ArenaGlobalsAtEnd != nil {
		atEnd = *opts.ArenaGlobalsAtEnd
	} else if atEnd, err = haveFullRangeLdImm64(); err != nil {
		return fmt.Errorf("arena %s: placing globals: %w", as.MapName, err)
	}
	if atEnd {
		a.globalsOff = size - dataPages
	}
	a.globalsSize = uint64(len(as.Data))
	if as.Flags&flagSegvOnFault != 0 {
		// User space may not fault pages in: have the kernel allocate the
		// globals' pages at their place first.
		if _, err := a.allocPagesAt(a.globalsOff, int(dataPages/uint64(pageSize))); err != nil {
			return fmt.Errorf("arena %s: allocating the pages of the arena globals: %w", as.MapName, err)
		}
	}
	// Writing every byte faults every page of the globals in, which also
	// keeps bpf_arena_alloc_pages from handing them out.
	copy(a.Bytes()[a.globalsOff:], as.Data)
	return nil
}

func (c *Collection) loadProgram(ps *ebpf.ProgramSpec, ld *programLoader) (*ebpf.Program, error) {
	ps = ps.Copy()
	arenaName := ""
	if c.spec.arena() != nil {
		arenaName = c.spec.arena().MapName
	}
	for i := range ps.Instructions {
		ins := &ps.Instructions[i]
		if arenaName != "" && objfile.IsArenaGlobalRef(ins, arenaName) {
			off := uint64(uint64(ins.Constant)>>32) + c.arena.globalsOff
			if err := ins.RewriteMapOffset(uint32(off)); err != nil {
				return nil, err
			}
		}
		if !ins.IsLoadFromMap() || ins.Reference() == "" {
			continue
		}
		m := c.maps[ins.Reference()]
		if m == nil {
			continue // kconfig and friends: resolved by cilium/ebpf
		}
		if err := ins.AssociateMap(m); err != nil {
			return nil, fmt.Errorf("map %s: %w", ins.Reference(), err)
		}
	}
	if err := c.resolveKconfig(ps.Instructions); err != nil {
		return nil, fmt.Errorf("resolve .kconfig: %w", err)
	}
	if err := c.resolveTypedKsyms(ps.Instructions); err != nil {
		return nil, err
	}
	if hasAddrSpaceCast(ps.Instructions) && marshalDropsCastOffset() && !testCiliumOnly {
		return ld.load(ps) // errors already classified
	}
	p, err := ebpf.NewProgramWithOptions(ps, ld.opts)
	return p, classify(err, "")
}

// classify adds what a bare errno does not say: missing privileges.
func classify(err error, feature string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, syscall.EPERM) && !errors.Is(err, ErrPermission) {
		if os.Geteuid() == 0 {
			// Root was refused: not a missing capability but a kernel
			// that does not allow this (lockdown, missing trampolines).
			return fmt.Errorf("%w (as root: the kernel does not permit it here)", err)
		}
		return fmt.Errorf("%w: %w", ErrPermission, err)
	}
	if feature != "" && errors.Is(err, ebpf.ErrNotSupported) {
		return fmt.Errorf("%s: %w", feature, err)
	}
	return err
}

// mmapSection maps a data section's array map.
func mmapSection(m *ebpf.Map, ms *ebpf.MapSpec) (mapping, error) {
	size := roundUp(uint64(roundUp(uint64(ms.ValueSize), 8)), uint64(pageSize))
	ro := strings.HasPrefix(ms.Name, ".rodata")
	mem, err := mmapMap(m.FD(), nil, uintptr(size), ro, false)
	if err != nil {
		return mapping{}, fmt.Errorf("mmap data section: %w", err)
	}
	return mapping{mem: mem, size: uintptr(size), valueSize: ms.ValueSize, readOnly: ro}, nil
}

// View returns a typed pointer into live memory: the mapped data section
// named section (".bss", ".data", ".rodata", ".data.foo", ...), or the arena
// globals (".addr_space.1") where Load placed them. A section the kernel
// cannot map (it holds a bpf_spin_lock, bpf_timer or another special type)
// is ErrNotMapped: read and write it with ReadSection and WriteSection. T's size must equal the
// section's. A read-only section (.rodata, .rodata.*) is frozen once loaded,
// so View returns a copy of its contents in Go memory: writing to it changes
// nothing the programs see, and never faults. Other pointers are live until c
// is closed; see the package documentation on handle lifetimes. View on a
// closed collection returns an error wrapping ErrClosed.
func View[T any](c *Collection, section string) (*T, error) {
	var zero T
	size := uint64(unsafe.Sizeof(zero))
	if err := c.checkOpen(section); err != nil {
		return nil, err
	}
	if section == arenaGlobalsSection {
		a := c.arena
		if a == nil || a.globalsSize == 0 {
			return nil, fmt.Errorf("section %s: %w", section, ErrNoSection)
		}
		if !fits[T](a.globalsSize) {
			return nil, fmt.Errorf("section %s: %T is %d bytes, section is %d: %w", section, zero, size, a.globalsSize, ErrSizeMismatch)
		}
		// unsafe: the globals lie inside the arena mapping at globalsOff,
		// which is page-aligned, and occupy globalsSize bytes, which
		// sizeof(T) rounds up to T's alignment at most: the rest is still
		// inside the page-granular mapping.
		return (*T)(unsafe.Add(a.mem, a.globalsOff)), nil
	}
	mm, ok := c.sections[section]
	if !ok {
		if why, unmapped := c.spec.obj.Unmappable[section]; unmapped {
			return nil, fmt.Errorf("section %s (%s): %w", section, why, ErrNotMapped)
		}
		return nil, fmt.Errorf("section %s: %w", section, ErrNoSection)
	}
	if !fits[T](uint64(mm.valueSize)) {
		return nil, fmt.Errorf("section %s: %T is %d bytes, section is %d: %w", section, zero, size, mm.valueSize, ErrSizeMismatch)
	}
	if mm.readOnly {
		v := new(T)
		// unsafe: both sides are size bytes: the mapping holds at least
		// roundUp(valueSize, 8) >= size bytes (fits), and v is a fresh T.
		copy(unsafe.Slice((*byte)(unsafe.Pointer(v)), size), unsafe.Slice((*byte)(mm.mem), size))
		return v, nil
	}
	// unsafe: mm.mem is a page-aligned mapping of at least valueSize bytes
	// that stays mapped until c is closed, and reserved after (retire).
	return (*T)(mm.mem), nil
}

// Close detaches the links, closes programs and maps and releases all
// memory. Pointers obtained from the collection must not be used
// afterwards: the Arena and View refuse to (ErrClosed), and Go pointers
// handed out before read zeros and write nowhere (see the package
// documentation on handle lifetimes).
func (c *Collection) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var errs []error
	for _, l := range c.links {
		if err := l.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	c.links = nil
	c.progLinks = nil
	for _, name := range slices.Sorted(maps.Keys(c.spec.obj.StructOps)) {
		// A .struct_ops map stays registered until its value is deleted.
		if m := c.maps[name]; m != nil && !c.spec.obj.StructOps[name].Link() {
			if err := m.Delete(uint32(0)); err != nil && !errors.Is(err, ebpf.ErrKeyNotExist) {
				errs = append(errs, fmt.Errorf("unregister struct_ops map %s: %w", name, err))
			}
		}
	}
	for _, p := range c.programs {
		if err := p.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if c.kconfig != nil {
		if err := c.kconfig.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if c.arena != nil {
		c.arena.close()
		if err := retire(c.arena.mem, uintptr(c.arena.mapped)); err != nil {
			errs = append(errs, fmt.Errorf("arena %s: %w", c.arena.name, err))
		}
	}
	for name, mm := range c.sections {
		var err error
		if mm.readOnly {
			err = munmap(mm.mem, mm.size) // View handed out copies only
		} else {
			err = retire(mm.mem, mm.size)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("section %s: %w", name, err))
		}
	}
	for _, m := range c.maps {
		if err := m.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// untypedVar reports whether t is a Datasec with a variable of no type.
func untypedVar(t btf.Type) bool {
	ds, ok := t.(*btf.Datasec)
	if !ok {
		return false
	}
	for _, v := range ds.Vars {
		if vr, ok := v.Type.(*btf.Var); ok {
			if _, void := vr.Type.(*btf.Void); void || vr.Type == nil {
				return true
			}
		}
	}
	return false
}

func isDataSection(name string) bool {
	return name == ".bss" || strings.HasPrefix(name, ".data") || strings.HasPrefix(name, ".rodata")
}

func roundUp(v, to uint64) uint64 { return (v + to - 1) / to * to }
