// Package linker links relocatable BPF objects into one, with the semantics
// of libbpf's static linker (bpftool gen object): sections of the same name
// are concatenated (the license and version, which each object may define
// alike, are kept once), global symbols are resolved between the objects
// (strong over weak, definitions over externs, whose types must be
// compatible), relocations are rewritten against the merged layout, BTF is
// merged with identical types kept once, and .BTF.ext function, line and
// CO-RE records are rebased onto the merged sections. The output is a
// relocatable BPF ELF object and depends only on the inputs' bytes and
// order.
//
// The work is split by concern: object.go reads an input, symbols.go
// resolves symbols, sections.go lays out sections and rewrites relocations,
// btf.go merges and deduplicates BTF, btfmatch.go checks that the types
// objects give one global agree, btfext.go rebases .BTF.ext and
// elfwrite.go writes the result.
package linker
