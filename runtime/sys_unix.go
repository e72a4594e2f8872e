//go:build unix

package runtime

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The memory and system calls the runtime makes besides BPF's, in one
// place so that the package builds where they do not exist (Windows).

// mmapMap maps size bytes of the BPF map fd, shared, readable and, unless
// readOnly, writable: at exactly hint when fixed (failing with EEXIST if
// the range is taken), else where the kernel chooses.
func mmapMap(fd int, hint unsafe.Pointer, size uintptr, readOnly, fixed bool) (unsafe.Pointer, error) {
	prot := unix.PROT_READ
	if !readOnly {
		prot |= unix.PROT_WRITE
	}
	flags := unix.MAP_SHARED
	if fixed {
		flags |= mapFixedNoreplace
	}
	return unix.MmapPtr(fd, 0, hint, size, prot, flags)
}

// mmapInert maps private anonymous memory over [mem, mem+size), replacing
// whatever was mapped there in one step.
func mmapInert(mem unsafe.Pointer, size uintptr) error {
	_, err := unix.MmapPtr(-1, 0, mem, size, unix.PROT_READ|unix.PROT_WRITE,
		unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_FIXED|mapNoReserve)
	return err
}

func munmap(mem unsafe.Pointer, size uintptr) error { return unix.MunmapPtr(mem, size) }

func closeFD(fd int) error { return unix.Close(fd) }

// kernelRelease returns the running kernel's release (uname -r).
func kernelRelease() (string, error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "", err
	}
	return unix.ByteSliceToString(u.Release[:]), nil
}
