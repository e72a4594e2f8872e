package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"strings"
	"sync"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/bpfskel/bpfskel/internal/linker"
	"github.com/rogpeppe/go-internal/diff"
)

func init() {
	commands["gen"] = command{
		summary: "generate a typed Go skeleton for a BPF object",
		run:     runGen,
	}
}

// modelFlags are the flags that shape the object model gen.Parse builds,
// which gen and inspect share (and -statics, gen's), so that inspect shows
// the object as gen sees it with the same flags.
type modelFlags struct {
	types    stringList
	all      bool
	arenaPtr stringList
	noArena  stringList
	renames  stringList
	statics  bool
}

func (a *modelFlags) register(fs *flag.FlagSet) {
	fs.Var(&a.types, "type", "also emit (and classify the pointers of) the C type `NAME`: struct, union, enum or typedef, from BTF or else DWARF (repeatable)")
	fs.BoolVar(&a.all, "all", false, "emit (and classify the pointers of) every named struct, union, enum and typedef of the object's BTF and DWARF")
	fs.Var(&a.arenaPtr, "arena-ptr", "treat `TYPE.FIELD` as an arena pointer (repeatable)")
	fs.Var(&a.noArena, "no-arena-ptr", "treat `TYPE.FIELD` as a kernel pointer (repeatable)")
	fs.Var(&a.renames, "rename", "give the program, map or section `KIND:CNAME=GoName` (KIND prog, map or section) that Go name, e.g. when two C names become one Go name (repeatable)")
}

func (a *modelFlags) apply(o *gen.Options) {
	o.Types = a.types
	o.AllTypes = a.all
	o.ArenaPointers = a.arenaPtr
	o.NoArenaPointers = a.noArena
	o.Renames = a.renames
	o.Statics = a.statics
}

func runGen(stdout, stderr io.Writer, args []string) error {
	fs := newFlagSet(stderr, "gen", "OBJECT... (objects of one byte order are linked into one; one per byte order: a byte-order pair) | SOURCE.c... (compiled, then linked into one) | -outdir DIR OBJECT-OR-SOURCE...")
	pkg := fs.String("pkg", os.Getenv("GOPACKAGE"), "Go package `name` (default $GOPACKAGE, else the package of the output file or of the other Go files in its directory)")
	ident := fs.String("ident", "", "Go `name` of the skeleton: X in LoadXSpec (default from the object's or source's file name)")
	out := fs.String("o", "", "output `file` (default <ident>.go, lower case)")
	outDir := fs.String("outdir", "", "generate one skeleton per argument into `DIR`, as <ident>.go, all in one package (not with -o or -ident)")
	check := fs.Bool("check", false, "write nothing; exit 0 if the output is up to date, else 1 with a diff")
	cc := fs.String("cc", "", "C `compiler` for .c arguments (default $BPFSKEL_CC, else clang)")
	cflags := fs.String("cflags", "", "extra compiler `flags` for .c arguments, one string split like a shell would (quotes, backslashes)")
	targets := fs.String("target", "bpfel", "`targets`: byte orders to compile .c arguments for (bpfel, bpfeb or bpfel,bpfeb), GOARCHes (amd64,arm64: one object and Go file per architecture), or prebuilt objects per GOARCH without arguments (amd64=x_x86.o,arm64=x_arm64.o)")
	strip := fs.Bool("strip", false, "strip DWARF from the objects gen writes and embeds: compiled, linked, or copied next to the output ($BPFSKEL_STRIP -g, else llvm-strip-19 or llvm-strip from $PATH); the skeleton is generated before, from the objects with DWARF")
	var makeDeps string
	fs.StringVar(&makeDeps, "makedeps", "", "write a make-style dependency `file` for the compiled .c arguments")
	fs.StringVar(&makeDeps, "M", "", "same as -makedeps `file`")
	var in inputReader
	in.register(fs)
	var af modelFlags
	af.register(fs)
	fs.BoolVar(&af.statics, "statics", false, "include static variables in the data section structs")
	lib := fs.Bool("lib", false, "generate a library skeleton of the one OBJECT: NewX finds the library's maps and globals in any collection that linked it (libbpf's subskeleton)")
	prefix := fs.Bool("prefix", false, "start the Go names of C types and enum constants with the ident (struct event → XEvent), so that skeletons generated separately into one package cannot clash")
	var events stringList
	fs.Var(&events, "event", "give the ring buffer or perf event array `MAP=TYPE` a reader of the C type TYPE: x.Maps.M.Reader() (repeatable)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	usageErr := func(format string, a ...any) error { return badUsage(fs, format, a...) }
	for _, e := range events {
		if m, t, ok := strings.Cut(e, "="); !ok || m == "" || t == "" {
			return usageErr("-event %q: want MAP=TYPE", e)
		}
	}
	multi := *outDir != ""
	tlist, err := gen.ParseTargets(*targets)
	if err != nil {
		return usageErr("-%v", err)
	}
	prebuilt := tlist[0].Object != ""
	switch {
	case prebuilt && (fs.NArg() > 0 || multi):
		return usageErr("-target GOARCH=OBJECT names the objects: no arguments, no -outdir")
	case prebuilt:
	case fs.NArg() < 1:
		return usageErr("no object or C source")
	case multi && (*out != "" || *ident != ""):
		return usageErr("-outdir names each output after its object: no -o or -ident")
	}
	var nSrc int
	for _, a := range fs.Args() {
		if isCSource(a) {
			nSrc++
		}
		if a == stdinPath {
			return usageErr("the object is embedded in the skeleton: name its file, not - (standard input)")
		}
	}
	if !multi && nSrc > 0 && nSrc != fs.NArg() {
		return usageErr("C sources and objects do not mix: give the sources (gen compiles and links them), or the objects (gen links them)")
	}
	if nSrc == 0 && !prebuilt {
		var set []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "cc", "cflags", "target", "makedeps", "M":
				set = append(set, "-"+f.Name)
			}
		})
		if len(set) > 0 {
			return usageErr("%s: only for a C source to compile (objects are embedded as they are)", strings.Join(set, ", "))
		}
	}
	if prebuilt {
		var set []string
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "cc", "cflags", "makedeps", "M":
				set = append(set, "-"+f.Name)
			}
		})
		if len(set) > 0 {
			return usageErr("%s: only for a C source to compile (objects are embedded as they are)", strings.Join(set, ", "))
		}
	}
	extra, err := splitFlags(*cflags)
	if err != nil {
		return fmt.Errorf("-cflags: %w", err)
	}

	// One job per skeleton: the whole command line, or (-outdir) each argument.
	var jobs []genJob
	base := gen.Options{Package: *pkg, Ident: *ident, Output: *out, Events: events, PrefixTypes: *prefix, Library: *lib}
	af.apply(&base)
	if multi {
		for _, a := range fs.Args() {
			o := base
			o.Ident = gen.DefaultIdent(a)
			o.Output = filepath.Join(*outDir, strings.ToLower(o.Ident)+".go")
			jobs = append(jobs, genJob{opts: o, args: []string{a}})
		}
	} else if prebuilt {
		j := genJob{opts: base, targets: tlist}
		for _, t := range tlist {
			j.args = append(j.args, t.Object)
		}
		jobs = []genJob{j}
	} else {
		jobs = []genJob{{opts: base, args: fs.Args()}}
	}
	if *cc == "" {
		*cc = os.Getenv("BPFSKEL_CC")
	}
	cfg := compileConfig{cc: *cc, cflags: extra, targets: tlist, stderr: stderr, in: &in}
	if err := prepareJobs(jobs, cfg); err != nil {
		return reportErrors(stderr, err)
	}
	if *pkg == "" {
		// Neither -pkg nor go generate: the package of the output file or
		// of its directory's other Go files.
		for i := range jobs {
			o := &jobs[i].opts
			out := o.Output
			if out == "" {
				id := o.Ident
				if id == "" {
					id = gen.DefaultIdent(jobs[i].args[0])
				}
				out = strings.ToLower(id) + ".go"
			}
			if o.Package, err = packageOf(out); err != nil {
				return err
			}
		}
	}
	opts := make([]gen.Options, len(jobs))
	for i := range jobs {
		opts[i] = jobs[i].opts
	}
	results, err := gen.GenerateMany(opts)
	if err != nil {
		return reportErrors(stderr, err)
	}
	if *strip {
		// Only now: the skeletons came from the objects with DWARF.
		if err := stripObjects(jobs, results, os.Getenv("BPFSKEL_STRIP")); err != nil {
			return reportErrors(stderr, err)
		}
	}
	var files []gen.File
	var rules []gen.MakeDepsRule
	for i, j := range jobs {
		files = append(files, j.objects...)
		files = append(files, results[i]...)
		if len(j.deps) > 0 {
			r := gen.MakeDepsRule{Prereqs: j.deps}
			for _, f := range j.objects {
				r.Targets = append(r.Targets, f.Path)
			}
			for _, f := range results[i] {
				r.Targets = append(r.Targets, f.Path)
			}
			rules = append(rules, r)
		}
	}
	if makeDeps != "" {
		var b bytes.Buffer
		if err := gen.WriteMakeDeps(&b, rules); err != nil {
			return err
		}
		files = append(files, gen.File{Path: makeDeps, Data: b.Bytes()})
	}

	// Another skeleton of the package declaring the same name breaks the
	// build: say why and what to do (a warning: the files are still
	// written, since the other one may be the file to remove).
	if err := gen.CheckSiblings(files); err != nil {
		fmt.Fprintf(stderr, "bpfskel: warning: %s\n", errorLine(err.Error()))
	}
	if *check {
		return checkFiles(stdout, stderr, files, &in)
	}
	// Never overwrite an input: the objects, the sources and what the
	// compiler read.
	inputs := slices.Clone(fs.Args())
	for _, j := range jobs {
		inputs = append(inputs, j.args...)
		inputs = append(inputs, j.deps...)
	}
	return writeFiles(files, inputs)
}

// genJob is one skeleton to generate: its options, the command line
// arguments it comes from, and, for a C source, the compiled objects to
// write and the files the compiler read.
type genJob struct {
	opts    gen.Options
	args    []string
	targets []gen.Target // of args, for prebuilt objects per GOARCH
	objects []gen.File
	deps    []string
}

// compileConfig is how C sources are compiled.
type compileConfig struct {
	cc      string
	cflags  []string
	targets []gen.Target
	stderr  io.Writer
	in      *inputReader // reads object arguments
}

// stripObjects replaces the objects gen writes for jobs (compiled, or
// among results: linked, or copied next to the output) with their
// stripped versions, at most GOMAXPROCS at a time. It returns the first
// error of each job that has one, and an error if gen writes no object:
// objects embedded where they are stay as they are.
func stripObjects(jobs []genJob, results [][]gen.File, tool string) error {
	var objs []*gen.File
	var jobOf []int
	for i := range jobs {
		for k := range jobs[i].objects {
			objs = append(objs, &jobs[i].objects[k])
			jobOf = append(jobOf, i)
		}
		for k := range results[i] {
			if !strings.HasSuffix(results[i][k].Path, ".go") {
				objs = append(objs, &results[i][k])
				jobOf = append(jobOf, i)
			}
		}
	}
	if len(objs) == 0 {
		return errors.New("-strip: gen writes no object here (it embeds the objects where they are): strip them yourself, or let gen compile or link them")
	}
	errs := make([]error, len(objs))
	sem := make(chan struct{}, goruntime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for n, f := range objs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			data, err := gen.StripDebug(context.Background(), tool, f.Data)
			if err != nil {
				errs[n] = fmt.Errorf("%s: %w", f.Path, err)
				return
			}
			f.Data = data
		}()
	}
	wg.Wait()
	return firstErrors(len(jobs), errs, func(n int) int { return jobOf[n] })
}

func isCSource(p string) bool { return strings.HasSuffix(p, ".c") }

// prepareJobs fills in each job's objects: it reads object arguments and
// compiles C sources (for every target), at most GOMAXPROCS at a time,
// then links the objects of a job's several sources into one per target.
// Compiler diagnostics go to cfg.stderr as the compiler prints them. It
// returns the first error of each job that has one.
func prepareJobs(jobs []genJob, cfg compileConfig) error {
	type task struct {
		job, slot int
		target    *gen.Target // nil for an object to read
		src       int         // the argument to compile, for a target
	}
	var tasks []task
	compiled := make([][][][]byte, len(jobs)) // [job][target][source]
	for i := range jobs {
		j := &jobs[i]
		if isCSource(j.args[0]) {
			if j.opts.Ident == "" {
				j.opts.Ident = gen.DefaultIdent(j.args[0])
			}
			if j.opts.Output == "" {
				j.opts.Output = strings.ToLower(j.opts.Ident) + ".go"
			}
			j.opts.Objects = make([]gen.Input, len(cfg.targets))
			j.objects = make([]gen.File, len(cfg.targets))
			compiled[i] = make([][][]byte, len(cfg.targets))
			for k := range cfg.targets {
				compiled[i][k] = make([][]byte, len(j.args))
				for s := range j.args {
					tasks = append(tasks, task{i, k, &cfg.targets[k], s})
				}
			}
			continue
		}
		j.opts.Objects = make([]gen.Input, len(j.args))
		for k := range j.args {
			tasks = append(tasks, task{job: i, slot: k})
		}
	}
	errs := make([]error, len(tasks))
	deps := make([][]string, len(tasks))
	sem := make(chan struct{}, goruntime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	var mu sync.Mutex // serializes compiler diagnostics
	for n, tk := range tasks {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			j := &jobs[tk.job]
			if tk.target == nil {
				p := j.args[tk.slot]
				data, err := cfg.in.read(p)
				j.opts.Objects[tk.slot] = gen.Input{Path: p, Data: data}
				if j.targets != nil {
					j.opts.Objects[tk.slot].GOARCHes = j.targets[tk.slot].GOARCHes
				}
				errs[n] = err
				return
			}
			var diag bytes.Buffer
			c, err := gen.Compile(context.Background(), gen.CompileOptions{
				CC: cfg.cc, CFlags: cfg.cflags, Source: j.args[tk.src], Target: tk.target.Clang, Arch: tk.target.Arch, Stderr: &diag,
			})
			mu.Lock()
			cfg.stderr.Write(diag.Bytes())
			mu.Unlock()
			if err != nil {
				errs[n] = err
				return
			}
			compiled[tk.job][tk.slot][tk.src] = c.Object
			deps[n] = c.Deps
		}()
	}
	wg.Wait()
	for n, tk := range tasks {
		jobs[tk.job].deps = append(jobs[tk.job].deps, deps[n]...)
	}
	if err := firstErrors(len(jobs), errs, func(n int) int { return tasks[n].job }); err != nil {
		return err
	}
	var linkErrs []error
	for i := range jobs {
		if compiled[i] != nil {
			linkErrs = append(linkErrs, linkCompiled(&jobs[i], cfg.targets, compiled[i]))
		}
	}
	return errors.Join(linkErrs...)
}

// linkCompiled sets j's object for each target: the one source's object,
// or the objects of its sources linked in argument order (as bpfskel link
// and bpftool gen object do); objs[target][source] holds them.
func linkCompiled(j *genJob, targets []gen.Target, objs [][][]byte) error {
	for k, t := range targets {
		data := objs[k][0]
		if len(j.args) > 1 {
			var ins []linker.Input
			for s, src := range j.args {
				ins = append(ins, linker.Input{Name: src, Data: objs[k][s]})
			}
			var err error
			if data, err = linker.Link(ins); err != nil {
				return fmt.Errorf("%s: %w", strings.Join(j.args, ", "), err)
			}
		}
		p := gen.ObjectPath(j.opts.Output, t.Suffix())
		j.opts.Objects[k] = gen.Input{Path: p, Data: data, GOARCHes: t.GOARCHes}
		j.objects[k] = gen.File{Path: p, Data: data}
	}
	return nil
}

// checkFiles compares files with what is on disk, prints a unified diff
// for each that differs, and returns exit status 1 if any does.
func checkFiles(stdout, stderr io.Writer, files []gen.File, in *inputReader) error {
	stale := 0
	for _, f := range files {
		// What gen would refuse to write is not up to date, whatever it
		// points to.
		if fi, err := os.Lstat(f.Path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s: is a symbolic link, which gen does not write through (name its target, or remove it)", f.Path)
		}
		old, err := in.read(f.Path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(stderr, "bpfskel gen -check: %s does not exist\n", f.Path)
			stale++
			continue
		case err != nil:
			return err
		case bytes.Equal(old, f.Data):
			continue
		}
		stale++
		if bytes.IndexByte(f.Data, 0) >= 0 || bytes.IndexByte(old, 0) >= 0 {
			fmt.Fprintf(stderr, "bpfskel gen -check: %s is stale (binary: no diff)\n", f.Path)
			continue
		}
		fmt.Fprintf(stderr, "bpfskel gen -check: %s is stale\n", f.Path)
		if _, err := stdout.Write(diff.Diff(f.Path, old, f.Path+" (generated)", f.Data)); err != nil {
			return err
		}
	}
	if stale > 0 {
		fmt.Fprintln(stderr, "bpfskel gen -check: run bpfskel gen to update")
		return exitError{code: 1}
	}
	return nil
}

// splitFlags splits s into words the way a POSIX shell would, without
// expansions: blanks separate words; 'single quotes' keep everything
// literally; "double quotes" keep everything but \" \\ \$ \` (backslash
// escapes); outside quotes a backslash keeps the next character literally.
func splitFlags(s string) ([]string, error) {
	var (
		words []string
		cur   strings.Builder
		in    bool // inside a word (even an empty one, like '')
	)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if in {
				words = append(words, cur.String())
				cur.Reset()
				in = false
			}
		case c == '\\':
			if i+1 == len(s) {
				return nil, errors.New("trailing backslash")
			}
			i++
			if s[i] != '\n' { // backslash-newline joins lines
				cur.WriteByte(s[i])
				in = true
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated ' quote")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			in = true
		case c == '"':
			in = true
			for i++; ; i++ {
				if i == len(s) {
					return nil, errors.New(`unterminated " quote`)
				}
				if s[i] == '"' {
					break
				}
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		words = append(words, cur.String())
	}
	return words, nil
}
