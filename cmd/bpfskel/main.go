// Command bpfskel generates typed Go skeletons and Go type declarations from
// compiled BPF objects. Run "bpfskel help" for usage.
package main

import (
	"errors"
	"os"
)

func main() {
	if err := run(os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		var ex exitError
		if errors.As(err, &ex) {
			os.Exit(ex.code)
		}
		printError(os.Stderr, err)
		os.Exit(1)
	}
}
