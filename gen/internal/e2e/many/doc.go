// Package many holds three skeletons generated separately, as three
// separate go:generate lines would, with -prefix from objects that share
// struct event, enum kind, map events, global runs and program run, and
// the test that loads and runs all three.
package many
