//go:build linux

package typestest

import (
	"testing"
	"unsafe"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
	"github.com/google/go-cmp/cmp"
)

// bytesOf is the memory of v, for exchanging it with a map whose value has
// v's C layout (binary encoding would skip the blank union and bitfield
// storage).
func bytesOf(v *Values) []byte {
	// unsafe: Values has no Go pointers and its size equals the map's
	// value size (asserted at compile time against BTF).
	return unsafe.Slice((*byte)(unsafe.Pointer(v)), unsafe.Sizeof(*v))
}

func loadObject(tb testing.TB) *ebpf.Collection {
	tb.Helper()
	kerneltest.Require(tb)
	spec, err := ebpf.LoadCollectionSpec(object)
	if err != nil {
		tb.Fatal(err)
	}
	coll, err := ebpf.NewCollection(spec)
	if err != nil {
		tb.Fatalf("load %s: %v", object, err)
	}
	tb.Cleanup(func() { coll.Close() })
	return coll
}

func runProgram(tb testing.TB, prog *ebpf.Program) uint32 {
	tb.Helper()
	ret, err := prog.Run(&ebpf.RunOptions{})
	if err != nil {
		tb.Fatalf("run %s: %v", prog, err)
	}
	return ret
}

// got is one field as Go reads it, for a table of comparisons.
type got struct {
	name      string
	got, want any
}

// TestBPFWritesGoReads runs the program fill, which writes known values into
// every field of vals[0], and reads them through the generated types.
func TestBPFWritesGoReads(t *testing.T) {
	coll := loadObject(t)
	if ret := runProgram(t, coll.Programs["fill"]); ret != 0 {
		t.Fatalf("fill returned %d", ret)
	}
	var v Values
	if err := coll.Maps["vals"].Lookup(uint32(0), bytesOf(&v)); err != nil {
		t.Fatal(err)
	}
	items := v.Fz.Items(2)
	for _, c := range []got{
		{"bits.a", v.Bits.A(), uint32(5)},
		{"bits.b", v.Bits.B(), int32(-7)},
		{"bits.c", v.Bits.C(), uint64(0xabcdef1234)},
		{"bits.col", v.Bits.Col(), Blue},
		{"bits.flag", v.Bits.Flag(), true},
		{"bits.tail", v.Bits.Tail, uint8(0x7e)},
		{"packed.c", v.Packed.C, int8('p')},
		{"packed.u", *v.Packed.U(), uint32(0xdeadbeef)},
		{"packed.q", *v.Packed.Q(), uint64(0x0102030405060708)},
		{"packed.s", *v.Packed.S(), uint16(0x1234)},
		{"u.lo", *v.U.Lo(), uint16(0x1111)},
		{"u.hi", *v.U.Hi(), uint16(0x2222)},
		{"u.i", *v.U.I(), uint32(0x22221111)},
		{"anon.x", v.Anon.X, int32(-3)},
		{"anon.ai", *v.Anon.Ai(), int32(-4)},
		{"anon.au", *v.Anon.Au(), uint32(0xfffffffc)},
		{"anon.s1", v.Anon.S1, int16(11)},
		{"anon.s2", v.Anon.S2, int16(-12)},
		{"anon.named_anon.inner_a", v.Anon.NamedAnon.InnerA(), int32(-2)},
		{"anon.named_anon.inner_b", v.Anon.NamedAnon.InnerB(), int32(6)},
		{"color", v.Color, Green},
		{"color string", v.Color.String(), "GREEN"},
		{"big", v.Big, BigB},
		{"small", v.Small, SmallB},
		{"s128", v.S128, runtime.Int128{Lo: 0, Hi: -(1 << 36)}},
		{"u128", v.U128, runtime.Uint128{Lo: 0xfedcba9876543210, Hi: 0x0123456789abcdef}},
		{"typed", v.Typed, uint64(0xfeedfacecafebeef)},
		{"pt", [2]int32{v.Pt.X, v.Pt.Y}, [2]int32{100, -100}},
		{"named.a", v.Named.A, int32(42)},
		{"dup.d", v.Dup.D, int32(43)},
		{"name[0][0]", v.Name[0][0], int8('a')},
		{"name[3][2]", v.Name[3][2], int8('z')},
		{"b", v.B, true},
		{"d", v.D, 2.5},
		{"f", v.F, float32(-1.25)},
		{"sc", v.Sc, int8(-128)},
		{"sh", v.Sh, int16(-32768)},
		{"ush", v.Ush, uint16(65535)},
		{"ll", v.Ll, int64(-1234567890123)},
		{"over", [3]int64{int64(v.Over.C), int64(v.Over.X), v.Over.Y}, [3]int64{'o', 77, -77}},
		{"fz.n", v.Fz.N, uint32(2)},
		{"fz.items", items, []uint32{1000, 2000}},
		{"kw", [4]int32{v.Kw.Type, v.Kw.Func, v.Kw.Range, v.Kw.SetFlag}, [4]int32{1, 2, 3, 4}},
		{"kw.flag", v.Kw.Flag(), uint32(1)},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
}

// TestGoWritesBPFReads writes known values into every field of vals[1]
// through the generated types and runs the program check, which returns 0
// or the source line of the first value it finds wrong.
func TestGoWritesBPFReads(t *testing.T) {
	coll := loadObject(t)
	var v Values
	v.Bits.SetA(6)
	v.Bits.SetB(-16)
	v.Bits.SetC(0xffffffffff)
	v.Bits.SetCol(Green)
	v.Bits.SetFlag(true)
	v.Bits.Tail = 0x81
	v.Packed.C = 'q'
	*v.Packed.U() = 0xcafef00d
	*v.Packed.Q() = 0x1122334455667788
	*v.Packed.S() = 0xbeef
	*v.U.Q() = 0x0807060504030201
	v.Anon.X = 9
	*v.Anon.Au() = 0x80000000
	v.Anon.S1 = -1
	v.Anon.S2 = 2
	v.Anon.NamedAnon.SetInnerA(7)
	v.Anon.NamedAnon.SetInnerB(-8)
	v.Color = Blue
	v.Big = BigA
	v.Small = SmallA
	v.S128 = runtime.Int128{Lo: ^uint64(0), Hi: -1}
	v.U128 = runtime.Uint128{Lo: 5, Hi: 1 << 63}
	v.Typed = 7
	v.Pt.X, v.Pt.Y = -5, 5
	v.Named.A = -42
	v.Dup.D = -43
	v.Name[1][1] = 'm'
	v.B = true
	v.D = -0.5
	v.F = 3
	v.Sc = 127
	v.Sh = 32767
	v.Ush = 1
	v.Ll = 1 << 62
	v.Over.C, v.Over.X, v.Over.Y = 'x', -1, 1
	v.Fz.N = 2
	items := v.Fz.Items(2)
	items[0], items[1] = 5, 6
	v.Kw.Type, v.Kw.Func, v.Kw.Range, v.Kw.SetFlag = 10, 20, 30, 40
	v.Kw.SetFlag2(1)
	if err := coll.Maps["vals"].Update(uint32(1), bytesOf(&v), ebpf.UpdateAny); err != nil {
		t.Fatal(err)
	}
	if ret := runProgram(t, coll.Programs["check"]); ret != 0 {
		t.Fatalf("check found a wrong value at testdata/types.bpf.c:%d", ret)
	}
}
