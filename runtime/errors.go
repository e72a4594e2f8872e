package runtime

import (
	"errors"

	"github.com/bpfskel/bpfskel/internal/objfile"
)

// Sentinel errors. Errors returned by this package wrap them (test with
// errors.Is); missing kernel support additionally wraps ebpf.ErrNotSupported.
var (
	// ErrMultipleArenas: the object declares more than one arena map.
	ErrMultipleArenas = errors.New("more than one arena map")
	// ErrNoArenaMap: the object has arena globals (.addr_space.1) but no
	// arena map to place them in.
	ErrNoArenaMap = errors.New("arena globals without an arena map")
	// ErrNoSection: the requested data section does not exist.
	ErrNoSection = errors.New("no such section")
	// ErrSizeMismatch: a typed view's type does not have the section's size.
	ErrSizeMismatch = errors.New("type size does not match section size")
	// ErrArenaFault: user space touched an unallocated page of an arena with
	// BPF_F_SEGV_ON_FAULT (see FaultError).
	ErrArenaFault = errors.New("arena page fault")
	// ErrOutOfRange: an offset or length lies outside the arena.
	ErrOutOfRange = errors.New("outside the arena")
	// ErrPermission: the process lacks the privileges (CAP_BPF, CAP_PERFMON,
	// CAP_SYS_ADMIN or root) to create maps or load programs.
	ErrPermission = errors.New("missing privileges for BPF (need CAP_BPF and CAP_PERFMON, or root)")
	// ErrClosed: the Collection was closed.
	ErrClosed = errors.New("collection closed")
	// ErrNoProgram: the object has no program of that name.
	ErrNoProgram = errors.New("no such program")
	// ErrNotMapped: the data section is not mapped into user space, as
	// the kernel cannot map it (it holds a bpf_spin_lock, bpf_timer or
	// another special type); ReadSection and WriteSection reach it.
	ErrNotMapped = errors.New("section not mapped into user space (it holds a lock, timer or other special field)")
	// ErrNoMemory: the arena has no free pages left for an allocation.
	ErrNoMemory = errors.New("arena out of memory")
)

// parseError is an error of the object parser, which has sentinels of its
// own: errors.Is matches the runtime's for them too.
type parseError struct{ err error }

func (e parseError) Error() string { return e.err.Error() }
func (e parseError) Unwrap() error { return e.err }

func (e parseError) Is(target error) bool {
	switch target {
	case ErrMultipleArenas:
		return errors.Is(e.err, objfile.ErrMultipleArenas)
	case ErrNoArenaMap:
		return errors.Is(e.err, objfile.ErrNoArenaMap)
	}
	return false
}
