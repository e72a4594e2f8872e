package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"time"
)

func main() {
	if err := run(os.Stdout, os.Stderr, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "benchtab:", err)
		os.Exit(1)
	}
}

func run(stdout, stderr io.Writer, args []string) error {
	fs := flag.NewFlagSet("benchtab", flag.ContinueOnError)
	fs.SetOutput(stderr)
	count := fs.Int("count", 5, "runs of each benchmark; tables show the median")
	benchtime := fs.String("benchtime", "", "passed to go test -benchtime")
	out := fs.String("o", "", "also write the tables to this Markdown file (between its benchtab markers when it has them)")
	raw := fs.String("raw", "", "also write the raw go test output to this file")
	in := fs.String("in", "", "make the tables from this raw go test output instead of running the benchmarks")
	if err := fs.Parse(args); err != nil {
		return err
	}

	res := results{}
	loadBefore := loadAvg()
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := parse(f, res); err != nil {
			return fmt.Errorf("parse %s: %w", *in, err)
		}
	} else if err := runBenchmarks(stderr, res, *count, *benchtime, *raw); err != nil {
		return err
	}
	loadAfter := loadAvg()

	var md strings.Builder
	fmt.Fprintf(&md, "Machine: %s\n\n", machine())
	if *in == "" && loadBefore != "" && loadAfter != "" {
		fmt.Fprintf(&md, "Load average (1, 5, 15 min) before the run: %s; after: %s.\n\n", loadBefore, loadAfter)
	}
	cmdline := fmt.Sprintf("go run ./internal/benchtab -count %d", *count)
	if *benchtime != "" {
		cmdline += " -benchtime " + *benchtime
	}
	fmt.Fprintf(&md, "Command: `%s`; every figure is the median of %d runs (`go test -bench . -benchmem -count %d` per package), measured in the same run as its baseline.\n\n", cmdline, *count, *count)
	var missing []string
	for _, t := range tables {
		t.render(&md, res, &missing)
	}
	fmt.Fprint(stdout, md.String())
	if *out != "" {
		if err := writeTables(*out, md.String()); err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return errors.New("benchmarks missing from the run: " + strings.Join(missing, ", "))
	}
	return nil
}

// runBenchmarks runs the benchmarks of every package the tables use, count
// times each, and adds their results to res.
func runBenchmarks(stderr io.Writer, res results, count int, benchtime, raw string) error {
	var rawOut bytes.Buffer
	for _, pkg := range packages() {
		fmt.Fprintf(stderr, "benchtab: running benchmarks in %s (count %d)\n", pkg, count)
		cmdArgs := []string{"test", "-run", "^$", "-bench", ".", "-benchmem",
			"-count", fmt.Sprint(count), "-timeout", "60m"}
		if benchtime != "" {
			cmdArgs = append(cmdArgs, "-benchtime", benchtime)
		}
		cmdArgs = append(cmdArgs, pkg)
		cmd := exec.Command("go", cmdArgs...)
		var buf bytes.Buffer
		cmd.Stdout = io.MultiWriter(&buf, &rawOut)
		cmd.Stderr = stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			stderr.Write(buf.Bytes())
			return fmt.Errorf("benchmarks of %s: %w", pkg, err)
		}
		fmt.Fprintf(stderr, "benchtab: %s done in %s\n", pkg, time.Since(start).Round(time.Second))
		if err := parse(&buf, res); err != nil {
			return fmt.Errorf("parse benchmarks of %s: %w", pkg, err)
		}
	}
	if raw != "" {
		return os.WriteFile(raw, rawOut.Bytes(), 0o644)
	}
	return nil
}

// The markers between which writeTables puts the tables in a file that
// also holds prose (BENCHMARKS.md).
const (
	beginMarker = "<!-- benchtab:begin -->"
	endMarker   = "<!-- benchtab:end -->"
)

// writeTables writes md to the file path: between its markers when the
// file exists and has them, otherwise as the whole file.
func writeTables(path, md string) error {
	old, err := os.ReadFile(path)
	if err == nil {
		s := string(old)
		i := strings.Index(s, beginMarker)
		j := strings.Index(s, endMarker)
		if i >= 0 && j > i {
			md = s[:i+len(beginMarker)] + "\n" + md + s[j:]
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.WriteFile(path, []byte(md), 0o644)
}

// loadAvg returns the 1, 5 and 15 minute load averages, or "".
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], ", ")
}

// packages lists the packages whose benchmarks the tables use.
func packages() []string {
	seen := map[string]bool{}
	var pkgs []string
	add := func(pkg string) {
		if !seen[pkg] {
			seen[pkg] = true
			pkgs = append(pkgs, pkg)
		}
	}
	for _, t := range tables {
		for _, r := range t.rows {
			add(r.pkg)
		}
		if t.curve != nil {
			add(t.curve.pkg)
		}
	}
	return pkgs
}

// machine describes the machine the benchmarks ran on.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := "unknown kernel"
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = "Linux " + strings.TrimSpace(string(b))
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.SplitN(string(b), "\n", 2)[0], "MemTotal: %d kB", &kb)
		mem = fmt.Sprintf(", %.0f GiB", float64(kb)/(1<<20))
	}
	return fmt.Sprintf("%s, %d cores%s, %s, %s %s/%s", cpu, runtime.NumCPU(), mem, kernel,
		runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
