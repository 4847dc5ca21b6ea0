package batch

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
	"github.com/budgetcheck/budgetcheck/policies"
)

var (
	engineOnce sync.Once
	engine     *evaluator.Engine
	engineErr  error
)

func testEngine(t testing.TB) *evaluator.Engine {
	t.Helper()
	engineOnce.Do(func() {
		var rs *ruleset.Ruleset
		rs, engineErr = ruleset.Load([]ruleset.Source{{FS: policies.FS, Dir: policies.Default, Display: "embedded"}}, nil)
		if engineErr == nil {
			engine, engineErr = evaluator.New(context.Background(), rs, evaluator.Options{})
		}
	})
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	return engine
}

// inputs copies the fixtures into a folder, several times over, with a
// corrupt file in the middle; it returns the folder, relative to the working
// directory so that paths in the outputs do not depend on the temp dir.
func inputs(t *testing.T, copies int) string {
	t.Helper()
	dir := t.TempDir()
	seed, err := os.ReadFile("../../fixtures/qingbaijiang-2021/submission.yaml")
	if err != nil {
		t.Fatal(err)
	}
	clean, err := os.ReadFile("../../fixtures/clean-100/submission.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i := range copies {
		sub := filepath.Join(dir, fmt.Sprintf("d%d", i%3))
		os.MkdirAll(sub, 0o755)
		os.WriteFile(filepath.Join(sub, fmt.Sprintf("seed-%02d.yaml", i)), seed, 0o644)
		os.WriteFile(filepath.Join(sub, fmt.Sprintf("clean-%02d.yml", i)), clean, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "d1", "m-corrupt.yaml"), []byte("schema: budgetcheck/v1\nproject: [\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "d1", "notes.txt"), []byte("not a submission"), 0o644)
	return dir
}

func run(t *testing.T, ctx context.Context, in []string, out string, workers int, progress func(int)) Stats {
	t.Helper()
	w, err := summary.Create(out, "zh")
	if err != nil {
		t.Fatal(err)
	}
	st, err := Run(ctx, testEngine(t), in, Options{Workers: workers, OutDir: out, Progress: progress}, func(it Item) error {
		for _, r := range it.Rows {
			if err := w.Add(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(summary.Status{Inputs: st.Done, Total: st.Inputs, Partial: st.Done < st.Inputs}); err != nil {
		t.Fatal(err)
	}
	return st
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			bs, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			files[rel] = bs
		}
		return err
	})
	return files
}

func TestExpand(t *testing.T) {
	dir := inputs(t, 3)
	got, err := Expand([]string{dir, filepath.Join(dir, "d0", "seed-*.yaml")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 {
		t.Fatalf("%d inputs, want 6 submissions and the corrupt one (the glob adds nothing new): %v", len(got), got)
	}
	for i := 1; i < len(got); i++ {
		if got[i-1] >= got[i] {
			t.Errorf("inputs not sorted: %s before %s", got[i-1], got[i])
		}
	}
	if _, err := Expand([]string{filepath.Join(dir, "nothing-*.yaml")}, nil); err == nil {
		t.Error("a glob that matches nothing is not an error")
	}
}

// A corrupt file in the middle becomes an error row; the others are
// evaluated, and the output is the same byte for byte with 1 or 4 workers.
func TestRunErrorRowAndWorkersInvariance(t *testing.T) {
	in, err := Expand([]string{inputs(t, 6)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out1, out4 := t.TempDir(), t.TempDir()
	st := run(t, context.Background(), in, out1, 1, nil)
	run(t, context.Background(), in, out4, 4, nil)
	if st.Done != 13 || st.Submissions != 13 || st.Code != CodeInput || st.Interrupted {
		t.Errorf("stats %+v; want 13 done, code 2 (one file unreadable)", st)
	}
	a, b := readTree(t, out1), readTree(t, out4)
	if len(a) != 13+3 {
		t.Errorf("%d files written, want 13 results and 3 summaries", len(a))
	}
	for name, bs := range a {
		if !bytes.Equal(bs, b[name]) {
			t.Errorf("%s differs between 1 and 4 workers", name)
		}
	}
	csv := string(a[summary.CSVName])
	if !strings.Contains(csv, "m-corrupt.yaml") || !strings.Contains(csv, "yaml_syntax") {
		t.Errorf("no error row for the corrupt file:\n%s", csv)
	}
	// 6 × the seed (256.204 → 222.445) and 6 × clean-100 (62.4, unchanged).
	if !strings.Contains(csv, "合计,,,,13 个项目（1 个无法评估，6 个未通过）,,1911.624,1709.07,-202.554,") {
		t.Errorf("totals row wrong:\n%s", csv)
	}
	res := a[filepath.Join(ResultsDir, ResultPath("", in[0], 0, 1))]
	if !bytes.Contains(res, []byte(`"schema": "budgetcheck.result/v1"`)) {
		t.Errorf("result document of %s missing or wrong: %.200s", in[0], res)
	}
}

// Ctrl-C: no new input starts, those in flight finish, the rows are a prefix
// of the inputs and the summary says it is partial.
func TestRunInterrupted(t *testing.T) {
	in, err := Expand([]string{inputs(t, 10)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	out := t.TempDir()
	st := run(t, ctx, in, out, 2, func(done int) {
		if done == 3 {
			cancel()
		}
	})
	if !st.Interrupted || st.Done < 3 || st.Done >= st.Inputs {
		t.Fatalf("stats %+v; want interrupted after at least 3 of %d", st, len(in))
	}
	md, _ := os.ReadFile(filepath.Join(out, summary.MDName))
	if want := fmt.Sprintf("已处理 %d / %d 个输入文件", st.Done, len(in)); !strings.Contains(string(md), want) {
		t.Errorf("summary.md does not say %q:\n%s", want, md)
	}
	for _, p := range in[:st.Done] {
		if _, err := os.Stat(ResultPath(filepath.Join(out, ResultsDir), p, 0, 1)); err != nil {
			t.Errorf("finished input %s has no result: %v", p, err)
		}
	}
}

func TestResultPathStaysInside(t *testing.T) {
	for in, want := range map[string]string{
		"a/b.yaml":     "out/a/b.yaml.json",
		"/abs/c.yaml":  "out/abs/c.yaml.json",
		"../up/d.yaml": "out/__/up/d.yaml.json",
		"./e.json":     "out/e.json.json",
	} {
		if got := filepath.ToSlash(ResultPath("out", in, 0, 1)); got != want {
			t.Errorf("ResultPath(%s) = %s, want %s", in, got, want)
		}
	}
	if got := filepath.ToSlash(ResultPath("out", "book.xlsx", 1, 3)); got != "out/book.xlsx.2.json" {
		t.Errorf("second submission of a workbook: %s", got)
	}
}

// A folder holds more than submissions: expected results and CI settings
// beside them are passed over, a file named on the command line is not.
func TestExpandSkipsFilesWithoutTheSchema(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"a/submission.yaml": "schema: budgetcheck/v1\nproject: {}\n",
		"a/expected.json":   `{"score": {"total": "70.13"}}`,
		"b/broken.yaml":     "schema: budgetcheck/v1\nproject: [\n",
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := Expand([]string{dir, filepath.Join(dir, "a", "expected.json")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"a/expected.json", "a/submission.yaml", "b/broken.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("Expand gave %v, want %v", got, want)
	}
}
