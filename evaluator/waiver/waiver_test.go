package waiver

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

func date(s string) *submission.Date {
	d, err := submission.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

func doc() *result.Document {
	return &result.Document{Findings: []result.Finding{
		{Code: "CONTRACT_UNSIGNED", Severity: "error", Subject: "C6", Location: submission.Pos{Line: 249}},
		{Code: "CONTRACT_UNSIGNED", Severity: "error", Subject: "C8", Location: submission.Pos{Line: 260}},
		{Code: "TARGETS_INCOMPLETE", Severity: "warning", Subject: "SP2", Location: submission.Pos{Line: 78}},
	}}
}

var catalog = &ruleset.Catalog{Findings: map[string]ruleset.FindingDef{
	"CONTRACT_UNSIGNED": {Code: "CONTRACT_UNSIGNED"}, "TARGETS_INCOMPLETE": {Code: "TARGETS_INCOMPLETE"},
}}

func TestApply(t *testing.T) {
	on := time.Date(2021, 6, 1, 15, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		waiver  submission.Waiver
		waived  []string // subjects waived
		problem string
		summary result.Summary
	}{
		{"one subject", submission.Waiver{Code: "CONTRACT_UNSIGNED", Subject: "C6", Reason: "签订中"}, []string{"C6"}, "", result.Summary{Errors: 1, Warnings: 1, Waived: 1}},
		{"every subject", submission.Waiver{Code: "CONTRACT_UNSIGNED", Subject: "*", Reason: "签订中"}, []string{"C6", "C8"}, "", result.Summary{Warnings: 1, Waived: 2}},
		{"no subject is every subject", submission.Waiver{Code: "CONTRACT_UNSIGNED", Reason: "签订中"}, []string{"C6", "C8"}, "", result.Summary{Warnings: 1, Waived: 2}},
		{"expires on the day: holds", submission.Waiver{Code: "CONTRACT_UNSIGNED", Subject: "C6", Reason: "x", Expires: date("2021-06-01")}, []string{"C6"}, "", result.Summary{Errors: 1, Warnings: 1, Waived: 1}},
		{"expired the day before", submission.Waiver{Code: "CONTRACT_UNSIGNED", Subject: "C6", Reason: "x", Expires: date("2021-05-31")}, nil, CodeExpired, result.Summary{Errors: 3, Warnings: 1}},
		{"no reason", submission.Waiver{Code: "CONTRACT_UNSIGNED", Subject: "C6", Reason: "  "}, nil, CodeNoReason, result.Summary{Errors: 3, Warnings: 1}},
		{"unknown code", submission.Waiver{Code: "CONTRACT_UNSINGED", Subject: "C6", Reason: "x"}, nil, CodeUnknownCode, result.Summary{Errors: 3, Warnings: 1}},
		{"excuses nothing", submission.Waiver{Code: "CONTRACT_UNSIGNED", Subject: "C9", Reason: "x"}, nil, CodeUnused, result.Summary{Errors: 2, Warnings: 1, Infos: 1}},
		{"a waiver finding cannot be waived", submission.Waiver{Code: CodeExpired, Reason: "x"}, nil, CodeUnknownCode, result.Summary{Errors: 3, Warnings: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc()
			Apply(d, []Waiver{{Waiver: tt.waiver, At: submission.Pos{File: "s.yaml", Line: 300}}}, Options{Date: on, Lang: "zh", Catalog: catalog})
			var waived []string
			problem := ""
			for _, f := range d.Findings {
				if f.Waived != nil {
					waived = append(waived, f.Subject)
				}
				if _, ok := defs[f.Code]; ok {
					problem = f.Code
					if f.Severity != defs[f.Code].Severity || f.Location.Line != 300 || f.Message == "" || f.Title == "" {
						t.Errorf("waiver finding %+v: want an error at line 300 with a title and message", f)
					}
				}
			}
			if len(waived) != len(tt.waived) || (len(waived) > 0 && waived[0] != tt.waived[0]) {
				t.Errorf("waived %v, want %v", waived, tt.waived)
			}
			if problem != tt.problem {
				t.Errorf("waiver finding %q, want %q", problem, tt.problem)
			}
			if d.Summary != tt.summary {
				t.Errorf("summary %+v, want %+v", d.Summary, tt.summary)
			}
		})
	}
}

func TestTextsInBothLanguages(t *testing.T) {
	for code, def := range defs {
		if def.Title.Zh == "" || def.Title.En == "" || def.Message.Zh == "" || def.Message.En == "" || def.Severity != "error" && code != CodeUnused {
			t.Errorf("%s: want an error with titles and messages in zh and en", code)
		}
	}
	d := doc()
	Apply(d, []Waiver{{Waiver: submission.Waiver{Code: "CONTRACT_UNSIGNED", Subject: "C6", Reason: "x", Expires: date("2020-12-31")}}}, Options{Date: time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), Lang: "en", Catalog: catalog})
	want := "the waiver of CONTRACT_UNSIGNED (C6) expired on 2020-12-31 and no longer applies; renew it or fix the finding"
	if d.Findings[0].Message != want {
		t.Errorf("message %q, want %q", d.Findings[0].Message, want)
	}
}

func TestLoad(t *testing.T) {
	p := filepath.Join(t.TempDir(), "w.yaml")
	os.WriteFile(p, []byte("# waivers\nwaivers:\n  - code: CONTRACT_UNSIGNED\n    subject: C6\n    reason: 签订中\n    expires: 2021-12-31\n"), 0o644)
	ws, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 1 || ws[0].Code != "CONTRACT_UNSIGNED" || ws[0].At.Line != 3 || ws[0].ExpiresAt.Line != 6 || ws[0].Expires.String() != "2021-12-31" {
		t.Errorf("loaded %+v", ws)
	}
	for name, text := range map[string]string{
		"unknown field": "waivers:\n  - code: X\n    reasn: y\n",
		"bad date":      "waivers:\n  - code: X\n    expires: 2021-02-30\n",
		"no code":       "waivers:\n  - reason: y\n",
	} {
		os.WriteFile(p, []byte(text), 0o644)
		if _, err := Load(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
