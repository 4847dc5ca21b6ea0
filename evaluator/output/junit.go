package output

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// JUnit writes JUnit XML, which every CI system shows as a test report: one
// test suite per submission, one test case per indicator (it fails when it
// loses points, and is skipped when not applicable) and one per finding
// code of the catalogue (it fails when the submission has an unwaived
// finding of that code; the failure lists each with its file:line).
type JUnit struct {
	Lang    string
	Catalog *ruleset.Catalog
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

func (j *JUnit) Write(w io.Writer, docs []*result.Document) error {
	all := junitSuites{Name: "budgetcheck", Suites: []junitSuite{}}
	for _, d := range docs {
		s := j.suite(d)
		all.Tests += s.Tests
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Skipped += s.Skipped
		all.Suites = append(all.Suites, s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func (j *JUnit) suite(d *result.Document) junitSuite {
	s := junitSuite{Name: d.File}
	add := func(c junitCase) {
		s.Tests++
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	if len(d.Errors) > 0 {
		var text strings.Builder
		for _, p := range d.Errors {
			fmt.Fprintln(&text, p.String())
		}
		first := d.Errors[0]
		add(junitCase{Name: "load", Classname: "budgetcheck.input", File: first.Pos.File, Line: first.Pos.Line,
			Error: &junitProblem{Message: first.Message, Type: first.Code, Text: text.String()}})
		return s
	}
	s.Properties = []junitProperty{
		{Name: "score", Value: d.Score.Total.StringFixed(2)},
		{Name: "conclusion", Value: d.Conclusion.Code},
		{Name: "ruleset", Value: d.Ruleset.Name + " " + d.Ruleset.Version},
		{Name: "recommended", Value: d.Budget.Recommended.String()},
	}
	for _, ind := range d.Indicators {
		c := junitCase{Name: ind.Code + " " + ind.Title, Classname: "budgetcheck.indicator"}
		switch {
		case !ind.Applicable:
			c.Skipped = &junitSkipped{Message: ciLabel("na", j.Lang)}
		case ind.Score != nil && ind.Score.LessThan(ind.Max):
			msg := fmt.Sprintf("%s/%s %s: %s", ind.Score, ind.Max, ind.Grade, ind.Reason)
			c.Failure = &junitProblem{Message: msg, Type: ciLabel("lost", j.Lang), Text: msg}
		default:
			c.SystemOut = fmt.Sprintf("%s/%s %s: %s", ind.Score, ind.Max, ind.Grade, ind.Reason)
		}
		add(c)
	}
	// One case per code: every code of the catalogue, and any other code
	// found (in the order found) so that no finding goes unreported.
	var codes []string
	seen := map[string]bool{}
	if j.Catalog != nil {
		for _, code := range j.Catalog.FindingCodes() {
			codes = append(codes, code)
			seen[code] = true
		}
	}
	byCode := map[string][]result.Finding{}
	for _, f := range d.Findings {
		if !seen[f.Code] {
			codes = append(codes, f.Code)
			seen[f.Code] = true
		}
		byCode[f.Code] = append(byCode[f.Code], f)
	}
	for _, code := range codes {
		title := code
		if j.Catalog != nil {
			if def, ok := j.Catalog.Findings[code]; ok {
				title += " " + def.Title.In(j.Lang)
			}
		}
		c := junitCase{Name: title, Classname: "budgetcheck.finding"}
		var failed, waived []result.Finding
		for _, f := range byCode[code] {
			if f.Waived != nil {
				waived = append(waived, f)
			} else {
				failed = append(failed, f)
			}
		}
		if len(failed) > 0 {
			var text strings.Builder
			for _, f := range failed {
				fmt.Fprintf(&text, "%s: [%s] %s%s\n", f.Location, f.Severity, f.Message, adjustmentText(f, d.Budget.Unit, j.Lang))
			}
			first := failed[0]
			c.File, c.Line = first.Location.File, first.Location.Line
			c.Failure = &junitProblem{Message: fmt.Sprintf("%s: %s", first.Location, first.Message), Type: first.Severity, Text: text.String()}
		}
		if len(waived) > 0 {
			var text strings.Builder
			for _, f := range waived {
				fmt.Fprintf(&text, "%s: [%s: %s] %s\n", f.Location, ciLabel("waived", j.Lang), f.Waived.Reason, f.Message)
			}
			c.SystemOut = text.String()
		}
		add(c)
	}
	return s
}
