package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one bpfskel subcommand.
type command struct {
	// summary is a one-line description shown by "bpfskel help".
	summary string
	// run executes the command with its arguments (after the command name).
	run func(stdout, stderr io.Writer, args []string) error
}

// commands maps each subcommand name to its implementation. Subcommands
// register themselves from init functions in their own files.
var commands = map[string]command{}

// stdin is what "-" names for the commands that read standard input.
var stdin io.Reader = os.Stdin

// exitError asks main to exit with code without printing anything more: the
// command has already reported what went wrong.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// errUsage reports a command line that could not be parsed; the flag package
// has already printed the reason and the usage.
var errUsage = exitError{code: 2}

func run(stdout, stderr io.Writer, args []string) error {
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "bpfskel: unknown command %q\n", name)
		usage(stderr)
		return errUsage
	}
	return cmd.run(stdout, stderr, rest)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: bpfskel <command> [flags] [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, `Run "bpfskel <command> -h" for a command's flags.`)
}

// newFlagSet returns a flag set for command name that prints its errors and
// usage to stderr and reports them as errors instead of exiting. Its Usage
// is the full usage, for -h; a wrong command line gets one line saying
// what is wrong and a pointer to -h (see parseFlags and badUsage).
func newFlagSet(stderr io.Writer, name, argsUsage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: bpfskel %s [flags] %s\n\nflags:\n", name, argsUsage)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args with fs and maps -h and parse errors to errUsage
// (or exit status 0 for an explicit -h, after the full usage).
func parseFlags(fs *flag.FlagSet, args []string) error {
	full := fs.Usage
	fs.Usage = func() {} // the flag package calls it for -h and for errors alike
	err := fs.Parse(args)
	fs.Usage = full
	if errors.Is(err, flag.ErrHelp) {
		full()
		return exitError{code: 0}
	}
	if err != nil {
		// The flag package has printed the error line.
		fmt.Fprintf(fs.Output(), "Run \"bpfskel %s -h\" for usage.\n", fs.Name())
		return errUsage
	}
	return nil
}

// badUsage reports a command line the flags parsed but the command cannot
// take: one line naming the fault, a pointer to -h, exit status 2.
func badUsage(fs *flag.FlagSet, format string, a ...any) error {
	fmt.Fprintf(fs.Output(), "bpfskel %s: %s\n", fs.Name(), fmt.Sprintf(format, a...))
	fmt.Fprintf(fs.Output(), "Run \"bpfskel %s -h\" for usage.\n", fs.Name())
	return errUsage
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}
