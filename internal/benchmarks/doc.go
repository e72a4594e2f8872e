// Package benchmarks holds bpfskel's comparative benchmarks: each measures
// bpfskel next to what a Go user would otherwise pick (cilium/ebpf's bpf2go
// generator, ebpf.NewCollection, ebpf.Map.Update), or, where no Go peer can
// do the job (arena objects), on its own with a breakdown, plus the scaling
// curves of type generation and arena loading. It has no code outside its
// tests; "make bench" (internal/benchtab) runs them and prints the tables
// that BENCHMARKS.md keeps.
//
// Benchmarks that need the kernel live in linux-only files and call
// kerneltest.Require, so they skip without root and fail instead in CI
// (BPFSKEL_REQUIRE_KERNEL=1). Every benchmark also completes quickly with
// -benchtime 1x, which is how CI keeps them from rotting.
package benchmarks
