package output

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

func TestGitHubEscapes(t *testing.T) {
	d := &result.Document{File: "a,b:c.yaml", Findings: []result.Finding{{
		Code: "X", Severity: "error", Title: "t: 1, 2", Message: "50% done\nnext\r",
		Location: submission.Pos{File: "a,b:c.yaml", Line: 3, Column: 5},
	}}}
	var b bytes.Buffer
	if err := (&GitHub{}).Write(&b, []*result.Document{d}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=X t%3A 1%2C 2::50%25 done%0Anext%0D\n"
	if b.String() != want {
		t.Errorf("got  %q\nwant %q", b.String(), want)
	}
}

func TestGitHubWaivedIsNotice(t *testing.T) {
	d := &result.Document{Findings: []result.Finding{{Code: "X", Severity: "error", Waived: &result.Waiver{Reason: "ok"}, Location: submission.Pos{File: "s.yaml", Line: 1, Column: 1}}}}
	var b bytes.Buffer
	(&GitHub{Lang: "en"}).Write(&b, []*result.Document{d})
	if !strings.HasPrefix(b.String(), "::notice ") || !strings.Contains(b.String(), "waived: ok") {
		t.Errorf("got %q", b.String())
	}
}

func TestInputErrorsInCIFormats(t *testing.T) {
	d := &result.Document{Schema: result.Schema, File: "bad.yaml", Errors: []submission.Problem{
		{Code: "yaml_syntax", Pos: submission.Pos{File: "bad.yaml", Line: 7, Column: 3}, Message: "did not find expected key"},
	}}
	var g, j, m bytes.Buffer
	(&GitHub{}).Write(&g, []*result.Document{d})
	if g.String() != "::error file=bad.yaml,line=7,col=3,title=yaml_syntax::did not find expected key\n" {
		t.Errorf("github: %q", g.String())
	}
	if err := (&JUnit{}).Write(&j, []*result.Document{d}); err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Errors int `xml:"errors,attr"`
	}
	if err := xml.Unmarshal(j.Bytes(), &suites); err != nil || suites.Errors != 1 {
		t.Errorf("junit: %v, errors %d, want 1", err, suites.Errors)
	}
	(&Markdown{}).Write(&m, []*result.Document{d})
	if !strings.Contains(m.String(), "`yaml_syntax` bad.yaml:7:3") {
		t.Errorf("markdown: %q", m.String())
	}
}

func TestMarkdownCell(t *testing.T) {
	if got := mdCell("a|b\nc"); got != `a\|b c` {
		t.Errorf("got %q", got)
	}
}
