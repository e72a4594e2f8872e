// Package main is benchtab, the program behind "make bench": it runs
// bpfskel's benchmarks next to their baselines in one run, takes the median
// of several runs of each, and prints Markdown tables of the pairs with
// their ratios and targets, headed by a description of the machine.
//
// Usage:
//
//	go run ./internal/benchtab [-count 5] [-benchtime 1s] [-o FILE]
package main
