//go:build linux

package basic

import (
	"testing"
)

// Writing to the loaded skeleton's Rodata (frozen by the kernel) neither
// faults nor changes what the program computes: the view is a copy.
func TestRodataWriteDoesNotFault(t *testing.T) {
	x := load(t, nil)
	x.Rodata.Factor = 1000
	x.Rodata.OpMode = ModeMul
	// result = input + factor + seed - 42 with the frozen factor 1.
	if got := compute(t, x, 5); got != 6 {
		t.Errorf("compute(5) after writing Rodata = %d, want 6 (the frozen values)", got)
	}
	if x.Rodata.Factor != 1000 {
		t.Errorf("Rodata.Factor = %d, want the 1000 written to the copy", x.Rodata.Factor)
	}
}

// After Close the view fields are nil (using one panics at once), and a view
// pointer kept from before reads zeros without faulting.
func TestViewsAfterClose(t *testing.T) {
	x := load(t, nil)
	bss, data := x.BSS, x.Data
	x.Data.Seed = 7
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if x.BSS != nil || x.Data != nil || x.DataExtra != nil || x.Rodata != nil {
		t.Fatalf("views after Close: BSS %p, Data %p, DataExtra %p, Rodata %p; want nil", x.BSS, x.Data, x.DataExtra, x.Rodata)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("x.BSS.Input = 1 after Close did not panic")
			}
		}()
		x.BSS.Input = 1
	}()
	if data.Seed != 0 || bss.Result != 0 {
		t.Errorf("kept views read Seed %d, Result %d after Close, want zeros", data.Seed, bss.Result)
	}
	data.Seed = 9 // inert memory: must not fault
}
