package runtime

import "github.com/bpfskel/bpfskel/internal/objfile"

// Hooks for the external tests (package runtime_test), on every system.

// ArenaGlobalsSection is the section name View takes for the arena globals.
const ArenaGlobalsSection = arenaGlobalsSection

// ArenaOf returns the parsed arena of s, nil without an arena.
func ArenaOf(s *Spec) *objfile.ArenaSpec { return s.arena() }

// KernelVersionCode is KERNEL_VERSION(a, b, c) of a release string, what
// LINUX_KERNEL_VERSION reads.
var KernelVersionCode = kernelVersionCode
