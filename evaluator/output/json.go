package output

import (
	"encoding/json"
	"io"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// JSON writes the result document: one object for one file, an array for several.
type JSON struct{}

// errorDocument is the result document of a submission that did not load or
// could not be evaluated: what went wrong and nothing else, not a zeroed
// score that a consumer could take for a result.
type errorDocument struct {
	Schema string               `json:"schema"`
	File   string               `json:"file"`
	Errors []submission.Problem `json:"errors"`
}

func (JSON) Write(w io.Writer, docs []*result.Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	out := make([]any, len(docs))
	for i, d := range docs {
		out[i] = d
		if len(d.Errors) > 0 {
			out[i] = errorDocument{Schema: d.Schema, File: d.File, Errors: d.Errors}
		}
	}
	if len(out) == 1 {
		return enc.Encode(out[0])
	}
	return enc.Encode(out)
}
