package commands_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator/summary"
)

func TestBatchExitCodesAndOutputs(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.yaml")
	os.WriteFile(corrupt, []byte("project: [\n"), 0o644)
	for _, tc := range []struct {
		name  string
		files []string
		code  int
	}{
		{"a clean submission passes", []string{"../../../fixtures/clean-100/submission.yaml"}, commands.ExitOK},
		{"the seed fails the policy", []string{"../../../fixtures/clean-100/submission.yaml", "../../../fixtures/qingbaijiang-2021/submission.yaml"}, commands.ExitFail},
		{"an unreadable file wins", []string{"../../../fixtures/qingbaijiang-2021/submission.yaml", corrupt}, commands.ExitInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			stdout, stderr, code := run(t, append([]string{"batch", "--quiet", "--out", out}, tc.files...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, stdout, stderr)
			}
			for _, name := range []string{summary.XLSXName, summary.CSVName, summary.MDName} {
				if _, err := os.Stat(filepath.Join(out, name)); err != nil {
					t.Errorf("%s not written: %v", name, err)
				}
			}
			if !strings.Contains(stdout, "个项目") {
				t.Errorf("no report on stdout: %q", stdout)
			}
		})
	}
}

func TestBatchUsage(t *testing.T) {
	if _, _, code := run(t, "batch", "../../../fixtures/clean-100"); code != commands.ExitInput {
		t.Errorf("batch without --out: exit %d, want 2", code)
	}
	if _, _, code := run(t, "batch", "--out", t.TempDir(), "no-such-dir"); code != commands.ExitInput {
		t.Errorf("batch of a missing path: exit %d, want 2", code)
	}
}

func TestInspectPrintsTheInputDocument(t *testing.T) {
	stdout, stderr, code := run(t, "inspect", "--input", "../../../fixtures/qingbaijiang-2021/submission.yaml")
	if code != commands.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Schema     string `json:"schema"`
		FiscalYear int    `json:"fiscal_year"`
		Project    struct {
			RequestedFen int64 `json:"requested_fen"`
		} `json:"project"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "budgetcheck.input/v1" || doc.FiscalYear != 2021 || doc.Project.RequestedFen != 256_204_000 {
		t.Errorf("input document %+v; want budgetcheck.input/v1, 2021, 256.204万元 = 256204000 fen", doc)
	}
	if _, _, code := run(t, "inspect", "--input", "../../../fixtures/no-such.yaml"); code != commands.ExitInput {
		t.Errorf("inspect of a missing file: exit %d, want 2", code)
	}
}
