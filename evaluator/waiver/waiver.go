// Package waiver excuses findings: a waiver names a finding code and the
// subject it is about (or "*"), with a reason, who approved it and until
// when. A waived finding is still reported, marked waived and counted apart;
// it no longer fails a run. Scores, the budget and the conclusion are not
// changed by waivers: the finding is excused, the indicator grade stands.
//
// A waiver that cannot be honoured is itself an error finding: one that has
// expired by the evaluation date, one without a reason, one for a code the
// ruleset does not declare. A valid waiver that excuses nothing is an info
// finding (WAIVER_UNUSED), so that stale waivers are noticed. Their codes (WAIVER_*) are built in rather than
// declared by the ruleset: waivers are budgetcheck's CI mechanism, not the
// bureau's policy, and they must work the same with any --policy ruleset,
// including one that knows nothing of them.
package waiver

import (
	"fmt"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/budgetcheck/budgetcheck/evaluator/result"
	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/evaluator/submission"
)

// Codes of the findings about waivers themselves.
const (
	CodeExpired     = "WAIVER_EXPIRED"
	CodeNoReason    = "WAIVER_WITHOUT_REASON"
	CodeUnknownCode = "WAIVER_UNKNOWN_CODE"
	CodeUnused      = "WAIVER_UNUSED"
)

// Any is the subject that waives a code for every subject.
const Any = "*"

const basis = "budgetcheck: waivers (README, CI checks)"

// defs declares the waiver findings with their texts in both languages.
// Messages take {code}, {subject} and {expires}.
var defs = map[string]ruleset.FindingDef{
	CodeExpired: {
		Code: CodeExpired, Severity: "error", Basis: basis,
		Title:       ruleset.Text{Zh: "豁免已过期", En: "Waiver expired"},
		Description: "A waiver's expiry date is before the evaluation date (--date); the finding it excused counts again.",
		Message: ruleset.Text{
			Zh: "对 {code}（{subject}）的豁免已于 {expires} 到期，不再有效；请续批或整改",
			En: "the waiver of {code} ({subject}) expired on {expires} and no longer applies; renew it or fix the finding",
		},
	},
	CodeNoReason: {
		Code: CodeNoReason, Severity: "error", Basis: basis,
		Title:       ruleset.Text{Zh: "豁免缺少理由", En: "Waiver without a reason"},
		Description: "A waiver must say why the finding is excused; one without a reason is not honoured.",
		Message: ruleset.Text{
			Zh: "对 {code}（{subject}）的豁免没有填写理由（reason），不予采纳",
			En: "the waiver of {code} ({subject}) gives no reason and is not honoured",
		},
	},
	CodeUnknownCode: {
		Code: CodeUnknownCode, Severity: "error", Basis: basis,
		Title:       ruleset.Text{Zh: "豁免的问题代码不存在", En: "Waiver for an unknown code"},
		Description: "A waiver names a finding code the ruleset does not declare (a typo, or a rule that was renamed).",
		Message: ruleset.Text{
			Zh: "豁免的问题代码 {code} 不是规则集声明的代码，不予采纳",
			En: "the waived code {code} is not declared by the ruleset and the waiver is not honoured",
		},
	},
	CodeUnused: {
		Code: CodeUnused, Severity: "info", Basis: basis,
		Title:       ruleset.Text{Zh: "豁免未使用", En: "Waiver unused"},
		Description: "A valid waiver excuses no finding: the finding was fixed, or the code or subject is wrong. Remove the waiver or correct it.",
		Message: ruleset.Text{
			Zh: "对 {code}（{subject}）的豁免没有对应的问题，可以删除",
			En: "the waiver of {code} ({subject}) excuses no finding and can be removed",
		},
	},
}

// Defs returns the built-in definitions of the waiver findings.
func Defs() map[string]ruleset.FindingDef {
	out := make(map[string]ruleset.FindingDef, len(defs))
	for k, v := range defs {
		out[k] = v
	}
	return out
}

// Catalog returns a copy of cat whose findings include the waiver findings,
// for outputs that list every rule (SARIF, JUnit).
func Catalog(cat *ruleset.Catalog) *ruleset.Catalog {
	out := &ruleset.Catalog{Findings: Defs()}
	if cat != nil {
		out.Indicators, out.Basic, out.Conclusion = cat.Indicators, cat.Basic, cat.Conclusion
		for k, v := range cat.Findings {
			out.Findings[k] = v
		}
	}
	return out
}

// Waiver is one waiver and where it is written.
type Waiver struct {
	submission.Waiver
	// At is the waiver's entry; ExpiresAt its expires field, if any.
	At, ExpiresAt submission.Pos
}

// FromSubmission returns the waivers of the submission's waivers: section.
func FromSubmission(sub *submission.Submission) []Waiver {
	out := make([]Waiver, len(sub.Waivers))
	for i, w := range sub.Waivers {
		out[i] = Waiver{Waiver: w, At: sub.Pos(fmt.Sprintf("waivers[%d].code", i))}
		if w.Expires != nil {
			out[i].ExpiresAt = sub.Pos(fmt.Sprintf("waivers[%d].expires", i))
		}
	}
	return out
}

// file is the shape of a --waivers file.
type file struct {
	Waivers []entry `yaml:"waivers"`
}

type entry struct {
	Code       string `yaml:"code"`
	Subject    string `yaml:"subject"`
	Reason     string `yaml:"reason"`
	ApprovedBy string `yaml:"approved_by"`
	Expires    string `yaml:"expires"`
}

// Load reads a waivers file: YAML (or JSON) with a `waivers:` list of the
// same entries as the submission's section. Unknown fields and bad dates
// are errors with file:line.
func Load(path string) ([]Waiver, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--waivers: %w", err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	var f file
	dec := root.Content[0]
	if err := strictDecode(dec, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	items := listNode(dec, "waivers")
	out := make([]Waiver, 0, len(f.Waivers))
	for i, e := range f.Waivers {
		w := Waiver{Waiver: submission.Waiver{Code: e.Code, Subject: e.Subject, Reason: e.Reason, ApprovedBy: e.ApprovedBy}}
		if i < len(items) {
			w.At = submission.Pos{File: path, Line: items[i].Line, Column: items[i].Column}
		}
		if e.Code == "" {
			return nil, fmt.Errorf("%s: waivers[%d]: code is required", w.At, i)
		}
		if e.Expires != "" {
			d, err := submission.ParseDate(e.Expires)
			if err != nil {
				return nil, fmt.Errorf("%s: waivers[%d].expires: %w", w.At, i, err)
			}
			w.Expires = &d
			w.ExpiresAt = w.At
			if i < len(items) {
				if v := valueNode(items[i], "expires"); v != nil {
					w.ExpiresAt = submission.Pos{File: path, Line: v.Line, Column: v.Column}
				}
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// strictDecode decodes n into v, refusing unknown fields.
func strictDecode(n *yaml.Node, v any) error {
	out, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(out)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

func valueNode(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func listNode(m *yaml.Node, key string) []*yaml.Node {
	if v := valueNode(m, key); v != nil && v.Kind == yaml.SequenceNode {
		return v.Content
	}
	return nil
}

// Options tune Apply.
type Options struct {
	// Date is the evaluation date: a waiver whose expiry date is before it
	// has expired (one that expires on Date still holds).
	Date time.Time
	// Lang is the language of the waiver findings' texts.
	Lang string
	// Catalog is the ruleset's catalogue: a waiver for a code it does not
	// declare is not honoured.
	Catalog *ruleset.Catalog
}

// Apply marks the findings of doc that a valid waiver excuses, adds a finding
// for each waiver that cannot be honoured or excuses nothing, and recounts
// the summary. A
// document with input errors is left alone.
func Apply(doc *result.Document, waivers []Waiver, opts Options) {
	if len(doc.Errors) > 0 || len(waivers) == 0 {
		return
	}
	day := time.Date(opts.Date.Year(), opts.Date.Month(), opts.Date.Day(), 0, 0, 0, 0, time.UTC)
	for _, w := range waivers {
		subject := w.Subject
		if subject == "" {
			subject = Any
		}
		params := map[string]any{"code": w.Code, "subject": subject}
		if w.Expires != nil {
			params["expires"] = w.Expires.String()
		}
		var problem string
		at := w.At
		switch {
		case opts.Catalog != nil && !declared(opts.Catalog, w.Code):
			problem = CodeUnknownCode
		case strings.TrimSpace(w.Reason) == "":
			problem = CodeNoReason
		case w.Expires != nil && w.Expires.Before(day):
			problem = CodeExpired
			if w.ExpiresAt.Line > 0 {
				at = w.ExpiresAt
			}
		}
		if problem != "" {
			doc.Findings = append(doc.Findings, finding(problem, w.Code+":"+subject, at, params, opts.Lang))
			continue
		}
		used := false
		for i := range doc.Findings {
			f := &doc.Findings[i]
			if f.Code != w.Code || f.Waived != nil || subject != Any && subject != f.Subject {
				continue
			}
			used = true
			f.Waived = &result.Waiver{Reason: w.Reason, ApprovedBy: w.ApprovedBy, File: w.At.File}
			if w.Expires != nil {
				f.Waived.Expires = w.Expires.String()
			}
		}
		if !used {
			doc.Findings = append(doc.Findings, finding(CodeUnused, w.Code+":"+subject, w.At, params, opts.Lang))
		}
	}
	doc.SortFindings()
	doc.Recount()
}

// declared reports whether the ruleset declares code. The waiver findings
// themselves cannot be waived.
func declared(cat *ruleset.Catalog, code string) bool {
	_, ok := cat.Findings[code]
	return ok
}

func finding(code, subject string, at submission.Pos, params map[string]any, lang string) result.Finding {
	def := defs[code]
	return result.Finding{
		Code:        code,
		Severity:    def.Severity,
		Title:       def.Title.In(lang),
		Subject:     subject,
		Location:    at,
		Message:     render(def.Message.In(lang), params),
		Basis:       def.Basis,
		Adjustments: []result.Adjustment{},
		Params:      params,
	}
}

func render(tmpl string, params map[string]any) string {
	for k, v := range params {
		tmpl = strings.ReplaceAll(tmpl, "{"+k+"}", fmt.Sprint(v))
	}
	return tmpl
}
