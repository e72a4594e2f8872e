package main

import (
	"io"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/bpfskel/bpfskel/internal/linker"
)

func init() {
	commands["link"] = command{
		summary: "link BPF objects into one, like bpftool gen object",
		run:     runLink,
	}
}

func runLink(stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet(stderr, "link", "-o OUTPUT OBJECT...")
	out := fs.String("o", "", "output object `file` (required)")
	var in inputReader
	in.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return badUsage(fs, "-o is required")
	}
	if fs.NArg() == 0 {
		return badUsage(fs, "no objects to link")
	}
	ins := make([]linker.Input, fs.NArg())
	for i, p := range fs.Args() {
		data, err := in.read(p)
		if err != nil {
			return err
		}
		ins[i] = linker.Input{Name: p, Data: data}
	}
	data, err := linker.Link(ins)
	if err != nil {
		return err
	}
	return writeFiles([]gen.File{{Path: *out, Data: data}}, fs.Args())
}
