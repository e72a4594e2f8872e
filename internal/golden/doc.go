// Package golden compares test output with checked-in golden files and
// rewrites them when the tests run with -update.
package golden
