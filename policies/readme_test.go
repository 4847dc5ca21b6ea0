package policies_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/derive"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// TestReadmeInputTable keeps README's "The input document" table in sync
// with evaluator/derive: every field derive gives the rules for the
// fixtures is listed under its object, and every field listed under an
// object the fixtures have exists.
func TestReadmeInputTable(t *testing.T) {
	documented := readmeInputTable(t)
	derived := map[string]map[string]bool{}
	err := filepath.WalkDir("../fixtures", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "submission.yaml" {
			return err
		}
		sub, err := submission.Load(p, submission.Options{})
		if err != nil {
			return nil // the invalid-input corpus
		}
		doc, err := derive.Input(sub)
		if err != nil {
			return nil
		}
		bs, err := json.Marshal(doc)
		if err != nil {
			return err
		}
		var v any
		if err := json.Unmarshal(bs, &v); err != nil {
			return err
		}
		collectFields("input", v, derived)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(derived["contracts[]"]) == 0 || len(derived["targets[]"]) == 0 {
		t.Fatalf("no fixture gave contracts and targets: %v", derived)
	}
	for _, object := range sortedKeys(derived) {
		for _, field := range sortedKeys(derived[object]) {
			if !documented[object][field] {
				t.Errorf("README's input table does not list `%s` under `%s`", field, object)
			}
		}
		for field := range documented[object] {
			if !derived[object][field] {
				t.Errorf("README's input table lists `%s` under `%s`, which derive does not give", field, object)
			}
		}
	}
}

// collectFields records, for each object of the document, its field names.
// The top level is "input", arrays add "[]", user-named maps are not entered.
func collectFields(object string, v any, out map[string]map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		if out[object] == nil {
			out[object] = map[string]bool{}
		}
		for k, x := range v {
			out[object][k] = true
			if k == "quantities" {
				continue
			}
			child := k
			if object != "input" {
				child = object + "." + k
			}
			collectFields(child, x, out)
		}
	case []any:
		for _, x := range v {
			collectFields(object+"[]", x, out)
		}
	}
}

var backticked = regexp.MustCompile("`([^`]+)`")

// readmeInputTable reads the table under "### The input document" of the
// "## Writing policies" section: object → fields.
func readmeInputTable(t *testing.T) map[string]map[string]bool {
	t.Helper()
	bs, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(bs)
	start := strings.Index(text, "### The input document")
	if start < 0 {
		t.Fatal("README.md has no \"### The input document\" section")
	}
	text = text[start:]
	if end := strings.Index(text[1:], "\n#"); end > 0 {
		text = text[:end+1]
	}
	table := map[string]map[string]bool{}
	for _, line := range strings.Split(text, "\n") {
		cells := strings.Split(line, " | ")
		if !strings.HasPrefix(line, "| `") || len(cells) < 2 {
			continue
		}
		fields := map[string]bool{}
		for _, m := range backticked.FindAllStringSubmatch(cells[1], -1) {
			fields[m[1]] = true
		}
		for _, m := range backticked.FindAllStringSubmatch(cells[0], -1) {
			table[m[1]] = fields
		}
	}
	if len(table) == 0 {
		t.Fatal("README's input table is empty")
	}
	return table
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
