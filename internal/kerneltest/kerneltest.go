package kerneltest

import (
	"errors"
	"os"
	"testing"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/features"
)

// RequireEnv is the environment variable that turns kernel-test skips into
// failures. CI sets it to 1.
const RequireEnv = "BPFSKEL_REQUIRE_KERNEL"

// Required reports whether kernel tests must run rather than skip.
func Required() bool { return os.Getenv(RequireEnv) == "1" }

// Skip skips tb with reason, or fails it when kernel tests are required.
func Skip(tb testing.TB, reason string) {
	tb.Helper()
	if Required() {
		tb.Fatalf("%s=1 but the kernel test cannot run: %s", RequireEnv, reason)
	}
	tb.Skip(reason)
}

// Require skips (or fails, see Skip) tb unless the process can load BPF
// programs and create arena maps on the running kernel.
func Require(tb testing.TB) {
	tb.Helper()
	if os.Geteuid() != 0 {
		Skip(tb, "kernel tests need root (CAP_BPF and CAP_PERFMON)")
	}
	if err := features.HaveProgramType(ebpf.SocketFilter); err != nil {
		Skip(tb, "kernel cannot load BPF programs: "+err.Error())
	}
	if err := features.HaveMapType(ebpf.Arena); err != nil {
		if errors.Is(err, ebpf.ErrNotSupported) {
			Skip(tb, "kernel has no BPF arena (BPF_MAP_TYPE_ARENA): "+err.Error())
		}
		Skip(tb, "probing for BPF arena: "+err.Error())
	}
}

// RequireRoot skips (or fails, see Skip) tb unless the process runs as root.
func RequireRoot(tb testing.TB) {
	tb.Helper()
	if os.Geteuid() != 0 {
		Skip(tb, "kernel tests need root (CAP_BPF and CAP_PERFMON)")
	}
}
