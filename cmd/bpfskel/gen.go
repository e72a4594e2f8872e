package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/bpfskel/bpfskel/internal/atomicfile"
	"github.com/rogpeppe/go-internal/diff"
)

func init() {
	commands["gen"] = command{
		summary: "generate a typed Go skeleton for a BPF object",
		run:     runGen,
	}
}

// arenaFlags are the flags gen and inspect share (and -statics, gen's).
type arenaFlags struct {
	types    stringList
	all      bool
	arenaPtr stringList
	noArena  stringList
	statics  bool
}

func (a *arenaFlags) register(fs *flag.FlagSet) {
	fs.Var(&a.types, "type", "also emit (and classify the pointers of) the C type `NAME`: struct, union, enum or typedef, from BTF or else DWARF (repeatable)")
	fs.BoolVar(&a.all, "all", false, "emit (and classify the pointers of) every named type of the object")
	fs.Var(&a.arenaPtr, "arena-ptr", "treat `TYPE.FIELD` as an arena pointer (repeatable)")
	fs.Var(&a.noArena, "no-arena-ptr", "treat `TYPE.FIELD` as a kernel pointer (repeatable)")
}

func (a *arenaFlags) apply(o *gen.Options) {
	o.Types = a.types
	o.AllTypes = a.all
	o.ArenaPointers = a.arenaPtr
	o.NoArenaPointers = a.noArena
	o.Statics = a.statics
}

func runGen(stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet(stderr, "gen", "OBJECT [OBJECT-OTHER-BYTE-ORDER]")
	pkg := fs.String("pkg", os.Getenv("GOPACKAGE"), "Go package `name` (default $GOPACKAGE)")
	ident := fs.String("ident", "", "Go `name` of the skeleton: X in LoadXSpec (default from the object's file name)")
	out := fs.String("o", "", "output `file` (default <ident>.go, lower case)")
	check := fs.Bool("check", false, "write nothing; exit 0 if the output is up to date, else 1 with a diff")
	var af arenaFlags
	af.register(fs)
	fs.BoolVar(&af.statics, "statics", false, "include static variables in the data section structs")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		fs.Usage()
		return errUsage
	}

	opts := gen.Options{Package: *pkg, Ident: *ident, Output: *out}
	af.apply(&opts)
	for _, p := range fs.Args() {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		opts.Objects = append(opts.Objects, gen.Input{Path: p, Data: data})
	}
	files, err := gen.Generate(opts)
	if err != nil {
		return err
	}

	if *check {
		return checkFiles(stdout, stderr, files)
	}
	for _, f := range files {
		if old, err := os.ReadFile(f.Path); err == nil && bytes.Equal(old, f.Data) {
			continue // leave an identical file (and its time stamp) alone
		}
		if err := atomicfile.WriteFile(f.Path, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// checkFiles compares files with what is on disk, prints a unified diff
// for each that differs, and returns exit status 1 if any does.
func checkFiles(stdout, stderr io.Writer, files []gen.File) error {
	stale := 0
	for _, f := range files {
		old, err := os.ReadFile(f.Path)
		switch {
		case os.IsNotExist(err):
			fmt.Fprintf(stderr, "bpfskel gen -check: %s does not exist\n", f.Path)
			stale++
			continue
		case err != nil:
			return err
		case bytes.Equal(old, f.Data):
			continue
		}
		stale++
		if bytes.IndexByte(f.Data, 0) >= 0 || bytes.IndexByte(old, 0) >= 0 {
			fmt.Fprintf(stderr, "bpfskel gen -check: %s is stale (binary: no diff)\n", f.Path)
			continue
		}
		fmt.Fprintf(stderr, "bpfskel gen -check: %s is stale\n", f.Path)
		if _, err := stdout.Write(diff.Diff(f.Path, old, f.Path+" (generated)", f.Data)); err != nil {
			return err
		}
	}
	if stale > 0 {
		fmt.Fprintln(stderr, "bpfskel gen -check: run bpfskel gen to update")
		return exitError{code: 1}
	}
	return nil
}
