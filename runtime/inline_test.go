package runtime_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/bpfskel/bpfskel/internal/testenv"
)

// TestHotAccessorsInline builds testdata/inline, which calls Ptr's methods,
// PtrTo and PtrAt, with the compiler's -m report and checks that each can be
// inlined and is inlined at its call sites: a list walk through Ptr.Get
// costs what a walk over Go pointers costs only when Get is inlined.
func TestHotAccessorsInline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	gocmd := testenv.Tool(t, "install Go", "go")
	out, err := exec.Command(gocmd, "build", "-o", "/dev/null", "-gcflags=-m", "./testdata/inline").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	report := string(out)
	const node = "[github.com/bpfskel/bpfskel/runtime/testdata/inline.node]"
	for _, fn := range []struct {
		name   string // as "can inline" names it
		caller string // how an inlined call starts (with the type's shape)
		end    string // and ends
	}{
		{"runtime.Ptr" + node + ".Get", "runtime.Ptr[", "].Get"},
		{"runtime.Ptr" + node + ".Offset", "runtime.Ptr[", "].Offset"},
		{"runtime.Ptr" + node + ".IsNil", "runtime.Ptr[", "].IsNil"},
		{"runtime.(*Ptr" + node + ").Load", "runtime.(*Ptr[", "]).Load"},
		{"runtime.(*Ptr" + node + ").Store", "runtime.(*Ptr[", "]).Store"},
		{"runtime.(*Ptr" + node + ").CompareAndSwap", "runtime.(*Ptr[", "]).CompareAndSwap"},
		{"runtime.PtrTo" + node, "runtime.PtrTo[", "]"},
		{"runtime.PtrAt" + node, "runtime.PtrAt[", "]"},
	} {
		if !strings.Contains(report, "can inline "+fn.name+"\n") {
			t.Errorf("the compiler cannot inline %s", fn.name)
		}
		inlined := false
		for _, line := range strings.Split(report, "\n") {
			_, call, ok := strings.Cut(line, ": inlining call to ")
			if ok && strings.HasPrefix(line, "testdata/inline/inline.go:") &&
				strings.HasPrefix(call, fn.caller) && strings.HasSuffix(call, fn.end) {
				inlined = true
			}
		}
		if !inlined {
			t.Errorf("no call to %s in testdata/inline is inlined", fn.name)
		}
	}
	if t.Failed() {
		t.Logf("go build -gcflags=-m ./testdata/inline:\n%s", report)
	}
}
