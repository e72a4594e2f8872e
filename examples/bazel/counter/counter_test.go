package counter_test

import (
	"testing"

	"example.com/bpfskel-bazel/counter"
)

// TestLoadSpec parses the object embedded in the skeleton that Bazel
// generated and reads its initial values through the typed views. It needs
// no kernel.
func TestLoadSpec(t *testing.T) {
	spec, err := counter.LoadCounterSpec()
	if err != nil {
		t.Fatal(err)
	}
	if spec.CollectionSpec().Programs["bump"] == nil {
		t.Errorf("the embedded object has no program bump")
	}
	if got := spec.Rodata.Step; got != 1 {
		t.Errorf("spec.Rodata.Step = %d, want 1", got)
	}
	if got := spec.ArenaGlobals.Total; got != 0 {
		t.Errorf("spec.ArenaGlobals.Total = %d, want 0", got)
	}
	if got := spec.BSS.Runs; got != 0 {
		t.Errorf("spec.BSS.Runs = %d, want 0", got)
	}
}
