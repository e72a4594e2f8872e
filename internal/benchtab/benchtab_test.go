package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleOutput = `goos: linux
BenchmarkGenerate/a/bpfskel-2   10   2000000 ns/op   100 B/op   1 allocs/op
BenchmarkGenerate/a/bpfskel-2   10   4000000 ns/op   100 B/op   1 allocs/op
BenchmarkGenerate/a/bpfskel-2   10   3000000 ns/op   100 B/op   1 allocs/op
BenchmarkGenerate/a/bpf2go-2    10   1000000 ns/op   100 B/op   1 allocs/op
BenchmarkGenerate/b/bpfskel-2   10   5000000 ns/op   1.000 bpf2go-fails-parse   100 B/op   1 allocs/op
BenchmarkSize/1-2               10   100 ns/op   1 size
BenchmarkSize/10-2              10   1000 ns/op  10 size
BenchmarkSize/100-2             10   50000 ns/op 100 size
PASS
`

func sampleResults(t *testing.T) results {
	t.Helper()
	res := results{}
	if err := parse(strings.NewReader(sampleOutput), res); err != nil {
		t.Fatal(err)
	}
	return res
}

func TestMedian(t *testing.T) {
	res := sampleResults(t)
	if got, ok := res.median("BenchmarkGenerate/a/bpfskel", "ns/op"); !ok || got != 3e6 {
		t.Errorf("median = %v, %v; want 3e6, true", got, ok)
	}
	if _, ok := res.median("BenchmarkGenerate/a/bpfskel", "no-such-unit"); ok {
		t.Error("median of a missing unit reported ok")
	}
}

func TestPatternRow(t *testing.T) {
	res := sampleResults(t)
	tab := table{title: "gen", rows: []row{{
		label: "*", ours: "BenchmarkGenerate/*/bpfskel", base: "BenchmarkGenerate/*/bpf2go", unit: "ns/op",
		noBase: map[string]string{"bpf2go-fails-parse": "fails: parse"},
	}}}
	var b strings.Builder
	var missing []string
	tab.render(&b, res, &missing)
	out := b.String()
	for _, want := range []string{
		"| a | 3 ms/op | 1 ms/op | 3.000× |",
		"| b | 5 ms/op | fails: parse |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if len(missing) != 0 {
		t.Errorf("missing = %v, want none", missing)
	}
}

func TestMissingIsReported(t *testing.T) {
	res := sampleResults(t)
	tab := table{rows: []row{
		{label: "x", ours: "BenchmarkNope", unit: "ns/op"},
		{label: "y", ours: "BenchmarkNope/*/z", unit: "ns/op"},
	}}
	var b strings.Builder
	var missing []string
	tab.render(&b, res, &missing)
	if len(missing) != 2 {
		t.Errorf("missing = %v, want 2 entries", missing)
	}
}

func TestCurveLinearity(t *testing.T) {
	res := sampleResults(t)
	c := &curve{
		points: []point{{"1", "BenchmarkSize/1"}, {"10", "BenchmarkSize/10"}, {"100", "BenchmarkSize/100"}},
		x:      "size", xHeader: "size", cost: "ns/op",
		cols: []column{{"ns/op", "time"}},
	}
	var b strings.Builder
	var missing []string
	table{curve: c}.render(&b, res, &missing)
	out := b.String()
	if !strings.Contains(out, "×10, ×10.00 |") || !strings.Contains(out, "faster than linear") ||
		!strings.Contains(out, "within ×1.25 between points): **no**") {
		t.Errorf("curve table wrong:\n%s", out)
	}
}

func TestWriteTablesKeepsProse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "B.md")
	prose := "# Title\n\nbefore\n\n" + beginMarker + "\nold tables\n" + endMarker + "\n\nafter\n"
	if err := os.WriteFile(path, []byte(prose), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeTables(path, "new tables\n"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# Title\n\nbefore\n\n" + beginMarker + "\nnew tables\n" + endMarker + "\n\nafter\n"
	if string(got) != want {
		t.Errorf("file =\n%s\nwant\n%s", got, want)
	}
}

func TestQuantity(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		unit string
		want string
	}{
		{2.5e6, "ns/op", "2.5 ms/op"},
		{1.5e9, "ns/op", "1.5 s/op"},
		{123, "ns/op", "123 ns/op"},
		{3 << 20, "B/op", "3 MiB/op"},
		{75.2, "peak-MiB", "75.2 MiB"},
		{9.09, "cpu-ms/op", "9.09 ms/op"},
		{1.22, "ratio", "1.22×"},
		{15922, "types", "15922 types"},
	} {
		if got := quantity(tc.v, tc.unit); got != tc.want {
			t.Errorf("quantity(%v, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}
