// Package listlib is the library skeleton (bpfskel gen -lib) of
// testdata/link/lib.bpf.o, generated for the end-to-end tests: a typed view
// of the arena list library inside any collection that linked it.
package listlib
