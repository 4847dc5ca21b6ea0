package ruleset_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/budgetcheck/budgetcheck/evaluator/ruleset"
)

// A --data override of the wrong type or range is refused when the ruleset
// loads, before anything is evaluated, naming the override's file and line.
func TestDataOverrideOfTheWrongTypeOrRange(t *testing.T) {
	cases := []struct {
		name, yaml string
		line       int
		path       string
		en, zh     string
	}{
		{"string", "params:\n  payment:\n    lag_days: \"30\"\n", 3, "params.payment.lag_days", `got string, want integer ("30")`, `应为整数，实为字符串 "30"`},
		{"fraction", "params:\n  payment:\n    lag_days: 0.5\n", 3, "params.payment.lag_days", "got number, want integer (0.5)", "应为整数，实为数值 0.5"},
		{"negative", "# a district's parameters\nparams:\n  payment:\n    lag_days: -30\n", 4, "params.payment.lag_days", "minimum: got -30, want 0", "应不小于 0，实为 -30"},
		{"above a year", "params:\n  payment:\n    lag_days: 400\n", 3, "params.payment.lag_days", "maximum: got 400, want 366", "应不大于 366，实为 400"},
		{"misspelt key", "params:\n  payment:\n    lag_day: 30\n", 2, "params.payment", "additional properties 'lag_day' not allowed", "未知的键 lag_day（检查拼写）"},
		{"list of the wrong type", "params:\n  texts:\n    unit_factors: [10000, \"万\"]\n", 3, "params.texts.unit_factors.1", `got string, want integer ("万")`, `应为整数，实为字符串 "万"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(chengdu(t), fstest.MapFS{"override.yaml": {Data: []byte(tc.yaml)}})
			var bad ruleset.DataErrors
			if !errors.As(err, &bad) {
				t.Fatalf("want DataErrors, got %v", err)
			}
			if len(bad) != 1 {
				t.Fatalf("want one error, got %d:\n%v", len(bad), bad)
			}
			e := bad[0]
			if e.File != "override.yaml" || e.Line != tc.line || e.Path != tc.path {
				t.Errorf("at %s:%d %s, want override.yaml:%d %s", e.File, e.Line, e.Path, tc.line, tc.path)
			}
			if got := e.In(ruleset.LangEn); !strings.HasSuffix(got, tc.en) {
				t.Errorf("en: %q, want it to end in %q", got, tc.en)
			}
			if got := e.In(ruleset.LangZh); !strings.HasSuffix(got, tc.zh) {
				t.Errorf("zh: %q, want it to end in %q", got, tc.zh)
			}
		})
	}
}

// Every value that does not match is listed at once, each with its own
// file: the ruleset's data.yaml or the override.
func TestDataErrorsAllAtOnce(t *testing.T) {
	fsys := chengdu(t)
	// the ruleset's own data.yaml sets a parameter of the target library
	edit(t, fsys, "data.yaml", "\n  payment:\n", "\n  targets:\n    name_too_long: 0\n  payment:\n")
	_, err := load(fsys, fstest.MapFS{"override.yaml": {Data: []byte("params:\n  payment:\n    lag_days: \"30\"\n")}})
	var bad ruleset.DataErrors
	if !errors.As(err, &bad) || len(bad) != 2 {
		t.Fatalf("want two errors, got %v", err)
	}
	got := bad.In(ruleset.LangEn)
	for _, want := range []string{"override.yaml:3: params.payment.lag_days:", "rules/data.yaml:", "params.targets.name_too_long: minimum: got 0, want 1"} {
		if !strings.Contains(got, want) {
			t.Errorf("errors do not mention %q:\n%s", want, got)
		}
	}
}

// The schema is not data: data.schema.json is not merged into data.
func TestSchemaFileIsNotData(t *testing.T) {
	rs, err := load(chengdu(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := rs.Data["$schema"]; ok {
		t.Error("data.schema.json was merged into the data")
	}
}
