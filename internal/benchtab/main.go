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
	out := fs.String("o", "", "also write the tables to this Markdown file")
	raw := fs.String("raw", "", "also write the raw go test output to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}

	res := results{}
	var rawOut bytes.Buffer
	for _, pkg := range packages() {
		fmt.Fprintf(stderr, "benchtab: running benchmarks in %s (count %d)\n", pkg, *count)
		cmdArgs := []string{"test", "-run", "^$", "-bench", ".", "-benchmem",
			"-count", fmt.Sprint(*count), "-timeout", "60m"}
		if *benchtime != "" {
			cmdArgs = append(cmdArgs, "-benchtime", *benchtime)
		}
		cmdArgs = append(cmdArgs, pkg)
		cmd := exec.Command("go", cmdArgs...)
		var buf bytes.Buffer
		cmd.Stdout = io.MultiWriter(&buf, &rawOut)
		cmd.Stderr = stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			os.Stderr.Write(buf.Bytes())
			return fmt.Errorf("benchmarks of %s: %w", pkg, err)
		}
		fmt.Fprintf(stderr, "benchtab: %s done in %s\n", pkg, time.Since(start).Round(time.Second))
		if err := parse(&buf, res); err != nil {
			return fmt.Errorf("parse benchmarks of %s: %w", pkg, err)
		}
	}
	if *raw != "" {
		if err := os.WriteFile(*raw, rawOut.Bytes(), 0o644); err != nil {
			return err
		}
	}

	var md strings.Builder
	fmt.Fprintf(&md, "Machine: %s\n\n", machine())
	fmt.Fprintf(&md, "Command: `make bench` (go run ./internal/benchtab -count %d); every figure is the median of %d runs, measured in the same run as its baseline.\n\n", *count, *count)
	var missing []string
	for _, t := range tables {
		t.render(&md, res, &missing)
	}
	fmt.Fprint(stdout, md.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(md.String()), 0o644); err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return errors.New("benchmarks missing from the run: " + strings.Join(missing, ", "))
	}
	return nil
}

// packages lists the packages whose benchmarks the tables use.
func packages() []string {
	seen := map[string]bool{}
	var pkgs []string
	for _, t := range tables {
		for _, r := range t.rows {
			if !seen[r.pkg] {
				seen[r.pkg] = true
				pkgs = append(pkgs, r.pkg)
			}
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
