package submission

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem codes: stable, English, listed in the README's "Input errors".
const (
	CodeRead              = "read_error"
	CodeTooLarge          = "file_too_large"
	CodeEncoding          = "encoding"
	CodeSyntax            = "yaml_syntax"
	CodeEmpty             = "empty_document"
	CodeSchema            = "schema_version"
	CodeUnknownField      = "unknown_field"
	CodeDuplicateKey      = "duplicate_key"
	CodeWrongType         = "wrong_type"
	CodeMissing           = "missing_field"
	CodeInvalidAmount     = "invalid_amount"
	CodeInvalidDate       = "invalid_date"
	CodeInvalidValue      = "invalid_value"
	CodeUnknownReference  = "unknown_reference"
	CodeDuplicateID       = "duplicate_id"
	CodeInconsistent      = "inconsistent"
	CodeTooComplex        = "too_complex"
	CodeTab               = "tab_indentation"
	CodeMultipleDocuments = "multiple_documents"
	CodeTooManyProblems   = "too_many_problems"
	CodeTooManyItems      = "too_many_items"
	CodeTooManyPayments   = "too_many_payments"
	CodeNotRegular        = "not_a_regular_file"
)

// Problem is one thing wrong with a submission, with where it is.
type Problem struct {
	Code    string `json:"code"`
	Path    string `json:"path,omitempty"`
	Pos     Pos    `json:"location"`
	Message string `json:"message"`
	// Zh is the message in Chinese; the result document and every output
	// show it under --lang zh (see In). Empty: Message serves both languages.
	Zh string `json:"-"`
}

// In returns the problem with its message in lang ("zh" or "en"), as every
// output shows it.
func (p Problem) In(lang string) Problem {
	if lang == "zh" && p.Zh != "" {
		p.Message = p.Zh
	}
	p.Zh = ""
	return p
}

// In returns the problems with their messages in lang.
func (ps Problems) In(lang string) Problems {
	out := make(Problems, len(ps))
	for i, p := range ps {
		out[i] = p.In(lang)
	}
	return out
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Pos.String())
	b.WriteString(": ")
	b.WriteString(p.Message)
	b.WriteString(" [")
	b.WriteString(p.Code)
	if p.Path != "" {
		b.WriteString(" at ")
		b.WriteString(p.Path)
	}
	b.WriteString("]")
	return b.String()
}

// Problems is every problem found in one file; as an error it lists them all,
// sorted by line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders problems by line, column, code and path.
func (ps Problems) Sort() {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Path, b.Path),
		)
	})
}

// maxProblems bounds the problems listed for one file, so that a hostile
// file cannot flood the output.
const maxProblems = 1000

// collector gathers problems for one file.
type collector struct {
	file     string
	problems Problems
	dropped  int
	flagged  map[string]bool // paths that have a problem
}

// text is an argument of a message that has its own words in each
// language (a kind of value, an error's reason).
type text struct{ en, zh string }

// add records a problem with its message in English (en) and Chinese (zh),
// two formats of the same args; a text argument gives each its own words.
func (c *collector) add(code, path string, pos Pos, en, zh string, args ...any) {
	if len(c.problems) >= maxProblems {
		c.dropped++
		return
	}
	if c.flagged == nil {
		c.flagged = map[string]bool{}
	}
	c.flagged[path] = true
	pos.File = c.file
	enArgs, zhArgs := make([]any, len(args)), make([]any, len(args))
	for i, a := range args {
		enArgs[i], zhArgs[i] = a, a
		if t, ok := a.(text); ok {
			enArgs[i], zhArgs[i] = t.en, t.zh
		}
	}
	c.problems = append(c.problems, Problem{Code: code, Path: path, Pos: pos, Message: fmt.Sprintf(en, enArgs...), Zh: fmt.Sprintf(zh, zhArgs...)})
}

// flaggedAny reports whether any of paths already has a problem, so that a
// check built on a value that did not load is not reported again.
func (c *collector) flaggedAny(paths ...string) bool {
	for _, p := range paths {
		if c.flagged[p] {
			return true
		}
	}
	return false
}

func (c *collector) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	c.problems.Sort()
	if c.dropped > 0 {
		last := c.problems[len(c.problems)-1].Pos
		c.problems = append(c.problems, Problem{Code: CodeTooManyProblems, Pos: Pos{File: c.file, Line: last.Line, Column: last.Column},
			Message: fmt.Sprintf("%d more problems are not listed; fix these first", c.dropped),
			Zh:      fmt.Sprintf("另有 %d 个问题未列出；请先改正以上问题", c.dropped)})
		c.dropped = 0
	}
	return c.problems
}
