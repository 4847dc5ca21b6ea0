package evaluator_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// fixtureSubmissions lists every fixtures/**/submission.yaml.
func fixtureSubmissions(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir("../fixtures", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "submission.yaml" {
			files = append(files, path)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	return files
}

// resultJSON is what `check --format json` writes for file.
func resultJSON(t *testing.T, e *evaluator.Engine, file string) []byte {
	sub, err := submission.Load(file, submission.Options{})
	if err != nil {
		t.Errorf("%s: %v", file, err)
		return nil
	}
	doc, err := e.Evaluate(context.Background(), sub)
	if err != nil {
		t.Errorf("%s: %v", file, err)
		return nil
	}
	out, err := output.Get("json", output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := out.Write(&b, []*result.Document{doc}); err != nil {
		t.Errorf("%s: %v", file, err)
	}
	return b.Bytes()
}

// TestResultsAreDeterministic: the JSON result of every fixture is the same
// bytes on every run, from a second engine compiled afresh (other map
// orders), and from many goroutines sharing one engine at once.
func TestResultsAreDeterministic(t *testing.T) {
	files := fixtureSubmissions(t)
	shared := engine(t)
	want := map[string][]byte{}
	for _, file := range files {
		want[file] = resultJSON(t, shared, file)
	}
	check := func(how, file string, got []byte) {
		t.Helper()
		if !bytes.Equal(got, want[file]) {
			t.Errorf("%s: %s gives different bytes (%d vs %d)", file, how, len(got), len(want[file]))
		}
	}
	for run := range 3 {
		for _, file := range files {
			check(fmt.Sprintf("run %d", run+2), file, resultJSON(t, shared, file))
		}
	}
	fresh, err := newEngine(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		check("a fresh engine", file, resultJSON(t, fresh, file))
	}

	const goroutines = 6
	got := make([]map[string][]byte, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		got[g] = map[string][]byte{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range files {
				// each goroutine walks the fixtures from a different start
				file := files[(i+g)%len(files)]
				got[g][file] = resultJSON(t, shared, file)
			}
		}()
	}
	wg.Wait()
	for g := range goroutines {
		for _, file := range files {
			check("a concurrent evaluation", file, got[g][file])
		}
	}
}

// TestBatchWorkersAreDeterministic: `batch` writes the same bytes (results,
// CSV, Markdown and the xlsx workbook) with one worker and with four.
func TestBatchWorkersAreDeterministic(t *testing.T) {
	files := fixtureSubmissions(t)
	run := func(workers string) map[string][]byte {
		out := t.TempDir()
		var stdout, stderr bytes.Buffer
		args := append([]string{"batch", "--quiet", "--workers", workers, "--out", out}, files...)
		if code := commands.Main(args, &stdout, &stderr); code > commands.ExitFail {
			t.Fatalf("batch --workers %s: exit %d\n%s", workers, code, stderr.String())
		}
		written := map[string][]byte{}
		err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(out, path)
			written[rel], err = os.ReadFile(path)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return written
	}
	one, four := run("1"), run("4")
	if len(one) < len(files) {
		t.Fatalf("batch wrote %d files for %d submissions", len(one), len(files))
	}
	for name, want := range one {
		if got, ok := four[name]; !ok || !bytes.Equal(got, want) {
			t.Errorf("%s differs between --workers 1 and --workers 4", name)
		}
	}
	if len(four) != len(one) {
		t.Errorf("--workers 1 wrote %d files, --workers 4 wrote %d", len(one), len(four))
	}
}
