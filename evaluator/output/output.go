// Package output writes result documents in the formats people and CI
// systems read. Each format is one file behind the Outputter interface and
// one line in the registry below.
package output

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// Options tune an Outputter.
type Options struct {
	// Lang is the language of the labels: "zh" (default) or "en".
	Lang string
	// Catalog is the ruleset's catalogue, for formats that list rules.
	Catalog *ruleset.Catalog
	// Version is budgetcheck's version, for formats that name the tool.
	Version string
	// Width is the text's line width (0: DefaultWidth).
	Width int
}

// Outputter writes the results of one run.
type Outputter interface {
	Write(w io.Writer, docs []*result.Document) error
}

var registry = map[string]func(Options) Outputter{
	"text":     func(o Options) Outputter { return &Text{Lang: o.Lang, Width: o.Width} },
	"json":     func(o Options) Outputter { return &JSON{} },
	"sarif":    func(o Options) Outputter { return &SARIF{Version: o.Version, Lang: o.Lang, Catalog: o.Catalog} },
	"junit":    func(o Options) Outputter { return &JUnit{Lang: o.Lang, Catalog: o.Catalog} },
	"github":   func(o Options) Outputter { return &GitHub{Lang: o.Lang} },
	"markdown": func(o Options) Outputter { return &Markdown{Lang: o.Lang} },
}

// Get returns the outputter for format.
func Get(format string, opts Options) (Outputter, error) {
	f, ok := registry[format]
	if !ok {
		return nil, fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats(), ", "))
	}
	return f(opts), nil
}

// Formats lists the format names, sorted.
func Formats() []string {
	names := make([]string, 0, len(registry))
	for k := range registry {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
