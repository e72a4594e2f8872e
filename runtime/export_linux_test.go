//go:build linux

package runtime

import "testing"

// Hooks for the external tests (package runtime_test).

// MarshalDropsCastOffset is marshalDropsCastOffset: whether Load needs its
// own BPF_PROG_LOAD for programs with addr_space_cast.
var MarshalDropsCastOffset = marshalDropsCastOffset

// CiliumOnly makes Load use cilium/ebpf for every program until tb ends.
func CiliumOnly(tb testing.TB) {
	tb.Helper()
	testCiliumOnly = true
	tb.Cleanup(func() { testCiliumOnly = false })
}
