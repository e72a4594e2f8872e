// Package hermetic tests that bpfskel runs the way hermetic build systems
// such as Bazel run it: with an empty environment (no HOME, GOPATH, GOCACHE
// or PATH), read-only inputs, a working directory that is neither the input's
// nor the output's, and explicit input and output paths; and that its output
// is then byte-identical to a normal run's and to a run's in another
// directory. The package has only tests.
package hermetic
