// Package workflow tests bpfskel the way users call it from their own
// modules: "go get -tool" and a "//go:generate go tool bpfskel gen" line in
// a fresh module whose go.mod points at this checkout with a replace
// directive, then "go generate", "go build" and running the program. The
// package has only tests.
package workflow
