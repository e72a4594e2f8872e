// Package compat holds checked-in skeletons of objects with what real BPF
// programs carry (a struct_ops congestion control, locked data sections,
// weak symbols, attach alternatives) and their tests on the real kernel.
// gen's TestE2EFresh regenerates them (go test ./gen -run TestE2EFresh
// -update).
package compat
