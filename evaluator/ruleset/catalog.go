package ruleset

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/shopspring/decimal"
)

// Languages budgetcheck writes in; Chinese is the default.
const (
	LangZh = "zh"
	LangEn = "en"
)

// Text is a text in Chinese and English.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// In returns the text in lang, falling back to Chinese.
func (t Text) In(lang string) string {
	if lang == LangEn && t.En != "" {
		return t.En
	}
	return t.Zh
}

// Severities of findings, most severe first.
var Severities = []string{"error", "warning", "info"}

// FindingDef declares a finding: its # METADATA and its message in data.
type FindingDef struct {
	Code        string        `json:"code"`
	Severity    string        `json:"severity"`
	Title       Text          `json:"title"`
	Description string        `json:"description"`
	Basis       string        `json:"basis"`
	Message     Text          `json:"message"`
	Location    *ast.Location `json:"location,omitempty"`
}

// Grade is one grade of an indicator: the measure's bounds and the points.
type Grade struct {
	Grade  string          `json:"grade"`
	En     string          `json:"en"`
	Min    *json.Number    `json:"min,omitempty"`
	Max    *json.Number    `json:"max,omitempty"`
	Points decimal.Decimal `json:"points"`
	// When names the condition under which the grade is given instead of
	// one by the measure ("no_targets"); Reason is then its reason.
	When   string `json:"when,omitempty"`
	Reason *Text  `json:"reason,omitempty"`
}

// Label returns the grade's name in lang.
func (g Grade) Label(lang string) string { return Text{Zh: g.Grade, En: g.En}.In(lang) }

// IndicatorDef declares a scored indicator (params.indicators).
type IndicatorDef struct {
	Code         string          `json:"code"`
	Group        Text            `json:"group"`
	Title        Text            `json:"title"`
	Max          decimal.Decimal `json:"max"`
	Measure      Text            `json:"measure"`
	Grades       []Grade         `json:"grades"`
	Reason       Text            `json:"reason"`
	FindingCodes []string        `json:"finding_codes,omitempty"`
	Description  string          `json:"description"`
	Location     *ast.Location   `json:"location,omitempty"`
}

// GradeNamed returns the grade called name.
func (d IndicatorDef) GradeNamed(name string) (Grade, bool) {
	for _, g := range d.Grades {
		if g.Grade == name {
			return g, true
		}
	}
	return Grade{}, false
}

// BasicItem is one item of the basic assessment (params.basic.items).
type BasicItem struct {
	Code  string `json:"code"`
	Title Text   `json:"title"`
}

// Band is one conclusion band: it applies when all its conditions hold.
type Band struct {
	Code        string           `json:"code"`
	BasicFailed *bool            `json:"basic_failed,omitempty"`
	Below       *decimal.Decimal `json:"below,omitempty"`
	Adjusted    *bool            `json:"adjusted,omitempty"`
	// NoTargets: the project has no performance targets at all (an
	// indicator was graded by its `when: no_targets` grade).
	NoTargets *bool `json:"no_targets,omitempty"`
}

// Conclusion holds the bands and the conclusions' texts (params.conclusion).
type Conclusion struct {
	Bands []Band          `json:"bands"`
	Texts map[string]Text `json:"texts"`
}

// Review is how a target review grades (params.review): the review areas,
// what each finding code counts, the grades with their bounds, and each
// grade's name and consequence.
type Review struct {
	Areas   map[string]Text         `json:"areas"`
	Weights map[string]ReviewWeight `json:"weights"`
	Forced  struct {
		Codes []string `json:"codes"`
		Grade string   `json:"grade"`
	} `json:"forced"`
	Grades []ReviewGrade          `json:"grades"`
	Texts  map[string]ReviewTexts `json:"texts"`
}

// ReviewWeight is what one finding code counts in a review area: Weight per
// finding, at most Cap.
type ReviewWeight struct {
	Area   string `json:"area"`
	Weight int    `json:"weight"`
	Cap    *int   `json:"cap,omitempty"`
}

// ReviewGrade is one grade: it holds when the total is at most MaxPoints and
// every area at most MaxAreaPoints (a bound left out always holds).
type ReviewGrade struct {
	Code          string `json:"code"`
	MaxPoints     *int   `json:"max_points,omitempty"`
	MaxAreaPoints *int   `json:"max_area_points,omitempty"`
}

// ReviewTexts are a grade's name (优) and its consequence.
type ReviewTexts struct {
	Grade       Text `json:"grade"`
	Consequence Text `json:"consequence"`
}

// ReviewGradeCodes are the grades of a target review, best first.
var ReviewGradeCodes = []string{"excellent", "good", "fair", "poor"}

// Catalog is what the ruleset declares: the indicators, the findings, the
// basic items and the conclusion, with their texts; for a target review the
// grading and the 审核意见 written for each finding (Notes).
type Catalog struct {
	Indicators []IndicatorDef
	Findings   map[string]FindingDef
	Basic      []BasicItem
	Conclusion Conclusion
	Review     *Review
	Notes      map[string]Text
	// BudgetNotes are the texts of the budget's notes by code
	// (params.budget.notes), e.g. a cut no line could take.
	BudgetNotes map[string]Text
}

// Finding codes sorted.
func (c *Catalog) FindingCodes() []string {
	codes := make([]string, 0, len(c.Findings))
	for code := range c.Findings {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	return codes
}

// Indicator returns the indicator declared with code.
func (c *Catalog) Indicator(code string) (IndicatorDef, bool) {
	for _, d := range c.Indicators {
		if d.Code == code {
			return d, true
		}
	}
	return IndicatorDef{}, false
}

// params is the part of data the catalogue reads.
type params struct {
	Basic struct {
		Items []BasicItem `json:"items"`
	} `json:"basic"`
	Indicators []IndicatorDef  `json:"indicators"`
	Conclusion Conclusion      `json:"conclusion"`
	Findings   map[string]Text `json:"findings"`
	Review     *Review         `json:"review"`
	Notes      map[string]Text `json:"notes"`
	Budget     struct {
		Notes map[string]Text `json:"notes"`
	} `json:"budget"`
}

// Packages whose # METADATA declares indicators; findings are the rules
// named findings of any package (budgetcheck.findings, and the libraries'
// budgetcheck.targets).
var indicatorsPath = ast.MustParseRef("data.budgetcheck.indicators")

// isFindingsRule reports whether a rule's path names a findings rule.
func isFindingsRule(path ast.Ref) bool {
	last := path[len(path)-1]
	return len(path) > 1 && last.Equal(ast.StringTerm("findings"))
}

// buildCatalog reads the catalogue from the modules' # METADATA and the data,
// and checks that they agree: every finding rule declares a code, severity,
// title and basis, codes are unique, every finding has a message, every
// indicator has graded points.
func buildCatalog(rs *Ruleset) (*Catalog, error) {
	var p params
	if err := decode(rs.Data["params"], &p); err != nil {
		return nil, fmt.Errorf("%s: params: %w", rs.Source, err)
	}
	cat := &Catalog{Indicators: p.Indicators, Basic: p.Basic.Items, Conclusion: p.Conclusion, Findings: map[string]FindingDef{}, BudgetNotes: p.Budget.Notes, Review: p.Review, Notes: p.Notes}
	annotations, errs := ast.BuildAnnotationSet(sortedModules(rs.Modules))
	if len(errs) > 0 {
		return nil, errs
	}
	var problems []string
	indicatorMeta := map[string]*ast.Annotations{}
	for _, ref := range annotations.Flatten() {
		a := ref.Annotations
		code, _ := a.Custom["code"].(string)
		if ref.Path.HasPrefix(indicatorsPath) && code != "" {
			indicatorMeta[code] = a
		}
		if !isFindingsRule(ref.Path) || a.Scope != "rule" {
			continue
		}
		def := FindingDef{Code: code, Title: Text{Zh: a.Title}, Description: a.Description, Location: a.Location}
		def.Severity, _ = a.Custom["severity"].(string)
		def.Basis, _ = a.Custom["basis"].(string)
		def.Title.En, _ = a.Custom["title_en"].(string)
		def.Message = p.Findings[code]
		where := a.Location.String()
		switch {
		case code == "":
			problems = append(problems, fmt.Sprintf("%s: finding rule has no custom.code in # METADATA", where))
			continue
		case def.Title.Zh == "":
			problems = append(problems, fmt.Sprintf("%s: finding %s has no title", where, code))
		case !slices.Contains(Severities, def.Severity):
			problems = append(problems, fmt.Sprintf("%s: finding %s has severity %q; use one of %s", where, code, def.Severity, strings.Join(Severities, ", ")))
		case def.Basis == "":
			problems = append(problems, fmt.Sprintf("%s: finding %s has no custom.basis", where, code))
		case def.Message.Zh == "":
			problems = append(problems, fmt.Sprintf("%s: finding %s has no message in params.findings.%s", where, code, code))
		}
		if prev, dup := cat.Findings[code]; dup {
			problems = append(problems, fmt.Sprintf("%s: finding code %s is declared again (first at %s)", where, code, prev.Location))
			continue
		}
		cat.Findings[code] = def
	}
	for i, d := range cat.Indicators {
		if meta, ok := indicatorMeta[d.Code]; ok {
			cat.Indicators[i].Description = meta.Description
			cat.Indicators[i].Location = meta.Location
		} else {
			problems = append(problems, fmt.Sprintf("%s: indicator %s has no measures rule with # METADATA custom.code", rs.Source, d.Code))
		}
		if len(d.Grades) == 0 {
			problems = append(problems, fmt.Sprintf("%s: indicator %s has no grades in params.indicators", rs.Source, d.Code))
		}
	}
	problems = append(problems, checkContract(rs, cat)...)
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return cat, nil
}

func sortedModules(m map[string]*ast.Module) []*ast.Module {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]*ast.Module, len(names))
	for i, n := range names {
		out[i] = m[n]
	}
	return out
}
