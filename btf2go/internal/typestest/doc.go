// Package typestest holds Go declarations that btf2go generated for
// testdata/types.bpf.o, and the tests that exchange values with the BPF
// programs of that object on the real kernel through them.
package typestest
