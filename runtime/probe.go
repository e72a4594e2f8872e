package runtime

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
)

var (
	fullRangeOnce sync.Once
	fullRange     bool
	fullRangeErr  error
)

// haveFullRangeLdImm64 reports whether the kernel accepts ld_imm64 map value
// offsets beyond 512 MiB (libbpf's "full range LDIMM64" probe, which decides
// where libbpf >= 1.7 places arena globals). The program never loads: the
// verifier's message tells the two kernels apart.
func haveFullRangeLdImm64() (bool, error) {
	fullRangeOnce.Do(func() {
		m, err := ebpf.NewMap(&ebpf.MapSpec{Type: ebpf.Array, KeySize: 4, ValueSize: 1, MaxEntries: 1})
		if err != nil {
			fullRangeErr = fmt.Errorf("probe full-range ld_imm64: %w", classify(err, ""))
			return
		}
		defer m.Close()
		ins := asm.LoadMapValue(asm.R1, m.FD(), 1<<30)
		p, err := ebpf.NewProgramWithOptions(&ebpf.ProgramSpec{
			Type:         ebpf.SocketFilter,
			Instructions: asm.Instructions{ins, asm.Return()},
			License:      "GPL",
		}, ebpf.ProgramOptions{LogLevel: ebpf.LogLevelBranch})
		if err == nil {
			p.Close()
			fullRangeErr = errors.New("probe full-range ld_imm64: probe program loaded unexpectedly")
			return
		}
		var ve *ebpf.VerifierError
		if !errors.As(err, &ve) {
			fullRangeErr = fmt.Errorf("probe full-range ld_imm64: %w", classify(err, ""))
			return
		}
		log := strings.Join(ve.Log, "\n")
		switch {
		case strings.Contains(log, "direct value offset of"):
			fullRange = false
		case strings.Contains(log, "invalid access to map value pointer"):
			fullRange = true
		default:
			fullRangeErr = fmt.Errorf("probe full-range ld_imm64: unexpected verifier message: %w", err)
		}
	})
	return fullRange, fullRangeErr
}
