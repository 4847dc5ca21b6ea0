// Package baseline compares a result document with an earlier one (the
// result of a previous submission, --baseline previous.json): each finding
// is new or unchanged, and the earlier findings that are gone are resolved.
// Findings are matched by code and subject, never by line, so that a
// corrected resubmission whose lines moved still matches.
package baseline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// Load reads a baseline: a result document (--format json) or an array of
// them, as budgetcheck writes for several files.
func Load(path string) ([]*result.Document, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %w", err)
	}
	data = bytes.TrimSpace(data)
	var docs []*result.Document
	if bytes.HasPrefix(data, []byte("[")) {
		err = json.Unmarshal(data, &docs)
	} else {
		var d result.Document
		err = json.Unmarshal(data, &d)
		docs = []*result.Document{&d}
	}
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: not a budgetcheck result document: %w", path, err)
	}
	for i, d := range docs {
		if d == nil || d.Schema != result.Schema {
			return nil, fmt.Errorf("--baseline %s: document %d is not a %s document", path, i+1, result.Schema)
		}
	}
	return docs, nil
}

// For picks the baseline document of doc among docs: the one of the same
// file, else the one of the same project (name, budget unit, fiscal year),
// else the only one. It returns nil when none fits.
func For(doc *result.Document, docs []*result.Document) *result.Document {
	for _, b := range docs {
		if b.File == doc.File {
			return b
		}
	}
	for _, b := range docs {
		if b.Project.Name != "" && b.Project == doc.Project {
			return b
		}
	}
	if len(docs) == 1 {
		return docs[0]
	}
	return nil
}

// key identifies a finding across submissions.
type key struct{ code, subject string }

// Compare marks each finding of doc new or unchanged against base and sets
// doc.Resolved to the findings of base that doc no longer has. Repeated
// findings of the same code and subject are matched one for one. A nil base
// makes every finding new.
func Compare(doc, base *result.Document) {
	left := map[key]int{}
	if base != nil {
		for _, f := range base.Findings {
			left[key{f.Code, f.Subject}]++
		}
	}
	for i := range doc.Findings {
		f := &doc.Findings[i]
		k := key{f.Code, f.Subject}
		if left[k] > 0 {
			left[k]--
			f.Baseline = result.Unchanged
		} else {
			f.Baseline = result.New
		}
	}
	doc.Resolved = nil
	if base == nil {
		return
	}
	// Walk the baseline backwards so that, of repeated findings, the last
	// ones are the resolved ones; then restore the baseline's order.
	var resolved []result.Finding
	for i := len(base.Findings) - 1; i >= 0; i-- {
		f := base.Findings[i]
		k := key{f.Code, f.Subject}
		if left[k] > 0 {
			left[k]--
			f.Baseline = ""
			resolved = append(resolved, f)
		}
	}
	for i, j := 0, len(resolved)-1; i < j; i, j = i+1, j-1 {
		resolved[i], resolved[j] = resolved[j], resolved[i]
	}
	doc.Resolved = resolved
}

// New counts the unwaived findings of doc marked new, by severity.
func New(doc *result.Document) map[string]int {
	n := map[string]int{}
	for _, f := range doc.Findings {
		if f.Baseline == result.New && f.Waived == nil {
			n[f.Severity]++
		}
	}
	return n
}
