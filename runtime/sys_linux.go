package runtime

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// sysProgLoad issues BPF_PROG_LOAD and returns the new program's fd.
func sysProgLoad(attr *progLoadAttr) (int, error) {
	for attempt := 0; ; attempt++ {
		// unsafe: attr is a live Go value whose layout matches the kernel's;
		// the conversion happens in the call expression as syscall requires.
		fd, _, errno := unix.Syscall(unix.SYS_BPF, bpfProgLoad, uintptr(unsafe.Pointer(attr)), unsafe.Sizeof(*attr))
		if (errno == unix.EAGAIN || errno == unix.EINTR) && attempt < 5 {
			continue
		}
		if errno != 0 {
			return -1, errno
		}
		return int(fd), nil
	}
}

// mapNoReserve keeps retired ranges (retire.go) out of the commit charge.
const mapNoReserve = unix.MAP_NORESERVE
