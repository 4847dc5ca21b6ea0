package commands_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator/result"
)

// Tests of the CI checks (issue 4), all through commands.Main.

const (
	ciSeed      = "../../../fixtures/qingbaijiang-2021/submission.yaml"
	ciCorrected = "../../../fixtures/qingbaijiang-2021-corrected/submission.yaml"
	ciWaiver    = "../../../fixtures/waiver-unsigned/submission.yaml"
	ciClean     = "../../../fixtures/clean-100/submission.yaml"
	ciSchema    = "../../../fixtures/schemas/sarif-2.1.0.json"
)

// ciSchemaPath is absolute: some tests change the working directory.
var ciSchemaPath, _ = filepath.Abs(ciSchema)

func ciMain(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = commands.Main(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

// ciDoc runs check -f json with args and decodes the result document.
func ciDoc(t *testing.T, args ...string) (*result.Document, int) {
	t.Helper()
	out, stderr, code := ciMain(t, append([]string{"check", "-f", "json"}, args...)...)
	var doc result.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("check %v: %v\nstderr: %s", args, err, stderr)
	}
	return &doc, code
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

type sarifResult struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine   int `json:"startLine"`
				StartColumn int `json:"startColumn"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	Suppressions []struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	} `json:"suppressions"`
	Properties struct {
		Subject string `json:"subject"`
	} `json:"properties"`
}

type sarifLog struct {
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID               string `json:"id"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					Help struct {
						Text string `json:"text"`
					} `json:"help"`
					DefaultConfiguration struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties struct {
						Basis string `json:"basis"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []sarifResult `json:"results"`
	} `json:"runs"`
}

// validateSARIF checks out against the SARIF 2.1.0 JSON schema.
func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	f, err := os.Open(ciSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("file:///sarif-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("file:///sarif-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("SARIF output does not validate against the SARIF 2.1.0 schema: %v", err)
	}
}

func TestCISARIFSeedValidatesWithLines(t *testing.T) {
	out, _, code := ciMain(t, "check", "-f", "sarif", ciSeed)
	if code != commands.ExitFail {
		t.Errorf("exit %d, want 1", code)
	}
	validateSARIF(t, []byte(out))
	doc, _ := ciDoc(t, ciSeed)

	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("version %q, %d runs; want 2.1.0 and one run", log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	rules := map[string]int{}
	for i, r := range run.Tool.Driver.Rules {
		rules[r.ID] = i
		if r.ShortDescription.Text == "" || r.Help.Text == "" || r.Properties.Basis == "" {
			t.Errorf("rule %s lacks a title, help text or basis: %+v", r.ID, r)
		}
	}
	for _, code := range []string{"PREPAID_MAINTENANCE", "CONTRACT_UNSIGNED", "TARGETS_INCOMPLETE", "DECLARED_TOTAL_MISMATCH", "WAIVER_EXPIRED", "WAIVER_WITHOUT_REASON", "WAIVER_UNKNOWN_CODE"} {
		if _, ok := rules[code]; !ok {
			t.Errorf("no rule %s in tool.driver.rules", code)
		}
	}
	if r := run.Tool.Driver.Rules[rules["PREPAID_MAINTENANCE"]]; r.DefaultConfiguration.Level != "error" || !strings.Contains(r.Help.Text, "运维服务应按考核结果付费") {
		t.Errorf("PREPAID_MAINTENANCE rule: level %q, help %q", r.DefaultConfiguration.Level, r.Help.Text)
	}
	if len(run.Results) != len(doc.Findings) || len(run.Results) != 19 {
		t.Fatalf("%d results, want one per finding (%d, 19 on the seed)", len(run.Results), len(doc.Findings))
	}
	want := map[string]string{"error": "error", "warning": "warning", "info": "note"}
	for i, r := range run.Results {
		f := doc.Findings[i]
		loc := r.Locations[0].PhysicalLocation
		if r.RuleID != f.Code || loc.Region.StartLine != f.Location.Line || loc.Region.StartLine == 0 || loc.Region.StartColumn != f.Location.Column {
			t.Errorf("result %d: %s at line %d col %d, want %s at %d:%d", i, r.RuleID, loc.Region.StartLine, loc.Region.StartColumn, f.Code, f.Location.Line, f.Location.Column)
		}
		if loc.ArtifactLocation.URI != "../../../fixtures/qingbaijiang-2021/submission.yaml" {
			t.Errorf("result %d: uri %q", i, loc.ArtifactLocation.URI)
		}
		if r.Level != want[f.Severity] {
			t.Errorf("result %d (%s): level %q for severity %s", i, r.RuleID, r.Level, f.Severity)
		}
		if r.RuleIndex == nil || run.Tool.Driver.Rules[*r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %d (%s): ruleIndex does not point at its rule", i, r.RuleID)
		}
	}
	lines := map[string]int{}
	for _, r := range run.Results {
		lines[r.RuleID+"/"+r.Properties.Subject] = r.Locations[0].PhysicalLocation.Region.StartLine
		if r.RuleID == "PREPAID_MAINTENANCE" && !strings.Contains(r.Message.Text, "调整：L1 -20万元") {
			t.Errorf("PREPAID_MAINTENANCE message lacks its adjustment: %q", r.Message.Text)
		}
	}
	// The 90.4 instalment of C1; the 81 of budget line L4.
	if got := lines["PREPAID_MAINTENANCE/C1"]; got != 196 {
		t.Errorf("PREPAID_MAINTENANCE at line %d, want 196 (the 90.4 instalment)", got)
	}
	if got := lines["BUDGET_CONTRACT_MISMATCH/L4"]; got != 302 {
		t.Errorf("BUDGET_CONTRACT_MISMATCH L4 at line %d, want 302 (amount: 81)", got)
	}
}

func TestCISARIFWaivedFindingIsSuppressed(t *testing.T) {
	out, _, code := ciMain(t, "check", "-f", "sarif", "--date", "2021-10-15", ciWaiver)
	if code != commands.ExitOK {
		t.Errorf("exit %d, want 0", code)
	}
	validateSARIF(t, []byte(out))
	var log sarifLog
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if len(res) != 1 || res[0].RuleID != "CONTRACT_UNSIGNED" || len(res[0].Suppressions) != 1 ||
		res[0].Suppressions[0].Kind != "inSource" || !strings.Contains(res[0].Suppressions[0].Justification, "市级统一采购") {
		t.Errorf("want one CONTRACT_UNSIGNED result with an inSource suppression and its reason, got %+v", res)
	}
}

func TestCIGitHubOneAnnotationPerFinding(t *testing.T) {
	out, _, code := ciMain(t, "check", "-f", "github", ciSeed)
	if code != commands.ExitFail {
		t.Errorf("exit %d, want 1", code)
	}
	doc, _ := ciDoc(t, ciSeed)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != len(doc.Findings) {
		t.Fatalf("%d lines, want one annotation per finding (%d)", len(lines), len(doc.Findings))
	}
	counts := map[string]int{}
	re := regexp.MustCompile(`^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.+)$`)
	for i, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("line %d is not a workflow command with file, line, col and title: %q", i+1, l)
		}
		counts[m[1]]++
		f := doc.Findings[i]
		if m[3] != strconv.Itoa(f.Location.Line) || !strings.HasPrefix(m[5], f.Code+" ") {
			t.Errorf("annotation %d: line %s title %q, want line %d for %s", i+1, m[3], m[5], f.Location.Line, f.Code)
		}
	}
	if counts["error"] != 7 || counts["warning"] != 11 || counts["notice"] != 1 {
		t.Errorf("annotations by command %v, want 7 errors, 11 warnings, 1 notice", counts)
	}
	if !strings.Contains(out, "::error file=../../../fixtures/qingbaijiang-2021/submission.yaml,line=196,col=") {
		t.Errorf("no error annotation at line 196 (PREPAID_MAINTENANCE)")
	}
	// % in a message is escaped as %25 (the seed's ≥95%).
	if !strings.Contains(out, "≥95%25") {
		t.Errorf("percent signs in messages are not escaped")
	}
}

func TestCIJUnitParses(t *testing.T) {
	out, _, code := ciMain(t, "check", "-f", "junit", ciSeed)
	if code != commands.ExitFail {
		t.Errorf("exit %d, want 1", code)
	}
	var suites struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &suites); err != nil {
		t.Fatalf("JUnit output does not parse as XML: %v", err)
	}
	if len(suites.Suites) != 1 {
		t.Fatalf("%d test suites, want 1", len(suites.Suites))
	}
	indicators, failedCodes := 0, map[string]string{}
	for _, c := range suites.Suites[0].Cases {
		switch c.Classname {
		case "budgetcheck.indicator":
			indicators++
		case "budgetcheck.finding":
			if c.Failure != nil {
				failedCodes[strings.Fields(c.Name)[0]] = c.Failure.Text
			}
		}
	}
	if indicators != 11 {
		t.Errorf("%d indicator test cases, want 11", indicators)
	}
	// 12 codes have findings on the seed.
	if len(failedCodes) != 12 {
		t.Errorf("%d failing finding codes, want 12: %v", len(failedCodes), failedCodes)
	}
	if text := failedCodes["PREPAID_MAINTENANCE"]; !strings.Contains(text, "submission.yaml:196:") {
		t.Errorf("PREPAID_MAINTENANCE failure lacks file:line: %q", text)
	}
	if text := failedCodes["BUDGET_CONTRACT_MISMATCH"]; !strings.Contains(text, "submission.yaml:302:") || !strings.Contains(text, "submission.yaml:309:") {
		t.Errorf("BUDGET_CONTRACT_MISMATCH failure lacks both lines: %q", text)
	}
}

func TestCIMarkdownSummary(t *testing.T) {
	out, _, _ := ciMain(t, "check", "-f", "markdown", ciSeed)
	for _, want := range []string{"70.13", "调整后予以支持", "`PREPAID_MAINTENANCE`", "submission.yaml:196", "| L1 | 信息化建设 | 90.4 | 70.4 | -20 |", "**222.445**", "**-33.759**"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
}

func TestCIWaiverKeepsExitZeroUntilItExpires(t *testing.T) {
	doc, code := ciDoc(t, "--date", "2021-10-15", ciWaiver)
	if code != commands.ExitOK {
		t.Errorf("waived CONTRACT_UNSIGNED: exit %d, want 0", code)
	}
	if doc.Summary.Errors != 0 || doc.Summary.Waived != 1 || len(doc.Findings) != 1 || doc.Findings[0].Waived == nil {
		t.Errorf("summary %+v, findings %+v: want the one finding waived and counted apart", doc.Summary, doc.Findings)
	}
	if doc.Score.Total.String() != "100" {
		t.Errorf("score %s: waivers must not change scores", doc.Score.Total)
	}
	// The day it expires it still holds.
	if _, code := ciDoc(t, "--date", "2021-12-31", ciWaiver); code != commands.ExitOK {
		t.Errorf("on its expiry date: exit %d, want 0", code)
	}

	doc, code = ciDoc(t, "--date", "2022-01-05", ciWaiver)
	if code != commands.ExitFail {
		t.Errorf("expired waiver: exit %d, want 1", code)
	}
	codes := findingCodes(doc)
	if !slices.Equal(codes, []string{"CONTRACT_UNSIGNED", "WAIVER_EXPIRED"}) || doc.Summary.Errors != 2 || doc.Summary.Waived != 0 {
		t.Errorf("expired waiver: findings %v, summary %+v; want CONTRACT_UNSIGNED and WAIVER_EXPIRED as errors", codes, doc.Summary)
	}
	for _, f := range doc.Findings {
		if f.Code == "WAIVER_EXPIRED" && (f.Severity != "error" || f.Location.Line != 104) {
			t.Errorf("WAIVER_EXPIRED: severity %s at line %d, want error at 104 (expires:)", f.Severity, f.Location.Line)
		}
	}

	// Without its waiver the same submission fails: it was the only error.
	data, err := os.ReadFile(ciWaiver)
	if err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(t.TempDir(), "submission.yaml")
	if err := os.WriteFile(bare, data[:bytes.Index(data, []byte("\nwaivers:"))+1], 0o644); err != nil {
		t.Fatal(err)
	}
	doc, code = ciDoc(t, "--date", "2021-10-15", bare)
	if code != commands.ExitFail || !slices.Equal(findingCodes(doc), []string{"CONTRACT_UNSIGNED"}) {
		t.Errorf("without the waiver: exit %d, findings %v; want 1 and CONTRACT_UNSIGNED alone", code, findingCodes(doc))
	}

	// The same waiver from --waivers FILE.
	waivers := filepath.Join(t.TempDir(), "waivers.yaml")
	os.WriteFile(waivers, []byte("waivers:\n  - code: CONTRACT_UNSIGNED\n    subject: C2\n    reason: 市级统一采购，签订中\n    approved_by: 预算科\n    expires: 2021-12-31\n"), 0o644)
	doc, code = ciDoc(t, "--date", "2021-10-15", "--waivers", waivers, bare)
	if code != commands.ExitOK || doc.Summary.Waived != 1 || doc.Findings[0].Waived.File != waivers {
		t.Errorf("--waivers: exit %d, summary %+v; want 0 and one waived", code, doc.Summary)
	}
}

func TestCIBadWaiversAreErrors(t *testing.T) {
	waivers := filepath.Join(t.TempDir(), "waivers.yaml")
	os.WriteFile(waivers, []byte(`waivers:
  - code: CONTRACT_UNSIGNED
    subject: C2
  - code: CONTRACT_UNSINGED
    subject: "*"
    reason: typo in the code
`), 0o644)
	doc, code := ciDoc(t, "--date", "2021-10-15", "--waivers", waivers, ciClean)
	if code != commands.ExitFail {
		t.Errorf("exit %d, want 1", code)
	}
	got := map[string]int{}
	for _, f := range doc.Findings {
		got[f.Code] = f.Location.Line
		if f.Severity != "error" {
			t.Errorf("%s has severity %s, want error", f.Code, f.Severity)
		}
	}
	if got["WAIVER_WITHOUT_REASON"] != 2 || got["WAIVER_UNKNOWN_CODE"] != 4 || len(got) != 2 {
		t.Errorf("findings %v: want WAIVER_WITHOUT_REASON at line 2 and WAIVER_UNKNOWN_CODE at line 4", got)
	}

	os.WriteFile(waivers, []byte("waivers:\n  - code: X\n    reasn: typo\n"), 0o644)
	if _, stderr, code := ciMain(t, "check", "--waivers", waivers, ciClean); code != commands.ExitInput || !strings.Contains(stderr, "reasn") {
		t.Errorf("unknown field in a waivers file: exit %d (%s), want 2 naming the field", code, stderr)
	}
}

func findingCodes(doc *result.Document) []string {
	var codes []string
	for _, f := range doc.Findings {
		codes = append(codes, f.Code)
	}
	return codes
}

func TestCIBaselineListsResolvedFindings(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "seed.json")
	if _, _, code := ciMain(t, "check", "-f", "json", "-o", base, ciSeed); code != commands.ExitFail {
		t.Fatalf("seed: exit %d, want 1", code)
	}
	doc, code := ciDoc(t, "--baseline", base, ciCorrected)
	if code != commands.ExitFail {
		t.Errorf("corrected resubmission: exit %d, want 1 (CONTRACT_UNSIGNED is still there)", code)
	}
	var resolved []string
	for _, f := range doc.Resolved {
		resolved = append(resolved, f.Code+"/"+f.Subject)
	}
	want := []string{"PREPAID_MAINTENANCE/C1", "CONTRACT_PAYMENT_UNBUDGETED/C3", "CONTRACT_PAYMENT_UNBUDGETED/C4",
		"ASSESSMENT_CYCLE_UNPAYABLE/C6", "ASSESSMENT_CYCLE_UNPAYABLE/C7",
		"ARREARS_UNBUDGETED/C7", "BUDGET_CONTRACT_MISMATCH/L4", "BUDGET_CONTRACT_MISMATCH/L5", "COST_INCREASE_UNSUPPORTED/L5"}
	if !slices.Equal(resolved, want) {
		t.Errorf("resolved %v, want %v", resolved, want)
	}
	for _, f := range doc.Findings {
		if f.Baseline != result.Unchanged {
			t.Errorf("%s %s is %q, want unchanged", f.Code, f.Subject, f.Baseline)
		}
	}
	if doc.Budget.Recommended.String() != "222.445" {
		t.Errorf("recommended %s, want 222.445", doc.Budget.Recommended)
	}
	// Nothing new: --fail-on new passes.
	if _, stderr, code := ciMain(t, "check", "--baseline", base, "--fail-on", "new", ciCorrected); code != commands.ExitOK {
		t.Errorf("--fail-on new: exit %d, want 0 (%s)", code, stderr)
	}
	// The other way round, the seed's findings are new against the correction.
	corrected := filepath.Join(dir, "corrected.json")
	ciMain(t, "check", "-f", "json", "-o", corrected, ciCorrected)
	doc, _ = ciDoc(t, "--baseline", corrected, ciSeed)
	news := 0
	for _, f := range doc.Findings {
		if f.Baseline == result.New {
			news++
		}
	}
	if news != 9 || len(doc.Resolved) != 0 {
		t.Errorf("seed against the correction: %d new, %d resolved; want 9 and 0", news, len(doc.Resolved))
	}
	if _, _, code := ciMain(t, "check", "--baseline", corrected, "--fail-on", "new", ciSeed); code != commands.ExitFail {
		t.Errorf("--fail-on new with new errors: exit %d, want 1", code)
	}
}

func TestCIFailRules(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		want       int
		allFormats bool
	}{
		{"default fails on the seed's errors", []string{ciSeed}, commands.ExitFail, true},
		{"never", []string{"--fail-on", "never", ciSeed}, commands.ExitOK, true},
		{"never, score 70.13 not below 70", []string{"--fail-on", "never", "--min-score", "70", ciSeed}, commands.ExitOK, false},
		{"never, score 70.13 below 75", []string{"--fail-on", "never", "--min-score", "75", ciSeed}, commands.ExitFail, false},
		{"never, conclusion adjust", []string{"--fail-on", "never", "--fail-on-conclusion", "adjust", ciSeed}, commands.ExitFail, false},
		{"clean project passes warning", []string{"--fail-on", "warning", "--fail-on-conclusion", "adjust", "--min-score", "100", ciClean}, commands.ExitOK, false},
		{"warning, the only finding waived", []string{"--fail-on", "warning", "--date", "2021-10-15", ciWaiver}, commands.ExitOK, false},
		{"unknown --fail-on", []string{"--fail-on", "sometimes", ciSeed}, commands.ExitInput, true},
		{"two severities", []string{"--fail-on", "error,warning", ciSeed}, commands.ExitInput, false},
		{"new without baseline", []string{"--fail-on", "new", ciSeed}, commands.ExitInput, false},
		{"bad --min-score", []string{"--min-score", "high", ciSeed}, commands.ExitInput, false},
		{"bad --fail-on-conclusion", []string{"--fail-on-conclusion", "maybe", ciSeed}, commands.ExitInput, false},
		{"bad --date", []string{"--date", "2021-13-01", ciSeed}, commands.ExitInput, false},
		{"missing file", []string{"nonexistent.yaml"}, commands.ExitInput, true},
		{"timeout is internal", []string{"--timeout", "1ns", ciSeed}, commands.ExitInternal, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// The exit code is the same in every format.
			formats := []string{"json"}
			if tt.allFormats {
				formats = []string{"text", "json", "sarif", "junit", "github", "markdown"}
			}
			for _, format := range formats {
				_, stderr, code := ciMain(t, append([]string{"check", "-f", format}, tt.args...)...)
				if code != tt.want {
					t.Errorf("-f %s: exit %d, want %d\n%s", format, code, tt.want, stderr)
				}
			}
		})
	}
}

func TestCIFormatsAndOutputsPairUp(t *testing.T) {
	dir := t.TempDir()
	sarif, junit := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "out.xml")
	out, _, code := ciMain(t, "check", "-f", "sarif", "-o", sarif, "-f", "junit", "-o", junit, "-f", "text", ciSeed)
	if code != commands.ExitFail {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(out, "70.13") || strings.Contains(out, "<testsuites") || strings.Contains(out, `"2.1.0"`) {
		t.Errorf("stdout should hold the text report alone")
	}
	data, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, data)
	data, err = os.ReadFile(junit)
	if err != nil || !bytes.Contains(data, []byte("<testsuites")) {
		t.Errorf("junit file: %v", err)
	}
	for _, args := range [][]string{
		{"-f", "sarif", "-f", "junit"},                     // both to stdout
		{"-f", "sarif", "-o", "a", "-o", "b"},              // an output without a format
		{"-f", "yaml"},                                     // unknown format
		{"-f", "json", "-o", "x", "-f", "text", "-o", "x"}, // one file twice
	} {
		if _, stderr, code := ciMain(t, append(append([]string{"check"}, args...), ciSeed)...); code != commands.ExitInput {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, stderr)
		}
	}
}

func TestCIConfigFile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "budgets", "2021")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(ciWaiver)
	os.WriteFile(filepath.Join(dir, "budgets", "submission.yaml"), data, 0o644)
	os.WriteFile(filepath.Join(dir, ".budgetcheck.yaml"), []byte(`# CI options
files: [budgets/*.yaml]
format: [sarif, text]
output: [out/budgetcheck.sarif]
fail_on: warning
date: 2022-01-05
lang: en
`), 0o644)
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	clean := abs(t, ciClean)
	t.Chdir(sub) // found from the working directory upward

	out, stderr, code := ciMain(t, "check")
	if code != commands.ExitFail {
		t.Errorf("config date 2022-01-05 (waiver expired): exit %d, want 1\n%s", code, stderr)
	}
	if !strings.Contains(out, "Waiver expired") {
		t.Errorf("stdout lacks the English text report: %q", out)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "out", "budgetcheck.sarif")); err != nil {
		t.Errorf("config output: %v", err)
	} else {
		validateSARIF(t, data)
		// Files from the configuration are given relative to the working directory.
		if !bytes.Contains(data, []byte(`"uri": "../submission.yaml"`)) {
			t.Errorf("SARIF uri is not relative to the working directory")
		}
	}
	// Flags win over the configuration.
	if _, stderr, code := ciMain(t, "check", "--date", "2021-10-15", "-f", "text"); code != commands.ExitOK {
		t.Errorf("--date overriding the config: exit %d, want 0\n%s", code, stderr)
	}
	// Arguments win over files:.
	if out, stderr, code := ciMain(t, "check", "-f", "text", clean); code != commands.ExitOK || strings.Contains(out, "Waiver") || !strings.Contains(out, "100.00") {
		t.Errorf("file argument with a config: exit %d, want 0 and the clean project alone\n%s%s", code, out, stderr)
	}
	os.WriteFile(filepath.Join(dir, ".budgetcheck.yaml"), []byte("files: [budgets/*.yaml]\nfail-onn: warning\n"), 0o644)
	if _, stderr, code := ciMain(t, "check"); code != commands.ExitInput || !strings.Contains(stderr, ".budgetcheck.yaml:2") {
		t.Errorf("unknown option: exit %d (%s), want 2 with file:line", code, stderr)
	}
}

func TestCISARIFInputErrors(t *testing.T) {
	out, _, code := ciMain(t, "check", "-f", "sarif", "../../../fixtures/invalid/unknown-fields.yaml")
	if code != commands.ExitInput {
		t.Errorf("exit %d, want 2", code)
	}
	validateSARIF(t, []byte(out))
	var log sarifLog
	json.Unmarshal([]byte(out), &log)
	res := log.Runs[0].Results
	if len(res) == 0 || res[0].RuleID != "unknown_field" || res[0].Level != "error" || res[0].Locations[0].PhysicalLocation.Region.StartLine == 0 {
		t.Errorf("want unknown_field errors with lines, got %+v", res)
	}
}
