package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

func init() {
	commands["version"] = command{
		summary: "print the bpfskel version",
		run:     runVersion,
	}
}

func runVersion(stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet(stderr, "version", "")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	version := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		version = bi.Main.Version
	}
	_, err := fmt.Fprintf(stdout, "bpfskel %s\n", version)
	return err
}
