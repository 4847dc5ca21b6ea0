package evaluator

import (
	"encoding/json"
	"testing"
)

func TestOptionalParts(t *testing.T) {
	params := map[string]any{
		"due":     map[string]any{"fen": json.Number("2752000")},
		"arrears": map[string]any{"fen": json.Number("0")},
		"name":    "C4",
	}
	for tmpl, want := range map[string]string{
		"应付 {due}[，另有未付 {arrears}]，未列入预算": "应付 {due}，未列入预算",
		"应付 {due}[，合计 {due}]":             "应付 {due}，合计 {due}",
		"[合同 {name}]应付":                   "合同 {name}应付",
		"[无参数]":                           "无参数",
		"no brackets {arrears}":           "no brackets {arrears}",
	} {
		if got := optionalParts(tmpl, params); got != want {
			t.Errorf("optionalParts(%q) = %q, want %q", tmpl, got, want)
		}
	}
}
