package gen

import (
	"bytes"
	"strings"
	"testing"
)

// TestEvents: -event MAP=TYPE types a ring buffer or perf event array,
// queue, stack and bloom filter values are typed from BTF, and a bad
// -event is an error naming the map or the type.
func TestEvents(t *testing.T) {
	in := readInput(t, "../testdata/events.bpf.o")
	for _, tc := range []struct {
		name   string
		events []string
		want   []string
		err    string
	}{
		{"none", nil, []string{"Events *ebpf.Map\n", "Jobs runtime.Queue[Job]\n", "Done runtime.Stack[Job]\n", "Seen runtime.BloomFilter[uint32]\n"}, ""},
		{"ring and perf", []string{"events=event", "perf_events=event"}, []string{
			"Events runtime.RingBuf[Event]\n", "PerfEvents runtime.PerfEventArray[Event]\n",
			`runtime.RingBuf[Event]{Map: c.Map("events")},`, "type Event struct",
		}, ""},
		{"not an event map", []string{"jobs=event"}, nil, "event jobs=event: map jobs is a Queue, not a ring buffer or perf event array"},
		{"no map", []string{"nope=event"}, nil, "event nope=event: no map nope"},
		{"no type", []string{"events=nope"}, nil, "type nope"},
		{"malformed", []string{"events"}, nil, `event "events": want MAP=TYPE`},
		{"twice", []string{"events=event", "events=job"}, nil, "map events given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, err := Generate(Options{Package: "p", Ident: "X", Output: "x.go", Objects: []Input{in}, Events: tc.events})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Generate: %v, want an error containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !bytes.Contains(files[0].Data, []byte(w)) {
					t.Errorf("the skeleton lacks %q", w)
				}
			}
		})
	}
}
