package output

import (
	"encoding/json"
	"io"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// JSON writes the result document: one object for one file, an array for several.
type JSON struct{}

func (JSON) Write(w io.Writer, docs []*result.Document) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if len(docs) == 1 {
		return enc.Encode(docs[0])
	}
	return enc.Encode(docs)
}
