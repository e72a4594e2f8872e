package main

import (
	"io"
	"path/filepath"

	"github.com/bpfskel/bpfskel/gen"
)

func init() {
	commands["inspect"] = command{
		summary: "describe a BPF object as bpfskel sees it",
		run:     runInspect,
	}
}

func runInspect(stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet(stderr, "inspect", "OBJECT")
	in := inputReader{stdin: stdin}
	in.register(fs)
	var af arenaFlags
	af.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	path := fs.Arg(0)
	data, err := in.read(path)
	if err != nil {
		return err
	}
	var opts gen.Options
	af.apply(&opts)
	o, err := gen.Parse(path, data, &opts)
	if err != nil {
		return err
	}
	o.Name = filepath.Base(path)
	if path == stdinPath {
		o.Name = "standard input"
	}
	return gen.Inspect(stdout, o)
}
