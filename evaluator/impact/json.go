package impact

import (
	"encoding/json"
	"io"
)

// JSON writes the report as one JSON document (schema budgetcheck.impact/v1),
// every changed project listed.
type JSON struct{}

func (JSON) Write(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
