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
	fs := newFlagSet(stderr, "inspect", "OBJECT | - (standard input)")
	verbose := fs.Bool("v", false, "print everything: every map, program, variable, arena pointer decision and incomplete type (default: a one-screen summary)")
	in := inputReader{stdin: stdin}
	in.register(fs)
	var af modelFlags
	af.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs, "want one OBJECT (or - for standard input), got %d arguments", fs.NArg())
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
	if *verbose {
		return gen.Inspect(stdout, o)
	}
	return gen.InspectSummary(stdout, o)
}
