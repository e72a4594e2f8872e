//go:build !linux

package runtime

import (
	"fmt"

	"github.com/cilium/ebpf"
)

// sysProgLoad is Linux-only.
func sysProgLoad(*progLoadAttr) (int, error) {
	return -1, fmt.Errorf("BPF_PROG_LOAD: %w", ebpf.ErrNotSupported)
}
