// Package kerneltest decides whether a test that needs the real kernel runs,
// skips with a reason, or fails because BPFSKEL_REQUIRE_KERNEL=1 demands it.
package kerneltest
