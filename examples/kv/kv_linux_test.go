//go:build linux

package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/bpfskel/bpfskel/internal/kerneltest"
	"github.com/cilium/ebpf"
)

func load(tb testing.TB) (*Kv, *Store) {
	tb.Helper()
	kerneltest.Require(tb)
	obj, err := LoadKv(nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { obj.Close() })
	return obj, NewStore(obj)
}

func TestGetHitMissUpdateDelete(t *testing.T) {
	obj, store := load(t)
	want := map[string]string{}
	for i := range 500 {
		k, v := fmt.Sprintf("key-%d", i), fmt.Sprintf("value %d", i*i)
		if err := store.Put(k, []byte(v)); err != nil {
			t.Fatalf("Put(%q): %v", k, err)
		}
		want[k] = v
	}
	check := func(t *testing.T) {
		t.Helper()
		for k, v := range want {
			action, got, err := get(obj.Programs.KvGet, k)
			if err != nil {
				t.Fatal(err)
			}
			if action != "XDP_TX" || got != v {
				t.Fatalf("GET %q = %s %q, want XDP_TX %q", k, action, got, v)
			}
		}
		for _, k := range []string{"absent", "key-500", ""} {
			if action, _, err := get(obj.Programs.KvGet, k); err != nil || action != "XDP_PASS" {
				t.Fatalf("GET %q = %s, %v; want XDP_PASS", k, action, err)
			}
		}
	}
	t.Run("initial", check)

	// Go updates and deletes are seen by the next packet.
	for i := 0; i < 500; i += 3 {
		k := fmt.Sprintf("key-%d", i)
		want[k] = "updated " + k
		if err := store.Put(k, []byte(want[k])); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i < 500; i += 7 {
		k := fmt.Sprintf("key-%d", i)
		if !store.Delete(k) {
			t.Fatalf("Delete(%q) = false", k)
		}
		delete(want, k)
		if action, _, _ := get(obj.Programs.KvGet, k); action != "XDP_PASS" {
			t.Fatalf("GET %q after Delete = %s, want XDP_PASS", k, action)
		}
	}
	t.Run("after updates and deletes", check)

	// Deleted entries are reused for new keys.
	for i := 1000; i < 1050; i++ {
		k := fmt.Sprintf("key-%d", i)
		want[k] = k
		if err := store.Put(k, []byte(k)); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("after reuse", check)
	if store.Len() != len(want) {
		t.Errorf("Len() = %d, want %d", store.Len(), len(want))
	}
}

func TestReplyFrame(t *testing.T) {
	obj, store := load(t)
	if err := store.Put("k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	in := request("k", defaultPort)
	out := make([]byte, 256)
	ret, err := obj.Programs.KvGet.Run(&ebpf.RunOptions{Data: in, DataOut: out})
	if err != nil || ret != xdpTX {
		t.Fatalf("Run = %d, %v; want XDP_TX", ret, err)
	}
	out = out[:len(in)]
	// MACs, IPs and ports are swapped; the IP checksum stays valid.
	swapped := []struct{ a, b, n int }{{0, 6, 6}, {ethLen + 12, ethLen + 16, 4}, {ethLen + ipLen, ethLen + ipLen + 2, 2}}
	for _, s := range swapped {
		if !bytes.Equal(out[s.a:s.a+s.n], in[s.b:s.b+s.n]) || !bytes.Equal(out[s.b:s.b+s.n], in[s.a:s.a+s.n]) {
			t.Errorf("bytes %d and %d not swapped", s.a, s.b)
		}
	}
	if got := ipChecksum(out[ethLen : ethLen+ipLen]); got != uint16(out[ethLen+10])<<8|uint16(out[ethLen+11]) {
		t.Errorf("IP checksum invalid in reply")
	}
	r, err := reply(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != statusHit || r.ValueLen != valueSize || string(bytes.TrimRight(r.Value[:], "\x00")) != "v" {
		t.Errorf("reply = %+v", r)
	}
}

func TestWrongPortPasses(t *testing.T) {
	obj, store := load(t)
	if err := store.Put("k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	ret, err := obj.Programs.KvGet.Run(&ebpf.RunOptions{Data: request("k", 53)})
	if err != nil || ret != xdpPass {
		t.Fatalf("Run = %d, %v; want XDP_PASS", ret, err)
	}
}

func TestRodataPort(t *testing.T) {
	kerneltest.Require(t)
	spec, err := LoadKvSpec()
	if err != nil {
		t.Fatal(err)
	}
	spec.Rodata.Port = 7000
	obj, err := spec.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	store := NewStore(obj)
	if err := store.Put("k", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if ret, err := obj.Programs.KvGet.Run(&ebpf.RunOptions{Data: request("k", 7000)}); err != nil || ret != xdpTX {
		t.Fatalf("port 7000: Run = %d, %v; want XDP_TX", ret, err)
	}
	if ret, err := obj.Programs.KvGet.Run(&ebpf.RunOptions{Data: request("k", defaultPort)}); err != nil || ret != xdpPass {
		t.Fatalf("port %d: Run = %d, %v; want XDP_PASS", defaultPort, ret, err)
	}
}

// BenchmarkLookup compares answering GET requests from the Go-owned arena
// table (kv_get) with the same design over a BPF hash map (kv_get_hashmap),
// both through BPF_PROG_TEST_RUN with the kernel repeating the packet. It
// reports lookups per second.
func BenchmarkLookup(b *testing.B) {
	obj, store := load(b)
	const keys = 4000
	for i := range keys {
		k := fmt.Sprintf("key-%d", i)
		v := []byte(fmt.Sprintf("value %d", i))
		if err := store.Put(k, v); err != nil {
			b.Fatal(err)
		}
		var hk [keySize]uint8
		var hv [valueSize]uint8
		copy(hk[:], k)
		copy(hv[:], v)
		if err := obj.Maps.KvHash.Update(hk, hv, ebpf.UpdateAny); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name string
		prog *ebpf.Program
	}{{"arena", obj.Programs.KvGet}, {"hashmap", obj.Programs.KvGetHashmap}} {
		b.Run(bc.name, func(b *testing.B) {
			// With the source port equal to the destination port, the
			// reply is again a request, so every repetition of the test
			// run does a full lookup.
			frame := request("key-3999", defaultPort)
			binary.BigEndian.PutUint16(frame[ethLen+ipLen:], defaultPort)
			b.ResetTimer()
			ret, dur, err := bc.prog.Benchmark(frame, b.N, nil)
			if err != nil || ret != xdpTX {
				b.Fatalf("Benchmark = %d, %v", ret, err)
			}
			b.ReportMetric(float64(dur.Nanoseconds()), "ns/lookup")
			b.ReportMetric(1e9/float64(dur.Nanoseconds()), "lookups/s")
		})
	}
}
