// Package annotate returns a review's 审核意见 to the departments: an
// annotated copy of each workbook they sent (every problem cell filled in a
// colour per severity and carrying one comment with its notes, a first sheet
// 审核意见 listing the projects), the register 审核结果.xlsx (one row per
// project, for the bureau's file) and one letter per 申请单位 in Markdown and
// HTML.
//
// Everything is written from result documents. A target review's own notes
// (Document.Review) are used when present; otherwise a project's notes are its
// findings, numbered in the order the outputs list them, with their messages.
package annotate

import (
	"fmt"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Severities of a note, as the findings have them; the worst one colours a cell.
const (
	Error   = "error"
	Warning = "warning"
	Info    = "info"
)

// Note is one numbered item of a project's 审核意见.
type Note struct {
	N        int            `json:"n"`
	Code     string         `json:"code"`
	Severity string         `json:"severity"`
	Location submission.Pos `json:"location"`
	Text     string         `json:"text"`
	// Review is set when the text is the target review's own (which names
	// its row or field); a note made from a finding's message is not, and
	// its outputs say where it is.
	Review bool `json:"review,omitempty"`
}

// Project is what the outputs say about one result document.
type Project struct {
	File        string `json:"file"`
	Sheet       string `json:"sheet,omitempty"` // the workbook sheet it was read from
	Code        string `json:"code,omitempty"`
	Name        string `json:"name,omitempty"`
	Unit        string `json:"unit,omitempty"`
	Department  string `json:"department,omitempty"`
	Grade       string `json:"grade,omitempty"`      // 优/良/中/差, or the conclusion of a pre-evaluation
	GradeCode   string `json:"grade_code,omitempty"` // excellent … poor, or the conclusion's code
	Consequence string `json:"consequence,omitempty"`
	// Unreadable is set for a document of input errors: the project could
	// not be read or evaluated, and its notes are those errors.
	Unreadable bool   `json:"unreadable,omitempty"`
	Notes      []Note `json:"notes,omitempty"`
}

// FromDocument is what the outputs say about doc, in lang.
func FromDocument(doc *result.Document, lang string) Project {
	p := Project{File: doc.File, Code: doc.Project.Code, Name: doc.Project.Name, Unit: doc.Project.BudgetUnit, Department: doc.Project.Department}
	if len(doc.Errors) > 0 {
		p.Unreadable = true
		for i, e := range doc.Errors {
			e = e.In(lang)
			p.Notes = append(p.Notes, Note{N: i + 1, Code: e.Code, Severity: Error, Location: e.Pos, Text: e.Message})
		}
		return p
	}
	if r := doc.Review; r != nil {
		p.Grade, p.GradeCode, p.Consequence = r.Grade, r.Code, r.Consequence
		for _, n := range r.Notes {
			p.Notes = append(p.Notes, Note{N: n.N, Code: n.Code, Severity: severityOf(doc, n), Location: n.Location, Text: n.Text, Review: true})
		}
		return p
	}
	p.Grade, p.GradeCode = doc.Conclusion.Text, doc.Conclusion.Code
	for _, f := range doc.Findings {
		if f.Waived != nil {
			continue
		}
		p.Notes = append(p.Notes, Note{N: len(p.Notes) + 1, Code: f.Code, Severity: f.Severity, Location: f.Location, Text: f.Message})
	}
	return p
}

// severityOf is the severity of the finding behind a review note: the one
// with its code at its location, else the first with its code; a note with
// no finding behind it is a warning.
func severityOf(doc *result.Document, n result.ReviewNote) string {
	sev := ""
	for _, f := range doc.Findings {
		if f.Code != n.Code || f.Waived != nil {
			continue
		}
		if f.Location == n.Location {
			return f.Severity
		}
		if sev == "" {
			sev = f.Severity
		}
	}
	if sev == "" {
		return Warning
	}
	return sev
}

// rank orders severities: the worst one colours a cell.
func rank(sev string) int {
	switch sev {
	case Error:
		return 3
	case Warning:
		return 2
	case Info:
		return 1
	}
	return 0
}

// Where says where a note points, for a reader of a register or letter:
// "道路养护!D14" in a workbook, "第12行" (line 12) in a YAML file, or "".
func Where(pos submission.Pos, lang string) string {
	if ref, ok := parseRef(pos.File); ok {
		if ref.cell == "" {
			return ref.sheet
		}
		return ref.String()
	}
	if pos.Line > 0 {
		return fmt.Sprintf(label("line", lang), pos.Line)
	}
	return ""
}

// Line is the numbered text of a note as a register or letter prints it.
// A review note names its row itself; a finding's message is prefixed with
// where it is.
func (n Note) Line(lang string) string {
	if w := Where(n.Location, lang); w != "" && !n.Review {
		return fmt.Sprintf(label("note.where", lang), n.N, w, n.Text)
	}
	return fmt.Sprintf(label("note", lang), n.N, n.Text)
}

// Lines are the numbered notes, one to a line.
func (p Project) Lines(lang string) string {
	if len(p.Notes) == 0 {
		return label("none", lang)
	}
	var b strings.Builder
	for i, n := range p.Notes {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(n.Line(lang))
	}
	return b.String()
}

// Outcome is the grade as the outputs print it: the grade, or 无法评估 for a
// project that could not be read.
func (p Project) Outcome(lang string) string {
	if p.Unreadable {
		return label("unreadable", lang)
	}
	return p.Grade
}
