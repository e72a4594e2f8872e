//go:build linux

package runtime_test

import (
	"testing"

	"github.com/bpfskel/bpfskel/runtime"
)

func TestSmoke(t *testing.T) {
	_, c := loadObject(t, "smoke", nil)
	type globals struct{ Counter uint64 }
	g, err := runtime.View[globals](c, runtime.ArenaGlobalsSection)
	if err != nil {
		t.Fatal(err)
	}
	if g.Counter != 7 {
		t.Fatalf("counter = %d, want 7", g.Counter)
	}
	run(t, c, "bump", nil)
	run(t, c, "bump", nil)
	if g.Counter != 9 {
		t.Fatalf("counter = %d, want 9", g.Counter)
	}
}
