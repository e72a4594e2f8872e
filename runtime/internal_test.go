package runtime

import (
	"bytes"
	"testing"

	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/btf"
)

// TestMarshalStillDropsCastOffset checks the runtime's detection against
// what cilium/ebpf's encoder does to a whole program, the way NewProgram
// encodes it: marshalDropsCastOffset must be true exactly when a cast's
// offset does not survive. (TestCiliumAloneFails checks the kernel's side.)
func TestMarshalStillDropsCastOffset(t *testing.T) {
	insns := asm.Instructions{
		asm.LoadImm(asm.R1, 1<<40, asm.DWord),
		// addr_space_cast(r1, 0, 1) and addr_space_cast(r2, 1, 0).
		{OpCode: asm.Mov.Op(asm.RegSource), Dst: asm.R2, Src: asm.R1, Offset: 1, Constant: 1},
		{OpCode: asm.Mov.Op(asm.RegSource), Dst: asm.R3, Src: asm.R2, Offset: 1, Constant: 1 << 16},
		asm.Return(),
	}
	var buf bytes.Buffer
	if err := insns.Marshal(&buf, nativeEndian); err != nil {
		t.Fatal(err)
	}
	code := buf.Bytes()
	kept := 0
	for _, slot := range []int{2, 3} { // ld_imm64 takes two slots
		if nativeEndian.Uint16(code[slot*8+2:]) == 1 {
			kept++
		}
	}
	if kept == 1 {
		t.Fatalf("the encoder kept the offset of one addr_space_cast of two: %x", code)
	}
	if got, want := marshalDropsCastOffset(), kept == 0; got != want {
		t.Fatalf("marshalDropsCastOffset() = %v, but the encoder kept %d cast offsets of 2", got, kept)
	}
}

func TestRestoreCastOffsets(t *testing.T) {
	insns := asm.Instructions{
		asm.LoadImm(asm.R1, 1<<40, asm.DWord),
		{OpCode: asm.Mov.Op(asm.RegSource), Dst: asm.R2, Src: asm.R1, Offset: 1, Constant: 1},
		asm.Mov.Reg(asm.R3, asm.R2),
		asm.Return(),
	}
	var buf bytes.Buffer
	if err := insns.Marshal(&buf, nativeEndian); err != nil {
		t.Fatal(err)
	}
	code := buf.Bytes()
	restoreCastOffsets(insns, code)
	// The cast is the third 8-byte slot (ld_imm64 takes two).
	if got := nativeEndian.Uint16(code[2*8+2:]); got != 1 {
		t.Fatalf("cast offset %d after restore", got)
	}
	if got := nativeEndian.Uint32(code[2*8+4:]); got != 1 {
		t.Fatalf("cast imm %d", got)
	}
	if got := nativeEndian.Uint16(code[3*8+2:]); got != 0 {
		t.Fatalf("plain mov offset %d", got)
	}
}

func TestKernelVersionCode(t *testing.T) {
	for in, want := range map[string]uint32{
		"6.18.44-fc-v509": 6<<16 | 18<<8 | 44,
		"5.4.300":         5<<16 | 4<<8 | 255,
		"6.9":             6<<16 | 9<<8,
	} {
		if got := kernelVersionCode(in); got != want {
			t.Errorf("kernelVersionCode(%q) = %#x, want %#x", in, got, want)
		}
	}
}

func TestObjName(t *testing.T) {
	if got := objName("a-very_long.program-name"); got != "avery_long.prog" {
		t.Fatalf("objName = %q", got)
	}
}

// TestKconfigValueShort checks that a kconfig variable reaching past the
// end of a corrupted .kconfig Datasec is an error, not a panic.
func TestKconfigValueShort(t *testing.T) {
	v := &btf.Var{Name: "LINUX_KERNEL_VERSION", Type: &btf.Int{Size: 4}}
	if err := kconfigValue(v, make([]byte, 2), false); err == nil {
		t.Fatal("kconfigValue succeeded with 2 bytes for a 4-byte value")
	}
	if err := kconfigValue(v, make([]byte, 4), false); err != nil {
		t.Fatal(err)
	}
}
