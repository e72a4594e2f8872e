// Package main is benchtab, the program behind "make bench": it runs
// bpfskel's benchmarks next to their baselines in one run, takes the median
// of several runs of each, and prints Markdown tables of the pairs with
// their ratios and targets, headed by a description of the machine.
//
// Usage:
//
//	go run ./internal/benchtab [-count 5] [-benchtime 1s] [-o FILE] [-raw FILE] [-in FILE]
//
// With -o, the tables replace what lies between the markers
// "<!-- benchtab:begin -->" and "<!-- benchtab:end -->" of FILE, so the
// prose around them in BENCHMARKS.md survives; a file without the markers is
// overwritten. With -in, the tables are made from a raw output saved with
// -raw, without running anything.
package main
