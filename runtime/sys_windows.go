package runtime

import (
	"fmt"
	"unsafe"

	"github.com/cilium/ebpf"
)

// The runtime builds on Windows, so that a package holding a skeleton
// builds there too, but loads nothing: see sys_unix.go.

func mmapMap(int, unsafe.Pointer, uintptr, bool, bool) (unsafe.Pointer, error) {
	return nil, fmt.Errorf("mmap: %w", ebpf.ErrNotSupported)
}

func mmapInert(unsafe.Pointer, uintptr) error { return fmt.Errorf("mmap: %w", ebpf.ErrNotSupported) }

func munmap(unsafe.Pointer, uintptr) error { return fmt.Errorf("munmap: %w", ebpf.ErrNotSupported) }

func closeFD(int) error { return fmt.Errorf("close: %w", ebpf.ErrNotSupported) }

func kernelRelease() (string, error) { return "", fmt.Errorf("uname: %w", ebpf.ErrNotSupported) }
