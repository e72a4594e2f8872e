package main

import (
	"errors"
	"io"

	"github.com/bpfskel/bpfskel/gen"
	"github.com/bpfskel/bpfskel/internal/atomicfile"
)

// writeFiles writes files all or nothing (see [atomicfile.WriteFiles]):
// symbolic links are followed and their targets replaced, and a file that
// is one of inputs (the same file, by any name) is refused.
func writeFiles(files []gen.File, inputs []string) error {
	af := make([]atomicfile.File, len(files))
	for i, f := range files {
		af[i] = atomicfile.File{Path: f.Path, Data: f.Data}
	}
	return atomicfile.WriteFiles(af, 0o644, inputs)
}

// reportErrors returns err for main to print when it is one error. Several
// (errors joined by errors.Join, one per failed skeleton or object) are
// printed here, one line each with its own "bpfskel: " prefix (see
// [printError]), and exit status 1 is returned.
func reportErrors(stderr io.Writer, err error) error {
	errs := flattenErrors(err)
	if len(errs) == 1 {
		return errs[0]
	}
	for _, e := range errs {
		printError(stderr, e)
	}
	return exitError{code: 1}
}

// flattenErrors returns the errors that errors.Join joined into err
// (recursively), or err alone.
func flattenErrors(err error) []error {
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var errs []error
	for _, e := range j.Unwrap() {
		errs = append(errs, flattenErrors(e)...)
	}
	return errs
}

// firstErrors returns the first error of each job, given errs and the job
// each belongs to, in job order, joined.
func firstErrors(nJobs int, errs []error, job func(i int) int) error {
	first := make([]error, nJobs)
	for i, err := range errs {
		if j := job(i); err != nil && first[j] == nil {
			first[j] = err
		}
	}
	return errors.Join(first...)
}
