package commands_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
)

// TestOutputFolders: one rule for every command that writes: a missing
// folder is made; one that cannot be made is exit 2, found at once (before
// the evaluation), without a temporary file's name.
func TestOutputFolders(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"check", "-f", "json", "-o", filepath.Join(dir, "a", "b", "result.json"), seed},
		{"report", "-o", filepath.Join(dir, "c", "report.html"), seed},
		{"schedule", "-o", filepath.Join(dir, "d", "table.txt"), seed},
	} {
		_, stderr, code := run(t, args...)
		if code == commands.ExitInput || code == commands.ExitInternal {
			t.Errorf("%v: exit %d\n%s", args, code, stderr)
		}
		if _, err := os.Stat(args[len(args)-2]); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"check", "-f", "json", "-o", filepath.Join(blocker, "result.json"), seed},
		{"report", "-o", filepath.Join(blocker, "report.html"), seed},
		{"schedule", "-o", filepath.Join(blocker, "table.txt"), seed},
		{"batch", "--quiet", "--out", filepath.Join(blocker, "out"), seed},
		{"import", "xlsx", "-o", filepath.Join(blocker, "out"), formBook},
	} {
		start := time.Now()
		_, stderr, code := run(t, args...)
		if code != commands.ExitInput || strings.Contains(stderr, ".tmp") || !strings.Contains(stderr, blocker) {
			t.Errorf("%v: exit %d, want 2 naming the folder\n%s", args, code, stderr)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%v: refused after %v: found late", args, took)
		}
	}
}

// TestInspectTakesTheFileAsArgument: inspect FILE, as every other command.
func TestInspectTakesTheFileAsArgument(t *testing.T) {
	byArg, _, code := run(t, "inspect", seed)
	byFlag, _, code2 := run(t, "inspect", "--input", seed)
	if code != 0 || code2 != 0 || byArg != byFlag || !strings.Contains(byArg, `"schema": "budgetcheck.input/v1"`) {
		t.Errorf("inspect FILE: exit %d, --input: exit %d; the same document: %v", code, code2, byArg == byFlag)
	}
	if _, stderr, code := run(t, "inspect"); code != commands.ExitInput || !strings.Contains(stderr, "inspect FILE") {
		t.Errorf("inspect without a file: exit %d, %q", code, stderr)
	}
}

// TestImportDefaultFolder: without -o the submissions go into a folder
// named after the workbook, beside it, not into the working directory.
func TestImportDefaultFolder(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "2022年申报表.xlsx")
	data, err := os.ReadFile(formBook)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(book, data, 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	before, _ := os.ReadDir(wd)
	_, stderr, code := run(t, "import", "xlsx", book)
	if code != commands.ExitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	written, _ := filepath.Glob(filepath.Join(dir, "2022年申报表", "*.yaml"))
	if len(written) != 8 {
		t.Errorf("%d submissions beside the workbook, want 8", len(written))
	}
	if after, _ := os.ReadDir(wd); len(after) != len(before) {
		t.Errorf("import wrote into the working directory")
	}
}

// TestErrorDocumentOnlyErrors: the JSON of a file that does not load holds
// schema, file and errors only, in the run's language; a timeout is an
// evaluation error, printed once, not under 输入错误.
func TestErrorDocumentOnlyErrors(t *testing.T) {
	out, _, code := run(t, "check", "-f", "json", "../../../fixtures/invalid/amount-negative.yaml")
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if code != commands.ExitInput || len(doc) != 3 || doc["schema"] == nil || doc["file"] == nil || doc["errors"] == nil {
		t.Errorf("exit %d, document %v: want only schema, file and errors", code, doc)
	}
	if !strings.Contains(out, "不是有效金额") {
		t.Errorf("the message is not in Chinese:\n%s", out)
	}
	out, stderr, code := run(t, "check", "--timeout", "1ns", seed)
	if code != commands.ExitInternal || strings.Contains(out, "输入错误") || !strings.Contains(out, "评估失败") ||
		strings.Count(out, "submission.yaml") != 2 || !strings.Contains(out, "targets") {
		t.Errorf("--timeout 1ns: exit %d\n%s\n%s", code, out, stderr)
	}
}
