package runtime

import "unsafe"

// progLoadAttr is the BPF_PROG_LOAD part of union bpf_attr
// (include/uapi/linux/bpf.h), up to fd_array_cnt. Pointer fields are
// unsafe.Pointer so that the garbage collector keeps what they point to alive
// for the duration of the call.
type progLoadAttr struct {
	progType           uint32
	insnCnt            uint32
	insns              unsafe.Pointer
	license            unsafe.Pointer
	logLevel           uint32
	logSize            uint32
	logBuf             unsafe.Pointer
	kernVersion        uint32
	progFlags          uint32
	progName           [16]byte
	progIfindex        uint32
	expectedAttachType uint32
	progBTFFd          uint32
	funcInfoRecSize    uint32
	funcInfo           unsafe.Pointer
	funcInfoCnt        uint32
	lineInfoRecSize    uint32
	lineInfo           unsafe.Pointer
	lineInfoCnt        uint32
	attachBTFID        uint32
	attachBTFObjFd     uint32
	coreReloCnt        uint32
	fdArray            unsafe.Pointer
	coreRelos          unsafe.Pointer
	coreReloRecSize    uint32
	logTrueSize        uint32
	progTokenFd        int32
	fdArrayCnt         uint32
}

// The layout must match the kernel's: 152 bytes, pointers 8-byte aligned.
var _ [152 - unsafe.Sizeof(progLoadAttr{})]struct{}
var _ [unsafe.Sizeof(progLoadAttr{}) - 152]struct{}

const bpfProgLoad = 5 // BPF_PROG_LOAD

// Linux UAPI values, spelled out so that the package also compiles where
// golang.org/x/sys/unix lacks them (BPF itself only works on Linux).
const (
	bpfFSleepable     = 1 << 4   // BPF_F_SLEEPABLE
	bpfFRdonlyProg    = 1 << 7   // BPF_F_RDONLY_PROG
	mapFixedNoreplace = 0x100000 // MAP_FIXED_NOREPLACE
)

// ptrOf returns a pointer to the first element of b, or nil when b is empty.
func ptrOf[T any](b []T) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	// unsafe: a pointer to Go memory stored as unsafe.Pointer, which keeps
	// b alive and unmoved while the kernel reads (or writes) it.
	return unsafe.Pointer(&b[0])
}
