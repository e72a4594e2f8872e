package counter_test

import (
	"testing"

	"example.com/bpfskel-bazel/counter"
)

// TestLoadSpec parses the object embedded in the skeleton that Bazel
// generated. It needs no kernel.
func TestLoadSpec(t *testing.T) {
	spec, err := counter.LoadCounterSpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec.CollectionSpec().Programs["bump"] == nil {
		t.Fatalf("the embedded object has no program bump")
	}
	if spec.Rodata == nil || spec.BSS == nil {
		t.Fatalf("spec.Rodata = %v, spec.BSS = %v: want both", spec.Rodata, spec.BSS)
	}
}
