package impact

import (
	"fmt"
	"io"
	"strings"
)

// Format writes a report.
type Format interface {
	Write(w io.Writer, r *Report) error
}

// FormatOptions tune the formats.
type FormatOptions struct {
	Lang string
	// List is the most changed projects the text and Markdown reports list
	// (0: all); JSON and xlsx list every one.
	List int
}

var formats = map[string]func(FormatOptions) Format{
	"text":     func(o FormatOptions) Format { return Text{Lang: o.Lang, List: o.List} },
	"markdown": func(o FormatOptions) Format { return Markdown{Lang: o.Lang, List: o.List} },
	"json":     func(FormatOptions) Format { return JSON{} },
	"xlsx":     func(o FormatOptions) Format { return XLSX{Lang: o.Lang} },
}

// Formats are the names Get knows, in the order the help lists them.
var Formats = []string{"text", "markdown", "json", "xlsx"}

// Get returns the format called name.
func Get(name string, o FormatOptions) (Format, error) {
	f, ok := formats[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q: use %s", name, strings.Join(Formats, ", "))
	}
	return f(o), nil
}

// Binary reports whether a format writes bytes that do not belong on a
// terminal (it needs an --output file).
func Binary(name string) bool { return name == "xlsx" }
