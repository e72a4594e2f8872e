package main

import (
	"fmt"
	"strings"
)

// table is one Markdown table of benchmark rows.
type table struct {
	title string
	// what says what the rows measure; printed under the title.
	what string
	rows []row
}

// row compares one bpfskel benchmark with its baseline, or shows an
// absolute figure when base is empty.
type row struct {
	label string
	pkg   string // package whose benchmarks hold ours and base
	ours  string // benchmark name without the -N suffix
	base  string // baseline benchmark, or "" for an absolute figure
	unit  string // metric to compare, e.g. "ns/op"
	// maxRatio is the target: ours/base at most this. 0 means no target.
	maxRatio float64
	// minSpeedup is the target: base/ours at least this. 0 means no target.
	minSpeedup float64
}

func (t table) render(b *strings.Builder, res results, missing *[]string) {
	fmt.Fprintf(b, "## %s\n\n%s\n\n", t.title, t.what)
	fmt.Fprintln(b, "| what | bpfskel | baseline | ratio (bpfskel/baseline) | target | met |")
	fmt.Fprintln(b, "| --- | ---: | ---: | ---: | --- | --- |")
	for _, r := range t.rows {
		ours, ok := res.median(r.ours, r.unit)
		if !ok {
			*missing = append(*missing, r.ours+" "+r.unit)
			fmt.Fprintf(b, "| %s | missing | | | | |\n", r.label)
			continue
		}
		if r.base == "" {
			fmt.Fprintf(b, "| %s | %s %s | — | — | — | — |\n", r.label, num(ours), r.unit)
			continue
		}
		base, ok := res.median(r.base, r.unit)
		if !ok || base == 0 {
			*missing = append(*missing, r.base+" "+r.unit)
			fmt.Fprintf(b, "| %s | %s %s | missing | | | |\n", r.label, num(ours), r.unit)
			continue
		}
		ratio := ours / base
		target, met := "—", "—"
		switch {
		case r.maxRatio > 0:
			target = fmt.Sprintf("≤ %.2f×", r.maxRatio)
			met = yes(ratio <= r.maxRatio)
		case r.minSpeedup > 0:
			target = fmt.Sprintf("≥ %.0f× faster", r.minSpeedup)
			met = yes(base/ours >= r.minSpeedup)
		}
		fmt.Fprintf(b, "| %s | %s %s | %s %s | %.3f× | %s | %s |\n",
			r.label, num(ours), r.unit, num(base), r.unit, ratio, target, met)
	}
	fmt.Fprintln(b)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func num(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.3g", v)
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

// tables lists what "make bench" reports. Benchmark names are those of the
// packages' testing.B benchmarks.
var tables = []table{
	{
		title: "Arena access from Go (runtime)",
		what: "Walking a 1,000,000-node list built by BPF in the arena through Ptr.Get vs a Go heap list of the same layout; " +
			"reading 100,000 uint64 from the arena vs ebpf.Map.Lookup on a BPF hash map with the same data. " +
			"The Pair rows alternate both sides in every iteration and report the fastest pass of each (robust on a busy machine).",
		rows: []row{
			{label: "list walk, ns/node", pkg: "./runtime", ours: "BenchmarkListWalk/arena", base: "BenchmarkListWalk/goheap", unit: "ns/node", maxRatio: 1.3},
			{label: "list walk, fastest passes: arena/heap", pkg: "./runtime", ours: "BenchmarkListWalkPair", unit: "ratio"},
			{label: "read 100k values, ns/value", pkg: "./runtime", ours: "BenchmarkRead100k/arena", base: "BenchmarkRead100k/maplookup", unit: "ns/value", minSpeedup: 100},
			{label: "read 100k values, fastest passes: lookup/arena", pkg: "./runtime", ours: "BenchmarkRead100kPair", unit: "speedup"},
		},
	},
}
