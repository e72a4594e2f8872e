//go:build linux

package runtime_test

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf/btf"
)

// elem mirrors struct elem in testdata/arena_list.bpf.c.
type elem struct {
	Next  runtime.Ptr[elem]
	Value uint64
}

// global returns a pointer to the arena global name, found through the
// Datasec that LoadSpec fixed up.
func global[T any](tb testing.TB, s *runtime.Spec, c *runtime.Collection, name string) *T {
	tb.Helper()
	if runtime.ArenaOf(s) == nil || runtime.ArenaOf(s).Globals == nil {
		tb.Fatal("object has no arena globals")
	}
	for _, v := range runtime.ArenaOf(s).Globals.Vars {
		if v.Type.TypeName() != name {
			continue
		}
		var zero T
		if uintptr(v.Size) != unsafe.Sizeof(zero) {
			tb.Fatalf("global %s: size %d, want %d", name, v.Size, unsafe.Sizeof(zero))
		}
		a := c.Arena()
		off, _ := a.GlobalsOffset()
		return (*T)(unsafe.Pointer(&a.Bytes()[off+uint64(v.Offset)]))
	}
	tb.Fatalf("no arena global %s", name)
	return nil
}

func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }
func u64(v uint64) []byte { return binary.NativeEndian.AppendUint64(nil, v) }

func TestArenaGlobalsDatasec(t *testing.T) {
	s := parseObject(t, "arena_list")
	ds := runtime.ArenaOf(s).Globals
	if ds.Name != ".addr_space.1" || ds.Size == 0 || uint32(len(runtime.ArenaOf(s).Data)) != ds.Size {
		t.Fatalf("datasec %s size %d, data %d bytes", ds.Name, ds.Size, len(runtime.ArenaOf(s).Data))
	}
	offs := map[string]uint32{}
	for _, v := range ds.Vars {
		offs[v.Type.TypeName()] = v.Offset
		if _, ok := v.Type.(*btf.Var); !ok {
			t.Errorf("%v is not a Var", v.Type)
		}
	}
	if len(offs) != len(ds.Vars) {
		t.Errorf("duplicate variables in %v", ds.Vars)
	}
	for _, name := range []string{"init_value", "static_value", "counter", "bpf_head", "go_head"} {
		if _, ok := offs[name]; !ok {
			t.Errorf("no variable %s in %v", name, offs)
		}
	}
	if binary.NativeEndian.Uint64(runtime.ArenaOf(s).Data[offs["init_value"]:]) != 42 ||
		binary.NativeEndian.Uint64(runtime.ArenaOf(s).Data[offs["static_value"]:]) != 5 {
		t.Errorf("initial data wrong: %x", runtime.ArenaOf(s).Data)
	}
	if runtime.ArenaOf(s).MapName != "arena" || runtime.ArenaOf(s).Pages != 16384 || runtime.ArenaOf(s).Flags&(1<<10) == 0 {
		t.Errorf("arena spec %+v", runtime.ArenaOf(s))
	}
	if _, ok := s.Collection.Maps[".addr_space.1"]; ok {
		t.Error("arena globals are a map in the CollectionSpec")
	}
}

func TestListBuiltByBPF(t *testing.T) {
	s, c := loadObject(t, "arena_list", nil)
	a := c.Arena()
	run(t, c, "build_list", u32(1000))
	head := global[runtime.Ptr[elem]](t, s, c, "bpf_head")
	if n := *global[uint64](t, s, c, "bpf_count"); n != 1000 {
		t.Fatalf("bpf_count = %d", n)
	}
	want := uint64(999)
	n := 0
	for e := head.Get(a); e != nil; e = e.Next.Get(a) {
		if e.Value != want {
			t.Fatalf("element %d: value %d, want %d", n, e.Value, want)
		}
		want--
		n++
	}
	if n != 1000 {
		t.Fatalf("walked %d elements, want 1000", n)
	}
}

func TestListBuiltByGo(t *testing.T) {
	s, c := loadObject(t, "arena_list", nil)
	a := c.Arena()
	var head runtime.Ptr[elem]
	var sum uint64
	for i := range 500 {
		e, err := runtime.New[elem](a)
		if err != nil {
			t.Fatal(err)
		}
		e.Value = uint64(i*i + 1)
		sum += e.Value
		e.Next = head
		head = runtime.PtrTo(a, e)
		if head.Get(a) != e {
			t.Fatalf("PtrTo/Get round trip failed for %p", e)
		}
	}
	*global[runtime.Ptr[elem]](t, s, c, "go_head") = head
	run(t, c, "sum_go_list", nil)
	if got := *global[uint64](t, s, c, "go_count"); got != 500 {
		t.Fatalf("BPF counted %d elements, want 500", got)
	}
	if got := *global[uint64](t, s, c, "go_sum"); got != sum {
		t.Fatalf("BPF summed %d, want %d", got, sum)
	}
	// BPF allocating after Go must not hand out Go's pages.
	run(t, c, "build_list", u32(5000))
	n := 0
	for e := head.Get(a); e != nil; e = e.Next.Get(a) {
		n++
	}
	if n != 500 {
		t.Fatalf("Go list has %d elements after BPF allocated, want 500", n)
	}
	run(t, c, "sum_go_list", nil)
	if got := *global[uint64](t, s, c, "go_sum"); got != sum {
		t.Fatalf("after BPF allocated: BPF summed %d, want %d", got, sum)
	}
}

func TestGlobalsInitialValuesAndUpdates(t *testing.T) {
	s := parseObject(t, "arena_list")
	_, c := loadObject(t, "arena_list", nil)
	_ = s
	spec, c2 := loadEdited(t)
	for _, tc := range []struct {
		c            *runtime.Collection
		s            *runtime.Spec
		init, static uint64
	}{{c, s, 42, 5}, {c2, spec, 1000, 5}} {
		run(t, tc.c, "read_globals", nil)
		if got := *global[uint64](t, tc.s, tc.c, "seen_init"); got != tc.init {
			t.Errorf("BPF saw init_value %d, want %d", got, tc.init)
		}
		if got := *global[uint64](t, tc.s, tc.c, "seen_static"); got != tc.static {
			t.Errorf("BPF saw static_value %d, want %d", got, tc.static)
		}
		if got := *global[uint64](t, tc.s, tc.c, "init_value"); got != tc.init+1 {
			t.Errorf("Go sees init_value %d, want %d", got, tc.init+1)
		}
		if got := *global[uint64](t, tc.s, tc.c, "static_value"); got != tc.static+10 {
			t.Errorf("Go sees static_value %d, want %d", got, tc.static+10)
		}
		// Go's update seen by BPF.
		*global[uint64](t, tc.s, tc.c, "static_value") = 77
		run(t, tc.c, "read_globals", nil)
		if got := *global[uint64](t, tc.s, tc.c, "seen_static"); got != 77 {
			t.Errorf("BPF saw static_value %d after Go wrote 77", got)
		}
	}
}

// loadEdited loads arena_list with init_value changed through SpecView.
func loadEdited(t *testing.T) (*runtime.Spec, *runtime.Collection) {
	s := parseObject(t, "arena_list")
	off := -1
	for _, v := range runtime.ArenaOf(s).Globals.Vars {
		if v.Type.TypeName() == "init_value" {
			off = int(v.Offset)
		}
	}
	binary.NativeEndian.PutUint64(runtime.ArenaOf(s).Data[off:], 1000)
	c, err := s.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return s, c
}

func TestAtomics(t *testing.T) {
	s, c := loadObject(t, "arena_list", nil)
	counter := global[uint64](t, s, c, "counter")
	const goroutines, perG, bpfRuns, bpfDelta = 8, 100000, 20000, 3
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perG {
				atomic.AddUint64(counter, 1)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range bpfRuns {
			p := c.Program("add_counter")
			if _, err := p.Run(runtimeRunOpts{ctx: u64(bpfDelta)}.opts()); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	wg.Wait()
	if got, want := atomic.LoadUint64(counter), uint64(goroutines*perG+bpfRuns*bpfDelta); got != want {
		t.Fatalf("counter = %d, want %d", got, want)
	}
}

// TestExtInfos checks that programs loaded through the runtime's own
// BPF_PROG_LOAD carry their BTF, func info (main program and the global
// subprogram) and line info.
func TestExtInfos(t *testing.T) {
	_, c := loadObject(t, "arena_list", nil)
	info, err := c.Program("sum_go_list").Info()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := info.BTFID(); !ok {
		t.Error("no BTF")
	}
	fis, err := info.FuncInfos()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, fi := range fis {
		names = append(names, fi.Func.Name)
	}
	if len(names) != 2 || names[0] != "sum_go_list" || names[1] != "sum_list" {
		t.Errorf("func infos %v, want [sum_go_list sum_list]", names)
	}
	lis, err := info.LineInfos()
	if err != nil {
		t.Fatal(err)
	}
	if len(lis) == 0 {
		t.Error("no line info")
	}
}
