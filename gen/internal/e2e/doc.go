// Package e2e holds skeletons generated from testdata objects, checked in
// and kept fresh by gen's TestE2EFresh, and the tests that load them on
// the real kernel: end-to-end tests of bpfskel gen through the generated
// API, not the runtime directly.
package e2e
