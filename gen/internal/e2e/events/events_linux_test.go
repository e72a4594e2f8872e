//go:build linux

package events

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/bpfskel/bpfskel/runtime"
	"github.com/cilium/ebpf"
)

func load(tb testing.TB) *Events {
	tb.Helper()
	kerneltest.Require(tb)
	x, err := LoadEvents(nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { x.Close() })
	return x
}

// emitArgs is struct emit_args, the context of the emit program.
type emitArgs struct {
	First, Count uint32
}

// emitEvents runs the emit program: count events, seq first…first+count-1.
func emitEvents(tb testing.TB, x *Events, first, count uint32) {
	tb.Helper()
	if _, err := x.Programs.Emit.Run(&ebpf.RunOptions{Context: emitArgs{first, count}}); err != nil {
		tb.Fatal(err)
	}
}

// checkEvent compares every field of ev with what fill in events.bpf.c
// writes for seq.
func checkEvent(ev *Event, seq uint32) error {
	var want Event
	want.Seq = seq
	want.Kind = uint8(seq % 7)
	want.Val.U32()[0] = seq * 3
	want.Val.U32()[1] = ^seq
	for i := range 3 {
		for j := range 2 {
			want.Pts[i][j] = EvPoint{X: uint16(seq + uint32(i*2+j)), Y: uint16(seq ^ uint32(i*2+j))}
		}
	}
	for k := range 16 {
		want.Comm[k] = int8('a' + (seq+uint32(k))%26)
	}
	want.Neg = -int64(seq) * 1000
	if *ev != want {
		return fmt.Errorf("event %d: got %+v (u64 %#x), want %+v (u64 %#x)", seq, *ev, *ev.Val.U64(), want, *want.Val.U64())
	}
	return nil
}

// TestRingReader reads 20,000 typed events that BPF submitted to a ring
// buffer, every field checked, with both Read and ReadInto.
func TestRingReader(t *testing.T) {
	x := load(t)
	r, err := x.Maps.Events.Reader() // -event events=event
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const batch = 10000
	var seq uint32
	for round := range 2 {
		emitEvents(t, x, seq, batch)
		for range batch {
			var ev *Event
			if round == 0 {
				ev, err = r.Read()
			} else {
				ev = new(Event)
				err = r.ReadInto(ev)
			}
			if err != nil {
				t.Fatalf("event %d: %v", seq, err)
			}
			if err := checkEvent(ev, seq); err != nil {
				t.Fatal(err)
			}
			seq++
		}
	}
	if x.BSS.Emitted != 2*batch || x.BSS.Dropped != 0 {
		t.Errorf("BPF emitted %d and dropped %d events, want %d and 0", x.BSS.Emitted, x.BSS.Dropped, 2*batch)
	}
	// Nothing left: the deadline passes.
	r.SetDeadline(time.Now().Add(10 * time.Millisecond))
	if _, err := r.Read(); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Read on an empty ring: %v, want os.ErrDeadlineExceeded", err)
	}
}

// TestRingReaderShortRecord: a record shorter than the type is an error
// that says so, and the reader goes on.
func TestRingReaderShortRecord(t *testing.T) {
	x := load(t)
	type big struct {
		Event
		More [8]byte
	}
	r, err := runtime.NewRingReader[big](x.Maps.Events.Map)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	emitEvents(t, x, 0, 2)
	if _, err := r.Read(); !errors.Is(err, runtime.ErrShortRecord) {
		t.Errorf("Read: %v, want ErrShortRecord", err)
	} else if want := "record of 64 bytes read as events.big (72 bytes): record shorter than its type"; err.Error() != want {
		t.Errorf("Read: %q, want %q", err, want)
	}
	var b big
	if err := r.ReadInto(&b); !errors.Is(err, runtime.ErrShortRecord) {
		t.Errorf("ReadInto: %v, want ErrShortRecord", err)
	}
	if _, err := runtime.NewRingReader[*Event](x.Maps.Events.Map); err == nil {
		t.Errorf("NewRingReader of a pointer type: no error")
	}
}

// TestPerfReader reads typed samples of a perf event array that an XDP
// program wrote.
func TestPerfReader(t *testing.T) {
	x := load(t)
	r, err := x.Maps.PerfEvents.Reader(4096) // -event perf_events=event
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const n = 20
	if _, err := x.Programs.PerfEmit.Run(&ebpf.RunOptions{Data: make([]byte, 64), Repeat: n}); err != nil {
		t.Fatal(err)
	}
	r.SetDeadline(time.Now().Add(5 * time.Second))
	for seq := range uint32(n) {
		var ev Event
		if seq%2 == 0 {
			p, err := r.Read()
			if err != nil {
				t.Fatalf("sample %d: %v", seq, err)
			}
			ev = *p
		} else if err := r.ReadInto(&ev); err != nil {
			t.Fatalf("sample %d: %v", seq, err)
		}
		if err := checkEvent(&ev, seq); err != nil {
			t.Error(err)
		}
	}
}

// TestQueueStackBloom pushes jobs from Go, lets BPF move one from the
// queue to the stack and its id into the bloom filter, and reads them back.
func TestQueueStackBloom(t *testing.T) {
	x := load(t)
	// Typed from their __type(value, …): runtime.Queue[Job],
	// runtime.Stack[Job], runtime.BloomFilter[uint32].
	q, s, f := x.Maps.Jobs, x.Maps.Done, x.Maps.Seen
	for i := range uint32(3) {
		if err := q.Push(Job{Id: i + 1, Weight: uint16(10 * i), Tag: [6]uint8{1, 2, 3, 4, 5, uint8(i)}}, ebpf.UpdateAny); err != nil {
			t.Fatal(err)
		}
	}
	if j, err := q.Peek(); err != nil || j.Id != 1 {
		t.Errorf("Peek = %+v, %v; want job 1", j, err)
	}
	for range 2 {
		if ret, err := x.Programs.MoveJob.Run(&ebpf.RunOptions{Data: make([]byte, 64)}); err != nil || ret != 2 {
			t.Fatalf("move_job: %d, %v", ret, err)
		}
	}
	if j, err := q.Pop(); err != nil || j != (Job{Id: 3, Weight: 20, Tag: [6]uint8{1, 2, 3, 4, 5, 2}}) {
		t.Errorf("Pop = %+v, %v; want job 3", j, err)
	}
	if _, err := q.Pop(); !errors.Is(err, ebpf.ErrKeyNotExist) {
		t.Errorf("Pop of an empty queue: %v, want ErrKeyNotExist", err)
	}
	if j, err := s.Peek(); err != nil || j.Id != 1002 {
		t.Errorf("stack Peek = %+v, %v; want job 1002", j, err)
	}
	for _, want := range []uint32{1002, 1001} {
		if j, err := s.Pop(); err != nil || j.Id != want || j.Tag[0] != 1 {
			t.Errorf("stack Pop = %+v, %v; want job %d", j, err, want)
		}
	}
	if err := s.Push(Job{Id: 7}, ebpf.UpdateAny); err != nil {
		t.Fatal(err)
	}
	if j, err := s.Pop(); err != nil || j.Id != 7 {
		t.Errorf("stack Pop after Push = %+v, %v; want job 7", j, err)
	}
	for id, want := range map[uint32]bool{1001: true, 1002: true} {
		if got, err := f.Peek(id); err != nil || got != want {
			t.Errorf("bloom Peek(%d) = %v, %v; want %v", id, got, err, want)
		}
	}
	if err := f.Push(42); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Peek(42); err != nil || !got {
		t.Errorf("bloom Peek(42) after Push = %v, %v", got, err)
	}
	// A 64-entry filter may say yes to a value never pushed, but not to
	// all of a hundred.
	no := 0
	for v := range uint32(100) {
		if got, err := f.Peek(5000 + v); err != nil {
			t.Fatal(err)
		} else if !got {
			no++
		}
	}
	if no == 0 {
		t.Errorf("bloom Peek says yes to 100 values never pushed")
	}
}
