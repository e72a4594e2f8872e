//go:build unix && !linux

package runtime

// mapNoReserve: MAP_NORESERVE is Linux's (sys_linux.go).
const mapNoReserve = 0
