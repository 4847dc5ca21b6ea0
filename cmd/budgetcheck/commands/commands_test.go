package commands_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/budgetcheck/budgetcheck/cmd/budgetcheck/commands"
	"github.com/budgetcheck/budgetcheck/evaluator/output"
)

const seed = "../../../fixtures/qingbaijiang-2021/submission.yaml"

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = commands.Main(args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestCheckSeedText(t *testing.T) {
	out, _, code := run(t, "check", seed)
	if code != commands.ExitFail {
		t.Errorf("exit %d, want 1 (the seed has error findings)", code)
	}
	for _, want := range []string{"70.13", "调整后予以支持", "222.445", "256.204", "-33.759", "通过",
		"L1", "70.4", "L4", "53.8", "L5", "45.675", "contract:C3", "4.816", "contract:C4", "10.95"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q", want)
		}
	}
}

func TestCheckSeedEnglish(t *testing.T) {
	out, _, _ := run(t, "check", "--lang", "en", seed)
	for _, want := range []string{"Score: 70.13", "Supported after adjustment", "Recommended budget", "222.445"} {
		if !strings.Contains(out, want) {
			t.Errorf("English output lacks %q", want)
		}
	}
}

func TestCheckJSONFollowsTheResultSchema(t *testing.T) {
	out, _, code := run(t, "check", "--format", "json", seed)
	if code != commands.ExitFail {
		t.Errorf("exit %d, want 1", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	for _, key := range []string{"schema", "file", "project", "ruleset", "basic", "indicators", "score", "conclusion", "findings", "budget"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("result lacks %q", key)
		}
	}
	if doc["schema"] != "budgetcheck.result/v1" {
		t.Errorf("schema %v", doc["schema"])
	}
	score := doc["score"].(map[string]any)
	if score["total"] != "70.13" {
		t.Errorf("score.total %v, want the string 70.13", score["total"])
	}
	conclusion := doc["conclusion"].(map[string]any)
	if conclusion["code"] != "support_after_adjustment" {
		t.Errorf("conclusion.code %v", conclusion["code"])
	}
	budget := doc["budget"].(map[string]any)
	if budget["recommended"] != "222.445" || budget["change"] != "-33.759" {
		t.Errorf("budget %v → %v", budget["recommended"], budget["change"])
	}
	f := doc["findings"].([]any)[0].(map[string]any)
	for _, key := range []string{"code", "severity", "subject", "location", "message", "basis", "adjustments"} {
		if _, ok := f[key]; !ok {
			t.Errorf("finding lacks %q", key)
		}
	}
}

func TestCheckExitCodes(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		code    int
	}{
		{"clean-100", commands.ExitOK},
		{"basic-fail", commands.ExitFail},
		{"targets-only", commands.ExitOK},
		{"qingbaijiang-2021", commands.ExitFail},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			_, stderr, code := run(t, "check", filepath.Join("../../../fixtures", tc.fixture, "submission.yaml"))
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
		})
	}
}

func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	seedText, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text, want, wantZh string
	}{
		{"malformed", "schema: budgetcheck/v1\nproject: [unclosed\n", "malformed.yaml:", "malformed.yaml:"},
		{"string-amount", strings.Replace(string(seedText), "amount: 81\n", "amount: 八十一\n", 1),
			"string-amount.yaml:302:13: \"八十一\" is not an amount", "string-amount.yaml:302:13: “八十一”不是有效金额"},
		{"unknown-contract", strings.Replace(string(seedText), "contract: C7\n", "contract: C9\n", 1),
			"unknown-contract.yaml:308:15: there is no contract \"C9\"", "unknown-contract.yaml:308:15: 没有合同“C9”"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".yaml")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			for lang, want := range map[string]string{"en": tc.want, "zh": tc.wantZh} {
				_, stderr, code := run(t, "check", "--lang", lang, path)
				if code != commands.ExitInput {
					t.Errorf("--lang %s: exit %d, want 2", lang, code)
				}
				if !strings.Contains(stderr, want) {
					t.Errorf("--lang %s: stderr %q lacks %q", lang, stderr, want)
				}
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"check"}, {"check", "--format", "pdf", seed}, {"check", "--lang", "fr", seed}, {"frobnicate"}} {
		if _, _, code := run(t, args...); code != commands.ExitInput {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestVersion(t *testing.T) {
	out, _, code := run(t, "version")
	if code != 0 || !strings.Contains(out, "chengdu-pre-budget") || !strings.Contains(out, "opa ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// TestCheckTextWidth: the seed's text fits 100 columns when stdout is not a
// terminal (the reasons, messages and names wrap).
func TestCheckTextWidth(t *testing.T) {
	out, _, _ := run(t, "check", seed)
	for i, line := range strings.Split(out, "\n") {
		if w := output.Width(line); w > output.DefaultWidth {
			t.Errorf("line %d is %d columns wide: %q", i+1, w, line)
		}
	}
	if !strings.Contains(out, "70.13") || !strings.Contains(out, "222.445") {
		t.Errorf("the wrapped text lost the seed's figures:\n%s", out)
	}
}
