package commands_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

const (
	chengduDir   = "../../../policies/chengdu"
	seedFile     = "../../../fixtures/qingbaijiang-2021/submission.yaml"
	fixturesRoot = "../../../fixtures"
)

func policyMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = commands.Main(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// copyRuleset copies the default ruleset (policies and tests) into a
// temporary directory a test may edit.
func copyRuleset(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "rules")
	err := filepath.WalkDir(chengduDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(chengduDir, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		bs, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), bs, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func editFile(t *testing.T, file, old, new string) {
	t.Helper()
	bs, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(bs, []byte(old)) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	if err := os.WriteFile(file, bytes.Replace(bs, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, file, text string) {
	t.Helper()
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// addFinding adds a finding rule to a ruleset copy: its # METADATA in
// findings/extra.rego and its message in data.yaml.
func addFinding(t *testing.T, dir, code, body string) {
	t.Helper()
	rule := `package budgetcheck.findings

# METADATA
# title: 测试问题
# description: Added by a test.
# custom:
#   code: ` + code + `
#   severity: warning
#   basis: 测试
findings contains {"code": "` + code + `", "subject": "project", "fact": "project.name", "params": {"n": 1}, "adjustments": []} if {
` + body + `
}
`
	if err := os.WriteFile(filepath.Join(dir, "findings", "extra.rego"), []byte(rule), 0o644); err != nil {
		t.Fatal(err)
	}
	editFile(t, filepath.Join(dir, "data.yaml"), "\n  findings:\n", "\n  findings:\n    "+code+": {zh: \"测试问题 {n}\", en: \"test finding {n}\"}\n")
}

func checkJSON(t *testing.T, args ...string) (*result.Document, string, int) {
	t.Helper()
	out, stderr, code := policyMain(t, append([]string{"check", "-f", "json"}, args...)...)
	var doc result.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("result is not JSON (exit %d, stderr %s): %v", code, stderr, err)
	}
	return &doc, stderr, code
}

func TestPolicyTestEmbeddedCoverage(t *testing.T) {
	out, stderr, code := policyMain(t, "policy", "test", "--coverage", "--threshold", "90", "--fixtures", fixturesRoot)
	if code != commands.ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	for _, want := range []string{"Rego tests: PASS", "Fixtures: PASS", "embedded:chengdu/indicators.rego", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "FAIL") {
		t.Errorf("a test failed:\n%s", out)
	}
}

func TestPolicyTestThresholdFails(t *testing.T) {
	out, _, code := policyMain(t, "policy", "test", "--threshold", "100.01", "--fixtures", "")
	if code != commands.ExitFail || !strings.Contains(out, "is below the threshold 100.01%") {
		t.Fatalf("exit %d, want 1 with a threshold message:\n%s", code, out)
	}
}

func TestPolicyTestRunFilter(t *testing.T) {
	out, _, code := policyMain(t, "policy", "test", "-v", "--run", "assessment_cycle_unpayable")
	if code != commands.ExitOK {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "test_assessment_cycle_unpayable_no_lag: PASS") || strings.Contains(out, "test_prepaid") {
		t.Errorf("--run did not filter:\n%s", out)
	}
	if strings.Contains(out, "Fixtures:") {
		t.Errorf("--run runs only the matching Rego tests:\n%s", out)
	}
	if _, _, code := policyMain(t, "policy", "test", "--run", "("); code != commands.ExitInput {
		t.Errorf("a bad --run: exit %d, want 2", code)
	}
}

// TestPolicyTestThresholdChangeShowsFixtureDiff is the newcomer's path: a
// grade threshold changed in the data file makes the seed fixture fail with
// a readable field-by-field diff, and a Rego test fail by name.
func TestPolicyTestThresholdChangeShowsFixtureDiff(t *testing.T) {
	dir := copyRuleset(t)
	editFile(t, filepath.Join(dir, "data.yaml"), "{grade: 中, en: medium, min: 0.3, points: 6}", "{grade: 中, en: medium, min: 0.4, points: 6}")
	out, _, code := policyMain(t, "policy", "test", dir, "--fixtures", fixturesRoot)
	if code != commands.ExitFail {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	for _, want := range []string{
		"test_target_completeness_medium_one_of_three: FAIL",
		"fixture " + fixturesRoot + "/qingbaijiang-2021/submission.yaml: FAIL",
		".indicators[0].grade\n      expected \"中\"\n      got      \"低\"",
		".score.total\n      expected \"70.13\"\n      got      \"64.94\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestPolicyTestFailingRegoTestIsNamed(t *testing.T) {
	dir := copyRuleset(t)
	appendFile(t, filepath.Join(dir, "lib_test.rego"), "\ntest_deliberately_wrong if {\n\tlib.ratio(1, 2) == 1\n}\n")
	out, _, code := policyMain(t, "policy", "test", dir, "--fixtures", "")
	if code != commands.ExitFail || !strings.Contains(out, "data.budgetcheck.lib_test.test_deliberately_wrong: FAIL") {
		t.Fatalf("exit %d, want 1 naming the test:\n%s", code, out)
	}
}

func TestPolicyCheck(t *testing.T) {
	out, stderr, code := policyMain(t, "policy", "check")
	if code != commands.ExitOK || !strings.Contains(out, "ok") || !strings.Contains(out, "11 indicators") {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
}

func TestPolicyCheckListsEveryProblem(t *testing.T) {
	dir := copyRuleset(t)
	editFile(t, filepath.Join(dir, "data.yaml"), "      - {code: support}\n", "")
	editFile(t, filepath.Join(dir, "findings", "budget.rego"), "#   severity: warning", "#   severity: minor")
	_, stderr, code := policyMain(t, "policy", "check", dir)
	if code != commands.ExitInput {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{"the last band must have no condition", `has severity "minor"`, "findings/budget.rego:"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("problems lack %q:\n%s", want, stderr)
		}
	}
}

// TestOnlyPolicyCommandsReadTests: check loads a ruleset without its
// *_test.rego modules (they are not parsed, so a broken one does not stop
// it); policy check and policy test read them and refuse the broken one.
func TestOnlyPolicyCommandsReadTests(t *testing.T) {
	dir := copyRuleset(t)
	appendFile(t, filepath.Join(dir, "lib_test.rego"), "\ntest_broken if {\n")
	doc, stderr, code := checkJSON(t, "--policy", dir, seedFile)
	if code != commands.ExitFail || doc.Score.Total.String() != "70.13" {
		t.Fatalf("check: exit %d, score %s, want 1 and 70.13:\n%s", code, doc.Score.Total, stderr)
	}
	for _, args := range [][]string{{"policy", "check", dir}, {"policy", "test", dir, "--fixtures", ""}} {
		_, stderr, code := policyMain(t, args...)
		if code != commands.ExitInput || !strings.Contains(stderr, "lib_test.rego:") {
			t.Errorf("%s: exit %d, want 2 naming lib_test.rego:\n%s", strings.Join(args, " "), code, stderr)
		}
	}
}

func TestPolicyCheckCompileErrorHasColumn(t *testing.T) {
	dir := copyRuleset(t)
	editFile(t, filepath.Join(dir, "indicators.rego"), "count(input.subprojects) > 0\n\tcovered", "count(input.subprojectz, 1) > 0\n\tcovered")
	_, stderr, code := policyMain(t, "policy", "check", dir)
	if code != commands.ExitInput || !strings.Contains(stderr, "/indicators.rego:") || !strings.Contains(stderr, "rego_type_error") {
		t.Fatalf("exit %d, want 2 with file:line:col:\n%s", code, stderr)
	}
}

// TestSandboxRefusesHTTPSend: a rule that calls http.send is refused at load,
// naming the builtin and its file:line:col, by every command.
func TestSandboxRefusesHTTPSend(t *testing.T) {
	dir := copyRuleset(t)
	addFinding(t, dir, "REMOTE_CHECK", "\tresp := http.send({\"method\": \"GET\", \"url\": \"http://localhost:1\"})\n\tresp.status_code != 200")
	want := "extra.rego:11:10: rego_type_error: builtin not allowed in budgetcheck policies (results must be reproducible and offline): http.send"
	_, stderr, code := policyMain(t, "policy", "check", dir)
	if code != commands.ExitInput || !strings.Contains(stderr, want) {
		t.Errorf("policy check: exit %d, want 2 with %q:\n%s", code, want, stderr)
	}
	_, stderr, code = policyMain(t, "check", "--policy", dir, seedFile)
	if code != commands.ExitInput || !strings.Contains(stderr, "http.send") || !strings.Contains(stderr, "extra.rego:11") {
		t.Errorf("check: exit %d, want 2 naming http.send and the file:line:\n%s", code, stderr)
	}
	for _, builtin := range []string{"time.now_ns()", "rand.intn(\"x\", 10)", "uuid.rfc4122(\"x\")", "opa.runtime()", "net.lookup_ip_addr(\"localhost\")"} {
		dir := copyRuleset(t)
		addFinding(t, dir, "SANDBOXED", "\tx := "+builtin+"\n\tx == x")
		name := builtin[:strings.IndexByte(builtin, '(')]
		if _, stderr, code := policyMain(t, "policy", "check", dir); code != commands.ExitInput || !strings.Contains(stderr, "not allowed in budgetcheck policies") || !strings.Contains(stderr, name) {
			t.Errorf("%s: exit %d, want 2 naming it:\n%s", name, code, stderr)
		}
	}
}

// TestPolicyCopyWithNewFinding: a copy of the default ruleset that adds one
// finding rule works end to end — loaded, checked, evaluated, reported.
func TestPolicyCopyWithNewFinding(t *testing.T) {
	dir := copyRuleset(t)
	addFinding(t, dir, "PROJECT_NAME_LONG", "\tcount(input.project.name) > 10")
	if out, stderr, code := policyMain(t, "policy", "check", dir); code != commands.ExitOK {
		t.Fatalf("policy check: exit %d\n%s%s", code, out, stderr)
	}
	doc, stderr, code := checkJSON(t, "--policy", dir, seedFile)
	if code != commands.ExitFail {
		t.Fatalf("exit %d, want 1 (the seed's error findings): %s", code, stderr)
	}
	var found *result.Finding
	for i, f := range doc.Findings {
		if f.Code == "PROJECT_NAME_LONG" {
			found = &doc.Findings[i]
		}
	}
	if found == nil {
		t.Fatal("the new finding is not in the result")
	}
	if found.Severity != "warning" || found.Message != "测试问题 1" || found.Location.Line == 0 {
		t.Errorf("new finding: %+v", *found)
	}
	if doc.Score.Total.String() != "70.13" || doc.Budget.Recommended.String() != "222.445" {
		t.Errorf("the seed's numbers changed: %s, %s", doc.Score.Total, doc.Budget.Recommended)
	}
	out, _, _ := policyMain(t, "policy", "docs", dir)
	if !strings.Contains(out, "### PROJECT_NAME_LONG") {
		t.Error("the catalogue of the copy lacks the new finding")
	}
}

// TestDataOverrideLagZero: --data deep-merges over the ruleset's data; with
// no payment lag all four of C7's quarterly cycles are payable in 2021.
func TestDataOverrideLagZero(t *testing.T) {
	override := filepath.Join(t.TempDir(), "district.yaml")
	if err := os.WriteFile(override, []byte("params:\n  payment:\n    lag_days: 0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, stderr, _ := checkJSON(t, "--data", override, seedFile)
	if len(doc.Errors) > 0 {
		t.Fatalf("errors: %v %s", doc.Errors, stderr)
	}
	for _, f := range doc.Findings {
		if f.Code == "ASSESSMENT_CYCLE_UNPAYABLE" && f.Subject == "C7" {
			t.Errorf("C7 still has unpayable cycles: %s", f.Message)
		}
	}
	var l5 *result.Line
	for i, l := range doc.Budget.Lines {
		if l.ID == "L5" {
			l5 = &doc.Budget.Lines[i]
		}
	}
	if l5 == nil || l5.Recommended.String() != "57.4" {
		t.Fatalf("L5 recommended: %+v, want 57.4 (4 cycles × 11.725 + 10.5)", l5)
	}
	// the rest of params is still there (deep merge, not replace)
	if doc.Score.Total.String() != "70.13" {
		t.Errorf("score %s, want 70.13", doc.Score.Total)
	}
}

func TestCheckRefusesUncoveredFiscalYear(t *testing.T) {
	bs, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "submission.yaml")
	if err := os.WriteFile(file, bytes.Replace(bs, []byte("fiscal_year: 2021"), []byte("fiscal_year: 2041"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := policyMain(t, "check", file)
	if code != commands.ExitInput {
		t.Fatalf("exit %d, want 2", code)
	}
	for _, want := range []string{file + ":12:", "chengdu-pre-budget 1.0.0 covers fiscal years 2019–2030, not 2041"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("message lacks %q:\n%s", want, stderr)
		}
	}
}

// TestTimeoutStopsRunawayPolicy: a rule that does not terminate in time is
// stopped by --timeout with a clear error and exit 3.
func TestTimeoutStopsRunawayPolicy(t *testing.T) {
	dir := copyRuleset(t)
	addFinding(t, dir, "RUNAWAY", "\tcount([1 | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000); i != j]) < 0")
	_, stderr, code := policyMain(t, "check", "--policy", dir, "--timeout", "300ms", seedFile)
	if code != commands.ExitInternal {
		t.Fatalf("exit %d, want 3:\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "evaluation took longer than 300ms (--timeout)") {
		t.Errorf("message:\n%s", stderr)
	}
}

func TestPolicyDocs(t *testing.T) {
	out, _, code := policyMain(t, "policy", "docs", "--format", "json")
	if code != commands.ExitOK {
		t.Fatalf("exit %d", code)
	}
	var doc struct {
		Indicators []struct {
			Code   string `json:"code"`
			Grades []struct {
				Grade  string `json:"grade"`
				Points string `json:"points"`
			} `json:"grades"`
		} `json:"indicators"`
		Findings []struct {
			Code, Severity, Basis string
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Indicators) != 11 || doc.Indicators[0].Code != "target.completeness" || doc.Indicators[0].Grades[1].Grade != "中" || doc.Indicators[0].Grades[1].Points != "6" {
		t.Errorf("indicators: %+v", doc.Indicators)
	}
	if len(doc.Findings) < 18 || doc.Findings[0].Severity != "error" {
		t.Errorf("findings: %+v", doc.Findings)
	}
	if _, _, code := policyMain(t, "policy", "docs", "--format", "pdf"); code != commands.ExitInput {
		t.Errorf("--format pdf: exit %d, want 2", code)
	}
}

func TestPolicyInput(t *testing.T) {
	out, _, code := policyMain(t, "policy", "input", seedFile)
	if code != commands.ExitOK {
		t.Fatalf("exit %d", code)
	}
	var in struct {
		FiscalYear int `json:"fiscal_year"`
		Project    struct {
			RequestedFen int64 `json:"requested_fen"`
		} `json:"project"`
	}
	if err := json.Unmarshal([]byte(out), &in); err != nil {
		t.Fatal(err)
	}
	if in.FiscalYear != 2021 || in.Project.RequestedFen != 256204000 {
		t.Errorf("input: %+v", in)
	}
}

func TestCheckExplainIndicator(t *testing.T) {
	_, stderr, _ := policyMain(t, "check", "--explain", "target.completeness", seedFile)
	for _, want := range []string{
		"== indicator target.completeness (绩效目标完整性)",
		"rules: embedded:chengdu/indicators.rego:",
		"input.targets",
		"covered = 1",
		"by_subproject = 0.3333",
		"中 (m ≥ 0.3): 6 points  ←",
		"measure 0.3333 → 中 → 6 of 10 points",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("explanation lacks %q:\n%s", want, stderr)
		}
	}
}

func TestCheckExplainFinding(t *testing.T) {
	out, stderr, _ := policyMain(t, "check", "-f", "json", "--explain", "ASSESSMENT_CYCLE_UNPAYABLE", seedFile)
	for _, want := range []string{
		"== finding ASSESSMENT_CYCLE_UNPAYABLE",
		"input.contracts[_].cycles",
		"lib.params.payment.lag_days",
		"amount = 11725000",
		"adjust L5 by -11.725",
		"adjust L4 by -26.9",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("explanation lacks %q:\n%s", want, stderr)
		}
	}
	var doc result.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Errorf("--explain must leave stdout to the result document: %v", err)
	}
	if _, stderr, code := policyMain(t, "check", "--explain", "NO_SUCH_CODE", seedFile); code != commands.ExitInput || !strings.Contains(stderr, "no indicator or finding has that code") {
		t.Errorf("unknown code: exit %d\n%s", code, stderr)
	}
}

// TestPolicyTestEachDirIsARuleset: a second region is a sibling folder, and
// `policy test A B` tests each on its own.
func TestPolicyTestEachDirIsARuleset(t *testing.T) {
	good, bad := copyRuleset(t), copyRuleset(t)
	appendFile(t, filepath.Join(bad, "lib_test.rego"), "\ntest_deliberately_wrong if {\n\tlib.ratio(1, 2) == 1\n}\n")
	out, _, code := policyMain(t, "policy", "test", good, bad, "--fixtures", "")
	if code != commands.ExitFail {
		t.Fatalf("exit %d, want 1:\n%s", code, out)
	}
	if strings.Count(out, "Rego tests: PASS") != 2 || strings.Count(out, "test_deliberately_wrong: FAIL") != 1 {
		t.Errorf("want two rulesets, one failing test:\n%s", out)
	}
	if _, stderr, code := policyMain(t, "policy", "check", good, bad); code != commands.ExitOK {
		t.Errorf("policy check of two sound rulesets: exit %d\n%s", code, stderr)
	}
}

// TestPolicyTestFindsFixturesAbove: run from a sub-folder of the repository
// (as the tests are), policy test finds fixtures/ above and says where; a
// folder outside says there are none instead of dropping them silently.
func TestPolicyTestFindsFixturesAbove(t *testing.T) {
	out, _, code := run(t, "policy", "test")
	if code != 0 || !strings.Contains(out, "Fixtures: ../../../fixtures") || !strings.Contains(out, "Fixtures: PASS") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	wd, _ := os.Getwd()
	t.Cleanup(func() { _ = os.Chdir(wd) })
	if err := os.Chdir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	out, _, code = run(t, "policy", "test")
	if code != 0 || !strings.Contains(out, "Fixtures: none (no fixtures/ folder here or above") {
		t.Errorf("outside the repository: exit %d:\n%s", code, out)
	}
}

// TestDataOverrideOfTheWrongType: a --data value of the wrong type or range
// exits 2 naming the data file and line, before any evaluation (no result
// is written), for check and for policy check.
func TestDataOverrideOfTheWrongType(t *testing.T) {
	for _, tc := range []struct{ value, zh, en string }{
		{`"30"`, `params.payment.lag_days: 应为整数，实为字符串 "30"`, `params.payment.lag_days: got string, want integer ("30")`},
		{"0.5", "params.payment.lag_days: 应为整数，实为数值 0.5", "params.payment.lag_days: got number, want integer (0.5)"},
		{"-30", "params.payment.lag_days: 应不小于 0，实为 -30", "params.payment.lag_days: minimum: got -30, want 0"},
	} {
		t.Run(tc.value, func(t *testing.T) {
			override := filepath.Join(t.TempDir(), "district.yaml")
			if err := os.WriteFile(override, []byte("# a district's lag\nparams:\n  payment:\n    lag_days: "+tc.value+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, stderr, code := run(t, "check", "--data", override, seedFile)
			if code != commands.ExitInput || out != "" || !strings.Contains(stderr, override+":4: "+tc.zh) {
				t.Errorf("check: exit %d, stdout %q, stderr %q; want 2 and %s:4: %s", code, out, stderr, override, tc.zh)
			}
			_, stderr, code = run(t, "check", "--lang", "en", "--format", "json", "--data", override, seedFile)
			if code != commands.ExitInput || !strings.Contains(stderr, override+":4: "+tc.en) {
				t.Errorf("check --lang en: exit %d, stderr %q; want 2 and %s:4: %s", code, stderr, override, tc.en)
			}
			_, stderr, code = run(t, "policy", "check", "--data", override)
			if code != commands.ExitInput || !strings.Contains(stderr, override+":4: ") {
				t.Errorf("policy check: exit %d, stderr %q; want 2 and %s:4", code, stderr, override)
			}
		})
	}
}
