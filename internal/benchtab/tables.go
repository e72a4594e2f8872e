package main

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// table is one Markdown table: benchmark rows compared with their
// baselines, or a curve.
type table struct {
	title string
	// what says what the rows measure; printed under the title.
	what string
	rows []row
	// curve, when set, makes the table a scaling curve instead of rows.
	curve *curve
}

// row compares one bpfskel benchmark with its baseline, or shows an
// absolute figure when base is empty.
type row struct {
	label string
	pkg   string // package whose benchmarks hold ours and base
	// ours is the benchmark name without the -N suffix. A "*" in it
	// stands for one element of a sub-benchmark name: the row is repeated
	// for every benchmark of the run that matches, with "*" in label and
	// base replaced by that element.
	ours string
	base string // baseline benchmark, or "" for an absolute figure
	unit string // metric to compare, e.g. "ns/op"
	// minus, for an absolute row, is a benchmark whose unit figure is
	// subtracted from ours' (a phase computed as the difference of two).
	minus string
	// maxRatio is the target: ours/base at most this (for an absolute row:
	// ours at most this). 0 means no target.
	maxRatio float64
	// minSpeedup is the target: base/ours at least this (for an absolute
	// row: ours at least this). 0 means no target.
	minSpeedup float64
	// noBase explains a missing baseline, by the metric of ours that
	// reports why (see BenchmarkGenerate): a row whose ours has the metric
	// shows the explanation instead of counting the baseline as missing.
	noBase map[string]string
}

// curve is a scaling table: one line per point, the workload size x and
// the cost at each, and whether cost grows at most linearly with x.
type curve struct {
	pkg    string
	points []point
	// x is the metric that gives the workload size at each point, and
	// xHeader its column title.
	x, xHeader string
	// cost is the metric checked for linear growth.
	cost string
	// cols are the columns shown besides x, in order.
	cols []column
}

type point struct {
	label string
	bench string
}

type column struct {
	unit, header string
}

// linearSlack is how much faster than x the cost may grow between two
// points of a curve and still count as linear: timing noise on a shared
// machine.
const linearSlack = 1.25

func (t table) render(b *strings.Builder, res results, missing *[]string) {
	fmt.Fprintf(b, "## %s\n\n%s\n\n", t.title, t.what)
	if t.curve != nil {
		t.curve.render(b, res, missing)
		return
	}
	fmt.Fprintln(b, "| what | bpfskel | baseline | ratio (bpfskel/baseline) | target | met |")
	fmt.Fprintln(b, "| --- | ---: | ---: | ---: | --- | --- |")
	for _, r := range t.rows {
		for _, r := range r.expand(res) {
			r.render(b, res, missing)
		}
	}
	fmt.Fprintln(b)
}

// expand returns the rows that a pattern row stands for, or r itself.
func (r row) expand(res results) []row {
	if !strings.Contains(r.ours, "*") {
		return []row{r}
	}
	re := regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(r.ours), `\*`, `([^/]+)`) + "$")
	var elems []string
	for name := range res {
		if m := re.FindStringSubmatch(name); m != nil {
			elems = append(elems, m[1])
		}
	}
	if len(elems) == 0 {
		return []row{r} // rendered as missing
	}
	sort.Strings(elems)
	var rows []row
	for _, e := range elems {
		x := r
		x.label = strings.ReplaceAll(r.label, "*", e)
		x.ours = strings.ReplaceAll(r.ours, "*", e)
		x.base = strings.ReplaceAll(r.base, "*", e)
		rows = append(rows, x)
	}
	return rows
}

func (r row) render(b *strings.Builder, res results, missing *[]string) {
	ours, ok := res.median(r.ours, r.unit)
	if !ok {
		*missing = append(*missing, r.ours+" "+r.unit)
		fmt.Fprintf(b, "| %s | missing | | | | |\n", r.label)
		return
	}
	if r.minus != "" {
		sub, ok := res.median(r.minus, r.unit)
		if !ok {
			*missing = append(*missing, r.minus+" "+r.unit)
			fmt.Fprintf(b, "| %s | missing | | | | |\n", r.label)
			return
		}
		ours -= sub
	}
	if r.base == "" {
		target, met := "—", "—"
		switch {
		case r.maxRatio > 0:
			target = "≤ " + trim(r.maxRatio)
			met = yes(ours <= r.maxRatio)
		case r.minSpeedup > 0:
			target = "≥ " + trim(r.minSpeedup)
			met = yes(ours >= r.minSpeedup)
		}
		fmt.Fprintf(b, "| %s | %s | — | — | %s | %s |\n", r.label, quantity(ours, r.unit), target, met)
		return
	}
	base, ok := res.median(r.base, r.unit)
	if !ok || base == 0 {
		for metric, why := range r.noBase {
			if v, ok := res.median(r.ours, metric); ok && v != 0 {
				fmt.Fprintf(b, "| %s | %s | %s | — | — | — |\n", r.label, quantity(ours, r.unit), why)
				return
			}
		}
		*missing = append(*missing, r.base+" "+r.unit)
		fmt.Fprintf(b, "| %s | %s | missing | | | |\n", r.label, quantity(ours, r.unit))
		return
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
	fmt.Fprintf(b, "| %s | %s | %s | %s× | %s | %s |\n",
		r.label, quantity(ours, r.unit), quantity(base, r.unit), ratioText(ratio), target, met)
}

func (c *curve) render(b *strings.Builder, res results, missing *[]string) {
	fmt.Fprintf(b, "| point | %s |", c.xHeader)
	for _, col := range c.cols {
		fmt.Fprintf(b, " %s |", col.header)
	}
	fmt.Fprintln(b, " growth vs previous point: size, cost |")
	fmt.Fprint(b, "| --- | ---: |", strings.Repeat(" ---: |", len(c.cols)), " --- |\n")
	var prevX, prevCost float64
	linear := true
	for i, p := range c.points {
		x, ok1 := res.median(p.bench, c.x)
		cost, ok2 := res.median(p.bench, c.cost)
		if !ok1 || !ok2 {
			*missing = append(*missing, p.bench+" "+c.x+" "+c.cost)
			fmt.Fprintf(b, "| %s | missing |%s |\n", p.label, strings.Repeat(" |", len(c.cols)))
			continue
		}
		fmt.Fprintf(b, "| %s | %s |", p.label, trim(x))
		for _, col := range c.cols {
			v, ok := res.median(p.bench, col.unit)
			if !ok {
				*missing = append(*missing, p.bench+" "+col.unit)
				fmt.Fprint(b, " missing |")
				continue
			}
			fmt.Fprintf(b, " %s |", cell(v, col.unit))
		}
		growth := "—"
		if i > 0 && prevX > 0 && prevCost > 0 {
			gx, gc := x/prevX, cost/prevCost
			growth = fmt.Sprintf("×%s, ×%.2f", trim(gx), gc)
			if gc > gx*linearSlack {
				linear = false
				growth += " (**faster than linear**)"
			}
		}
		fmt.Fprintf(b, " %s |\n", growth)
		prevX, prevCost = x, cost
	}
	fmt.Fprintf(b, "\nCost (%s) grows at most linearly with %s (within ×%.2f between points): %s\n\n",
		c.cost, c.xHeader, linearSlack, yes(linear))
}

// ratioText formats a ratio with three decimals, or with two significant
// digits when it is that small.
func ratioText(r float64) string {
	if r < 0.01 {
		return fmt.Sprintf("%.2g", r)
	}
	return fmt.Sprintf("%.3f", r)
}

func yes(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// quantity formats v in unit for a reader: times in ns, µs, ms or s,
// bytes in B, KiB or MiB, other units as numbers followed by the unit.
func quantity(v float64, unit string) string {
	per := ""
	base := unit
	if u, p, ok := strings.Cut(unit, "/"); ok {
		base, per = u, "/"+p
	}
	switch base {
	case "ns":
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%.3g s%s", v/1e9, per)
		case v >= 1e6:
			return fmt.Sprintf("%.3g ms%s", v/1e6, per)
		case v >= 1e4:
			return fmt.Sprintf("%.3g µs%s", v/1e3, per)
		}
	case "B":
		switch {
		case v >= 1<<20:
			return fmt.Sprintf("%.3g MiB%s", v/(1<<20), per)
		case v >= 1<<10:
			return fmt.Sprintf("%.3g KiB%s", v/(1<<10), per)
		}
	case "ratio", "speedup":
		return trim(v) + "×"
	case "cpu-ms":
		return quantity(v*1e6, "ns"+per)
	}
	if strings.HasSuffix(base, "-MiB") {
		return fmt.Sprintf("%.3g MiB%s", v, per)
	}
	return num(v) + " " + unit
}

// cell formats v for a curve column, whose header names the unit: times
// and sizes as quantity does, counts as bare numbers.
func cell(v float64, unit string) string {
	q := quantity(v, unit)
	if strings.HasSuffix(q, " "+unit) && !strings.Contains(unit, "/") {
		return num(v)
	}
	return q
}

// trim formats v with up to three significant digits and no exponent.
func trim(v float64) string {
	if v >= 1000 || v == math.Trunc(v) && v >= 1 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.3g", v)
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

// Explanations of missing bpf2go baselines (metrics of BenchmarkGenerate).
var bpf2goFails = map[string]string{
	"bpf2go-fails-parse": "fails: cilium/ebpf cannot parse it",
	"bpf2go-fails-gen":   "fails: GoFormatter refuses a type",
}

// tables lists what "make bench" reports. Benchmark names are those of the
// packages' testing.B benchmarks.
var tables = []table{
	{
		title: "1. Type generation over vmlinux (cmd/bpfskel)",
		what: "`bpfskel types -all -pkg vmlinux -o out.go /sys/kernel/btf/vmlinux` (read, parse, translate with btf2go, write) vs " +
			"cilium/ebpf v0.22.0 btf.GoFormatter over every named struct, union and enum of the same BTF, skipping the ones it refuses, then go/format and write. " +
			"Peak memory is the peak resident set of a child process doing one run. " +
			"Target: all types, in no more than GoFormatter's time for the part it handles. " +
			"The Pair row alternates both in every iteration and reports the ratio of their fastest passes (robust on a busy machine).",
		rows: []row{
			{label: "time per run", pkg: "./cmd/bpfskel", ours: "BenchmarkTypesVmlinux", base: "BenchmarkGoFormatterVmlinux", unit: "ns/op", maxRatio: 1},
			{label: "time, fastest passes: types/GoFormatter", pkg: "./cmd/bpfskel", ours: "BenchmarkTypesVmlinuxPair", unit: "ratio", maxRatio: 1},
			{label: "type declarations written", pkg: "./cmd/bpfskel", ours: "BenchmarkTypesVmlinux", base: "BenchmarkGoFormatterVmlinux", unit: "types"},
			{label: "peak memory (RSS)", pkg: "./cmd/bpfskel", ours: "BenchmarkTypesVmlinux", base: "BenchmarkGoFormatterVmlinux", unit: "peak-MiB"},
			{label: "allocated per run", pkg: "./cmd/bpfskel", ours: "BenchmarkTypesVmlinux", base: "BenchmarkGoFormatterVmlinux", unit: "B/op"},
		},
	},
	{
		title: "2. Skeleton generation per object (internal/benchmarks)",
		what: "From the object's bytes to the formatted Go skeleton, no compiler and no file I/O: bpfskel's `gen.Generate` vs " +
			"cilium/ebpf v0.22.0 bpf2go's `gen` package driven as bpf2go's main drives it after compiling " +
			"(`ebpf.LoadCollectionSpec`, map/variable/program names, `gen.CollectGlobalTypes`, `gen.Generate`). " +
			"Every checked-in object of testdata/ and examples/ except the four that exist to test gen's errors. " +
			"bpf2go cannot read arena objects (`LoadCollectionSpec`: \"reference to X in section SHN_UNDEF+N: not supported\"), " +
			"nor objects with typed ksyms, a legacy .struct_ops section, weak maps or weak kconfig externs, " +
			"and its GoFormatter refuses pointers, anonymous members and colliding names; there bpfskel's figure stands alone. " +
			"Target: at most bpf2go's time on every object both read. The \"fastest passes\" rows alternate both generators " +
			"in every iteration and report the ratio of their fastest passes (robust on a busy machine).",
		rows: []row{
			{label: "*", pkg: "./internal/benchmarks", ours: "BenchmarkGenerate/*/bpfskel", base: "BenchmarkGenerate/*/bpf2go", unit: "ns/op", noBase: bpf2goFails, maxRatio: 1},
			{label: "*, fastest passes: bpfskel/bpf2go", pkg: "./internal/benchmarks", ours: "BenchmarkGeneratePair/*", unit: "ratio", maxRatio: 1},
		},
	},
	{
		title: "2b. Many objects in one invocation (cmd/bpfskel)",
		what: "`bpfskel gen -outdir DIR` over 12 testdata objects in one invocation vs one `bpfskel gen` invocation per object, " +
			"each as a new process (what a build runs) and in-process. Target: one invocation at least as fast as one per object. " +
			"The Pair row alternates both in every iteration and reports the ratio of their fastest passes.",
		rows: []row{
			{label: "new process each time", pkg: "./cmd/bpfskel", ours: "BenchmarkGenMany/exec", base: "BenchmarkGenOneByOne/exec", unit: "ns/op", maxRatio: 1},
			{label: "in-process", pkg: "./cmd/bpfskel", ours: "BenchmarkGenMany/inproc", base: "BenchmarkGenOneByOne/inproc", unit: "ns/op", maxRatio: 1},
			{label: "fastest passes, new processes: many/one-by-one", pkg: "./cmd/bpfskel", ours: "BenchmarkGenManyPair", unit: "ratio", maxRatio: 1},
		},
	},
	{
		title: "3. Load (internal/benchmarks)",
		what: "Non-arena object testdata/gen_basic.bpf.o (hash, array and per-CPU maps; .rodata, .data, .bss, .data.extra; syscall, raw_tp and xdp programs) " +
			"from its bytes to loaded maps and programs: bpfskel's runtime (`runtime.LoadSpec` + `Spec.Load`, the body of a generated LoadX) vs " +
			"cilium/ebpf (`LoadCollectionSpec` + `NewCollection`); closing is not timed. Target ≤ 1.1×. " +
			"Arena objects, which no Go peer can load, as absolute figures by phase: parse (`runtime.LoadSpec`), " +
			"maps (`Spec.Load` of the spec with its programs removed: maps, data-section mmaps, arena creation and mmap, arena globals), " +
			"load (`Spec.Load` of a parsed spec), total (parse + load, what LoadX costs); programs = load − maps. " +
			"kv is examples/kv (1 XDP program, 131072-entry hash map, 4 MiB arena); arena_list is testdata (4 syscall programs, 100000-entry hash map, 64 MiB arena).",
		rows: []row{
			{label: "gen_basic: load", pkg: "./internal/benchmarks", ours: "BenchmarkLoadBasic/bpfskel", base: "BenchmarkLoadBasic/cilium", unit: "ns/op", maxRatio: 1.1},
			{label: "gen_basic: load, fastest passes: bpfskel/cilium", pkg: "./internal/benchmarks", ours: "BenchmarkLoadBasicPair", unit: "ratio", maxRatio: 1.1},
			{label: "gen_basic: allocated per load", pkg: "./internal/benchmarks", ours: "BenchmarkLoadBasic/bpfskel", base: "BenchmarkLoadBasic/cilium", unit: "B/op"},
			{label: "kv (arena): parse", pkg: "./internal/benchmarks", ours: "BenchmarkLoadArena/kv/parse", unit: "ns/op"},
			{label: "kv (arena): maps + arena", pkg: "./internal/benchmarks", ours: "BenchmarkLoadArena/kv/maps", unit: "ns/op"},
			{label: "kv (arena): programs (load − maps)", pkg: "./internal/benchmarks", ours: "BenchmarkLoadArena/kv/load", minus: "BenchmarkLoadArena/kv/maps", unit: "ns/op"},
			{label: "kv (arena): total (LoadX)", pkg: "./internal/benchmarks", ours: "BenchmarkLoadArena/kv/total", unit: "ns/op"},
			{label: "arena_list (arena): parse", pkg: "./internal/benchmarks", ours: "BenchmarkLoadArena/arena_list/parse", unit: "ns/op"},
			{label: "arena_list (arena): maps + arena", pkg: "./internal/benchmarks", ours: "BenchmarkLoadArena/arena_list/maps", unit: "ns/op"},
			{label: "arena_list (arena): programs (load − maps)", pkg: "./internal/benchmarks", ours: "BenchmarkLoadArena/arena_list/load", minus: "BenchmarkLoadArena/arena_list/maps", unit: "ns/op"},
			{label: "arena_list (arena): total (LoadX)", pkg: "./internal/benchmarks", ours: "BenchmarkLoadArena/arena_list/total", unit: "ns/op"},
		},
	},
	{
		title: "4. Arena access from Go (runtime, internal/benchmarks, examples/kv)",
		what: "Walking a 1,000,000-node list built by BPF in the arena through Ptr.Get vs a Go heap list of the same layout (target ≤ 1.1×), and the same over two 4096-node lists that stay in cache, where a hop costs what Ptr.Get adds to a load; " +
			"reading 100,000 uint64 from the arena vs ebpf.Map.Lookup on a BPF hash map with the same data (target ≥ 100× faster); " +
			"inserting 4096 new keys (32-byte keys, 64-byte values) from Go into examples/kv's arena hash table vs ebpf.Map.Update on a BPF hash map: " +
			"with entries reused from a free list, and with every entry freshly allocated by runtime.New; " +
			"and, for reference, examples/kv's XDP lookups of one key through BPF_PROG_TEST_RUN from the arena table vs a BPF hash map. " +
			"The Pair rows alternate both sides in every iteration and report the fastest pass of each (robust on a busy machine).",
		rows: []row{
			{label: "list walk, ns/node", pkg: "./runtime", ours: "BenchmarkListWalk/arena", base: "BenchmarkListWalk/goheap", unit: "ns/node", maxRatio: 1.1},
			{label: "list walk, fastest passes: arena/heap", pkg: "./runtime", ours: "BenchmarkListWalkPair", unit: "ratio", maxRatio: 1.1},
			{label: "list walk in cache, fastest passes: arena/heap", pkg: "./runtime", ours: "BenchmarkListWalkHotPair", unit: "ratio", maxRatio: 1.1},
			{label: "read 100k values, ns/value", pkg: "./runtime", ours: "BenchmarkRead100k/arena", base: "BenchmarkRead100k/maplookup", unit: "ns/value", minSpeedup: 100},
			{label: "read 100k values, fastest passes: lookup/arena", pkg: "./runtime", ours: "BenchmarkRead100kPair", unit: "speedup", minSpeedup: 100},
			{label: "insert from Go, entries reused", pkg: "./internal/benchmarks", ours: "BenchmarkInsert/arena", base: "BenchmarkInsert/mapupdate", unit: "ns/insert"},
			{label: "insert from Go, entries allocated (runtime.New)", pkg: "./internal/benchmarks", ours: "BenchmarkInsert/arena-alloc", base: "BenchmarkInsert/mapupdate", unit: "ns/insert"},
			{label: "XDP lookup (kv example)", pkg: "./examples/kv", ours: "BenchmarkLookup/arena", base: "BenchmarkLookup/hashmap", unit: "ns/lookup"},
		},
	},
	{
		title: "4b. Reading events (internal/benchmarks)",
		what: "Reading typed 64-byte events (struct event of testdata/events.bpf.c: a union, nested arrays) that a BPF program submitted to a ring buffer, per event: " +
			"bpfskel's `runtime.RingReader.ReadInto` (copies the record into the caller's event, no allocation) and `Read` (a new event per record, laid over it) vs " +
			"cilium/ebpf's `ringbuf.Reader.Read` followed by `binary.Read` into the same type, what a bpf2go user writes. " +
			"Refilling the ring every 10,000 events is not timed. Target: ReadInto ≤ 0.5× the baseline. " +
			"The Pair row alternates both a batch of 10,000 events at a time and reports the ratio of their fastest batches.",
		rows: []row{
			{label: "ReadInto, ns/event", pkg: "./internal/benchmarks", ours: "BenchmarkRingRead/bpfskel", base: "BenchmarkRingRead/cilium", unit: "ns/op", maxRatio: 0.5},
			{label: "ReadInto, fastest batches: bpfskel/cilium", pkg: "./internal/benchmarks", ours: "BenchmarkRingReadPair", unit: "ratio", maxRatio: 0.5},
			{label: "Read, ns/event", pkg: "./internal/benchmarks", ours: "BenchmarkRingRead/bpfskel-read", base: "BenchmarkRingRead/cilium", unit: "ns/op"},
			{label: "ReadInto, allocated per event", pkg: "./internal/benchmarks", ours: "BenchmarkRingRead/bpfskel", base: "BenchmarkRingRead/cilium", unit: "B/op"},
		},
	},
	{
		title: "5a. Scaling: type generation vs number of types (internal/benchmarks)",
		what: "btf2go generating a formatted Go file for the first 1,000, 10,000 and all named structs, unions, enums and typedefs " +
			"(roots, in BTF order) of /sys/kernel/btf/vmlinux, with everything they reference; vmlinux is parsed once and not timed. " +
			"Size is the number of type declarations written. CPU is process CPU time per run (all threads, GC included). " +
			"Peak is the peak RSS of a child process that parses vmlinux and generates once; \"gen\" is how far generating raised it above the parsed BTF's peak.",
		curve: &curve{
			pkg: "./internal/benchmarks",
			points: []point{
				{"1k roots", "BenchmarkTypesScale/1k"},
				{"10k roots", "BenchmarkTypesScale/10k"},
				{"all roots", "BenchmarkTypesScale/all"},
			},
			x: "decls", xHeader: "declarations", cost: "cpu-ms/op",
			cols: []column{
				{"roots", "roots"},
				{"ns/op", "time"},
				{"cpu-ms/op", "CPU"},
				{"ns/decl", "time per declaration"},
				{"B/op", "allocated"},
				{"peak-MiB", "peak RSS"},
				{"gen-MiB", "peak RSS, gen"},
				{"out-MiB", "output"},
			},
		},
	},
	{
		title: "5b. Scaling: load time vs arena size (internal/benchmarks)",
		what: "`Spec.Load` of testdata/smoke.bpf.o (an arena, one arena global, one syscall program) with the arena resized " +
			"on the parsed spec (the arena map's MaxEntries) before loading; closing is not timed.",
		curve: &curve{
			pkg: "./internal/benchmarks",
			points: []point{
				{"1 MiB", "BenchmarkLoadArenaSize/1MiB"},
				{"16 MiB", "BenchmarkLoadArenaSize/16MiB"},
				{"256 MiB", "BenchmarkLoadArenaSize/256MiB"},
				{"1 GiB", "BenchmarkLoadArenaSize/1024MiB"},
				{"4 GiB", "BenchmarkLoadArenaSize/4096MiB"},
			},
			x: "arena-MiB", xHeader: "arena MiB", cost: "ns/op",
			cols: []column{
				{"ns/op", "load time"},
				{"B/op", "allocated"},
			},
		},
	},
}
