package evaluator

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// appendJSON writes what rego's default conversion and encoding/json give.
func TestAppendJSONAsRegoConverts(t *testing.T) {
	for _, src := range []string{
		`null`, `true`, `false`, `0`, `-12`, `3.25`, `1e3`, `12345678901234567890`,
		`"政务服务"`, `"tab\there \"quoted\" back\\slash"`, `"\u0001\u001f"`,
		`[]`, `{}`, `set()`, `[1, "a", [null]]`, `{"b", "a", "c"}`,
		`{"code": "X", "params": {"fen": 20000000, "name": "运维费"}, "adjustments": [{"line": "L1", "amount_fen": -20}]}`,
		`{1: "one", "2": "two", [1]: "list"}`,
		`{"findings": {{"code": "B"}, {"code": "A"}}}`,
	} {
		v := ast.MustParseTerm(src).Value
		got, err := appendJSON(nil, v)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		native, err := ast.JSON(v)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(native)
		if !reflect.DeepEqual(decode(t, got), decode(t, want)) {
			t.Errorf("%s:\n got %s\nwant %s", src, got, want)
		}
	}
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return v
}
