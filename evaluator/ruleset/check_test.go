package ruleset_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
	"github.com/budgetcheck/budgetcheck/policies"
)

// chengdu copies the embedded ruleset into a map file system a test can edit.
func chengdu(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(policies.FS, policies.Default, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		bs, err := fs.ReadFile(policies.FS, p)
		out[strings.TrimPrefix(p, policies.Default+"/")] = &fstest.MapFile{Data: bs}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func load(fsys fs.FS, overrides ...fstest.MapFS) (*ruleset.Ruleset, error) {
	var os []ruleset.Source
	for _, o := range overrides {
		os = append(os, ruleset.Source{FS: o, Dir: "override.yaml", Display: "override.yaml"})
	}
	// the target library comes from the embedded policies (policies/lib)
	return ruleset.Load([]ruleset.Source{{FS: fsys, Dir: ".", Display: "rules", Fallback: policies.FS}}, os)
}

func edit(t *testing.T, fsys fstest.MapFS, file, old, new string) {
	t.Helper()
	src := string(fsys[file].Data)
	if !strings.Contains(src, old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
}

func TestLoadEmbedded(t *testing.T) {
	rs, err := load(chengdu(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rs.Catalog.Indicators); got != 11 {
		t.Errorf("indicators: got %d, want 11", got)
	}
	if rs.Manifest.Name != "chengdu-pre-budget" || !rs.Manifest.FiscalYears.Covers(2021) {
		t.Errorf("manifest: %+v", rs.Manifest)
	}
	for _, code := range []string{"PREPAID_MAINTENANCE", "CONTRACT_PAYMENT_UNBUDGETED", "BUDGET_CONTRACT_MISMATCH", "ASSESSMENT_CYCLE_UNPAYABLE", "ARREARS_UNBUDGETED", "CONTRACT_UNSIGNED", "COST_INCREASE_UNSUPPORTED", "DECLARED_TOTAL_MISMATCH", "TARGETS_INCOMPLETE", "QUALITY_INDICATOR_MISCLASSIFIED", "BENEFIT_NOT_QUANTIFIED"} {
		if _, ok := rs.Catalog.Findings[code]; !ok {
			t.Errorf("finding %s not declared", code)
		}
	}
}

// TestLoadPoliciesLeavesOutTests: the ruleset commands evaluate with has the
// same policy modules and catalogue as Load's, and no test modules, also
// after WithData; Load keeps them, also after WithData.
func TestLoadPoliciesLeavesOutTests(t *testing.T) {
	src := []ruleset.Source{{FS: policies.FS, Dir: "target-review", Display: "embedded:target-review", Fallback: policies.FS}}
	all, err := ruleset.Load(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := ruleset.LoadPolicies(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all.TestModules) == 0 {
		t.Fatal("Load read no test modules")
	}
	if !slices.Equal(rs.ModuleNames(), all.ModuleNames()) || len(rs.Catalog.Findings) != len(all.Catalog.Findings) {
		t.Errorf("policy modules %v, findings %d; Load: %v, %d", rs.ModuleNames(), len(rs.Catalog.Findings), all.ModuleNames(), len(all.Catalog.Findings))
	}
	override := fstest.MapFS{"override.yaml": &fstest.MapFile{Data: []byte("params: {}\n")}}
	more, err := rs.WithData(ruleset.Source{FS: override, Dir: "override.yaml", Display: "override.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	allMore, err := all.WithData(ruleset.Source{FS: override, Dir: "override.yaml", Display: "override.yaml"})
	if err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]int{"LoadPolicies": len(rs.TestModules), "LoadPolicies+WithData": len(more.TestModules)} {
		if got != 0 {
			t.Errorf("%s: %d test modules, want none", name, got)
		}
	}
	if len(allMore.TestModules) != len(all.TestModules) {
		t.Errorf("Load+WithData: %d test modules, want %d", len(allMore.TestModules), len(all.TestModules))
	}
}

// TestContractProblems breaks the ruleset's contract one way at a time and
// checks that loading it reports the problem, with where it is.
func TestContractProblems(t *testing.T) {
	cases := []struct {
		name       string
		file       string
		old, new   string
		wantInMsgs []string
	}{
		{"finding without metadata", "findings/budget.rego",
			"# METADATA\n# title: 申请总额与明细不符\n# description: The requested total differs from the sum of the budget lines.\n# custom:\n#   code: DECLARED_TOTAL_MISMATCH\n#   severity: error\n#   title_en: Declared total differs from the lines\n#   basis: 项目经费测算明细表\n", "",
			[]string{"rules/findings/budget.rego:", "finding rule has no # METADATA", "params.findings.DECLARED_TOTAL_MISMATCH: a message for a finding no rule declares"}},
		{"emitted code not declared", "findings/budget.rego",
			`"code": "COST_INCREASE_UNSUPPORTED",`, `"code": "COST_INCREASE_UNEXPLAINED",`,
			[]string{"rules/findings/budget.rego:14: finding rule emits code COST_INCREASE_UNEXPLAINED, which no rule's # METADATA declares"}},
		{"emitted code differs from metadata", "findings/budget.rego",
			`"code": "COST_INCREASE_UNSUPPORTED",`, `"code": "DECLARED_TOTAL_MISMATCH",`,
			[]string{"emits code DECLARED_TOTAL_MISMATCH but its # METADATA declares COST_INCREASE_UNSUPPORTED"}},
		{"bad severity", "findings/budget.rego", "severity: warning", "severity: minor",
			[]string{`finding COST_INCREASE_UNSUPPORTED has severity "minor"`}},
		{"duplicate code", "findings/budget.rego", "code: DECLARED_TOTAL_MISMATCH", "code: COST_INCREASE_UNSUPPORTED",
			[]string{"finding code COST_INCREASE_UNSUPPORTED is declared again"}},
		{"last band conditional", "data.yaml", "      - {code: support}\n", "",
			[]string{"params.conclusion.bands[4]: the last band must have no condition"}},
		{"band without text", "data.yaml", "reject: {zh: 不予支持, en: Not supported}", "",
			[]string{"params.conclusion.bands[0]: no text in params.conclusion.texts.reject"}},
		{"grade without points", "data.yaml", "{grade: 否, en: \"no\", points: 0}\n        - {grade: 无目标", "{grade: 否, en: \"no\"}\n        - {grade: 无目标",
			[]string{"rules/data.yaml:80: params.indicators.2.grades.1: missing property 'points'"}},
		{"last grade bounded", "data.yaml", "{grade: 低, en: low, points: 2}", "{grade: 低, en: low, min: 0.1, points: 2}",
			[]string{"(target.completeness): the last grade (低) must have no min or max"}},
		{"points above max", "data.yaml", "{grade: 是, en: \"yes\", min: 1, points: 3}", "{grade: 是, en: \"yes\", min: 1, points: 30}",
			[]string{"(feasibility.argumentation): grades[0] (是): points 30 outside 0–3"}},
		{"unknown finding code in indicator", "data.yaml", "finding_codes: [BUDGET_CONTRACT_MISMATCH,", "finding_codes: [BUDGET_MISMATCH,",
			[]string{"(budget.accuracy): finding_codes names BUDGET_MISMATCH, which no rule declares"}},
		{"manifest without name", "manifest.yaml", "name: chengdu-pre-budget", "name: \"\"",
			[]string{"manifest.yaml: ruleset.name is missing"}},
		{"manifest years reversed", "manifest.yaml", "from: 2019", "from: 2040",
			[]string{"ruleset.fiscal_years must give from and to (from ≤ to), got 2040–2030"}},
		{"basic item without rule", "data.yaml", "- code: need\n", "- code: needs\n",
			[]string{"params.basic.items[3]: no rule satisfied.needs in package budgetcheck.basic"}},
		{"parse error with column", "lib.rego", "fy := input.fiscal_year", "fy := input.fiscal_year +",
			[]string{"rules/lib.rego:15:17: rego_parse_error"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := chengdu(t)
			edit(t, fsys, tc.file, tc.old, tc.new)
			_, err := load(fsys)
			if err == nil {
				t.Fatal("loaded without a problem")
			}
			for _, want := range tc.wantInMsgs {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("problems do not mention %q:\n%v", want, err)
				}
			}
		})
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	fsys := chengdu(t)
	edit(t, fsys, "data.yaml", "      - {code: support}\n", "")
	edit(t, fsys, "manifest.yaml", "name: chengdu-pre-budget", "name: \"\"")
	_, err := load(fsys)
	if err == nil || !strings.Contains(err.Error(), "last band") || !strings.Contains(err.Error(), "ruleset.name is missing") {
		t.Fatalf("want both problems, got %v", err)
	}
}

// TestDataOverride: --data deep-merges over the ruleset's data, key by key.
func TestDataOverride(t *testing.T) {
	override := fstest.MapFS{"override.yaml": {Data: []byte("params:\n  payment:\n    lag_days: 15\n  contracts:\n    unsigned_statuses: [intent]\n")}}
	rs, err := load(chengdu(t), override)
	if err != nil {
		t.Fatal(err)
	}
	params := rs.Data["params"].(map[string]any)
	if got := params["payment"].(map[string]any)["lag_days"]; got.(interface{ String() string }).String() != "15" {
		t.Errorf("lag_days: got %v, want 15", got)
	}
	if got := params["contracts"].(map[string]any)["binding_statuses"]; got == nil {
		t.Error("the override dropped params.contracts.binding_statuses: not a deep merge")
	}
	if got := len(rs.Catalog.Indicators); got != 11 {
		t.Errorf("indicators after the override: %d", got)
	}
}
