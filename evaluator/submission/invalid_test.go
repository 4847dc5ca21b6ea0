package submission_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

var update = flag.Bool("update", false, "rewrite the invalid corpus' sidecars from what the loader reports (review the diff!)")

const corpus = "../../fixtures/invalid"

// expectedProblem is one problem a corpus file must report. Contains, when
// set, must appear in the message (a "did you mean", the encoding's name …).
type expectedProblem struct {
	Code     string `json:"code"`
	Path     string `json:"path,omitempty"`
	Line     int    `json:"line"`
	Contains string `json:"contains,omitempty"`
}

type sidecar struct {
	// Why says what the case is about.
	Why      string            `json:"why"`
	Problems []expectedProblem `json:"problems"`
}

type corpusCase struct {
	name, file, sidecar string
	want                sidecar
}

func readCorpus(t *testing.T) []corpusCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpus, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpusCase
	for _, file := range files {
		c := corpusCase{name: strings.TrimSuffix(filepath.Base(file), ".yaml"), file: file}
		c.sidecar = strings.TrimSuffix(file, ".yaml") + ".expected.json"
		data, err := os.ReadFile(c.sidecar)
		if err != nil && !*update {
			t.Fatalf("%s has no sidecar: %v", file, err)
		}
		if err == nil {
			if err := json.Unmarshal(data, &c.want); err != nil {
				t.Fatalf("%s: %v", c.sidecar, err)
			}
		}
		cases = append(cases, c)
	}
	if len(cases) < 30 {
		t.Fatalf("the invalid corpus has %d cases, want at least 30", len(cases))
	}
	return cases
}

func gotProblems(ps []submission.Problem) []expectedProblem {
	out := make([]expectedProblem, len(ps))
	for i, p := range ps {
		out[i] = expectedProblem{Code: p.Code, Path: p.Path, Line: p.Pos.Line}
	}
	return out
}

// compareProblems checks got against want: the same codes, paths and lines,
// in the same order (sorted by line), and each expected text in its message.
func compareProblems(t *testing.T, file string, want []expectedProblem, got submission.Problems) {
	t.Helper()
	g := gotProblems(got)
	if len(g) != len(want) {
		t.Errorf("%d problems, want %d:\n got  %v\n want %v", len(g), len(want), g, want)
		return
	}
	for i := range want {
		w := want[i]
		contains := w.Contains
		w.Contains = ""
		if g[i] != w {
			t.Errorf("problem %d is %+v, want %+v", i, g[i], w)
		}
		if contains != "" && !strings.Contains(got[i].Message, contains) {
			t.Errorf("problem %d: message %q does not say %q", i, got[i].Message, contains)
		}
		if got[i].Pos.File != file {
			t.Errorf("problem %d is in file %q, want %q", i, got[i].Pos.File, file)
		}
		if got[i].Message == "" {
			t.Errorf("problem %d has no message", i)
		}
		if got[i].Zh == "" || got[i].In("zh").Message != got[i].Zh || got[i].In("en").Message != got[i].Message {
			t.Errorf("problem %d has no Chinese message (Zh), or In(lang) does not choose it: %+v", i, got[i])
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].Pos.Line < got[i-1].Pos.Line {
			t.Errorf("problems are not sorted by line: %d after %d", got[i].Pos.Line, got[i-1].Pos.Line)
		}
	}
}

func TestInvalidCorpusLoad(t *testing.T) {
	for _, c := range readCorpus(t) {
		t.Run(c.name, func(t *testing.T) {
			sub, err := submission.Load(c.file, submission.Options{})
			var problems submission.Problems
			if !errors.As(err, &problems) {
				t.Fatalf("Load = %v, %v; want Problems", sub, err)
			}
			if *update {
				c.want.Problems = gotProblems(problems)
				writeSidecar(t, c)
				return
			}
			compareProblems(t, c.file, c.want.Problems, problems)
		})
	}
}

func writeSidecar(t *testing.T, c corpusCase) {
	old := sidecar{}
	if data, err := os.ReadFile(c.sidecar); err == nil {
		_ = json.Unmarshal(data, &old)
	}
	for i := range c.want.Problems {
		for _, o := range old.Problems {
			if o.Code == c.want.Problems[i].Code && o.Line == c.want.Problems[i].Line {
				c.want.Problems[i].Contains = o.Contains
			}
		}
	}
	// one problem a line, as the sidecars are written by hand
	why, _ := json.Marshal(c.want.Why)
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"why\": %s,\n  \"problems\": [\n", why)
	for i, p := range c.want.Problems {
		line := fmt.Sprintf(`{"code": %q`, p.Code)
		if p.Path != "" {
			line += fmt.Sprintf(`, "path": %q`, p.Path)
		}
		line += fmt.Sprintf(`, "line": %d`, p.Line)
		if p.Contains != "" {
			contains, _ := json.Marshal(p.Contains)
			line += fmt.Sprintf(`, "contains": %s`, contains)
		}
		line += "}"
		sep := ","
		if i == len(c.want.Problems)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    %s%s\n", line, sep)
	}
	b.WriteString("  ]\n}\n")
	if err := os.WriteFile(c.sidecar, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTooLarge writes a 20 MB submission (not committed) and checks that it
// is refused under the default limit without being parsed.
func TestTooLarge(t *testing.T) {
	file := writeHuge(t)
	_, err := submission.Load(file, submission.Options{})
	var problems submission.Problems
	if !errors.As(err, &problems) {
		t.Fatalf("Load: %v", err)
	}
	compareProblems(t, file, []expectedProblem{{Code: submission.CodeTooLarge, Contains: "--max-bytes"}}, problems)
	seed := "../../fixtures/qingbaijiang-2021/submission.yaml"
	_, err = submission.Load(seed, submission.Options{MaxBytes: 1000})
	if !errors.As(err, &problems) {
		t.Fatalf("Load with a 1000-byte limit: %v", err)
	}
	compareProblems(t, seed, []expectedProblem{{Code: submission.CodeTooLarge}}, problems)
	if _, err := submission.Load(seed, submission.Options{MaxBytes: 1 << 20}); err != nil {
		t.Errorf("the seed does not load under a 1 MB limit: %v", err)
	}
}

func writeHuge(t *testing.T) string {
	file := filepath.Join(t.TempDir(), "huge.yaml")
	var b bytes.Buffer
	b.WriteString("schema: budgetcheck/v1\nproject:\n  name: 大文件\n  budget_unit: 测试单位\n  fiscal_year: 2021\n  requested_total: 1\nbudget_lines:\n")
	for i := 0; b.Len() < 20<<20; i++ {
		fmt.Fprintf(&b, "  - {id: L%d, name: 第%d行, amount: 1}\n", i, i)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestTooManyProblems: a file with thousands of problems lists the first
// thousand by line and says how many more there are.
func TestTooManyProblems(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("schema: budgetcheck/v1\nproject:\n  name: 测试项目\n  budget_unit: 测试单位\n  fiscal_year: 2021\n  requested_total: 1\nbudget_lines:\n")
	for i := range 1500 {
		fmt.Fprintf(&b, "  - {id: L%d, name: 第%d行, amount: -1}\n", i, i)
	}
	_, err := submission.Parse("many.yaml", b.Bytes())
	var problems submission.Problems
	if !errors.As(err, &problems) {
		t.Fatalf("Parse: %v", err)
	}
	if len(problems) != 1001 {
		t.Fatalf("%d problems, want 1000 and one that says how many more", len(problems))
	}
	for i, p := range problems[:1000] {
		if p.Code != submission.CodeInvalidAmount || p.Pos.Line != 8+i {
			t.Fatalf("problem %d: %v", i, p)
		}
	}
	last := problems[1000]
	if last.Code != submission.CodeTooManyProblems || !strings.Contains(last.Message, "500 more") {
		t.Errorf("the last problem is %v", last)
	}
}
