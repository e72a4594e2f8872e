// Package manyshared holds three skeletons generated together (one
// bpfskel gen -outdir invocation) from objects that share struct event,
// enum kind, map events, global runs and program run: the identical
// declarations are in bpfskel_shared.go, once. Its test loads and runs all
// three.
package manyshared
