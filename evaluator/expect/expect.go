// Package expect compares a result document with an expected one, field by
// field. The expected document is a subset: only the fields it names are
// compared, so a regression case states just what it is about.
package expect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// Diff is one field whose value differs from what was expected.
type Diff struct {
	Path     string `json:"path"`
	Expected string `json:"expected"`
	Actual   string `json:"actual"`
}

func (d Diff) String() string {
	return fmt.Sprintf("%s: expected %s, got %s", d.Path, d.Expected, d.Actual)
}

// Compare returns the differences between expected (a subset) and actual,
// both JSON. Objects compare the keys expected names; arrays compare element
// by element and must have the same length.
func Compare(expected, actual []byte) ([]Diff, error) {
	var e, a any
	if err := decode(expected, &e); err != nil {
		return nil, fmt.Errorf("expected: %w", err)
	}
	if err := decode(actual, &a); err != nil {
		return nil, fmt.Errorf("actual: %w", err)
	}
	var diffs []Diff
	compare("", e, a, &diffs)
	return diffs, nil
}

func decode(bs []byte, v *any) error {
	dec := json.NewDecoder(bytes.NewReader(bs))
	dec.UseNumber()
	return dec.Decode(v)
}

func compare(path string, e, a any, diffs *[]Diff) {
	switch e := e.(type) {
	case map[string]any:
		am, ok := a.(map[string]any)
		if !ok {
			*diffs = append(*diffs, Diff{Path: root(path), Expected: "an object", Actual: show(a)})
			return
		}
		keys := make([]string, 0, len(e))
		for k := range e {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			av, present := am[k]
			if !present {
				*diffs = append(*diffs, Diff{Path: path + "." + k, Expected: show(e[k]), Actual: "(missing)"})
				continue
			}
			compare(path+"."+k, e[k], av, diffs)
		}
	case []any:
		aa, ok := a.([]any)
		if !ok {
			*diffs = append(*diffs, Diff{Path: root(path), Expected: "a list", Actual: show(a)})
			return
		}
		if len(e) != len(aa) {
			*diffs = append(*diffs, Diff{Path: root(path), Expected: fmt.Sprintf("%d items", len(e)), Actual: fmt.Sprintf("%d items: %s", len(aa), show(a))})
			return
		}
		for i := range e {
			compare(fmt.Sprintf("%s[%d]", path, i), e[i], aa[i], diffs)
		}
	default:
		if show(e) != show(a) {
			*diffs = append(*diffs, Diff{Path: root(path), Expected: show(e), Actual: show(a)})
		}
	}
}

func root(path string) string {
	if path == "" {
		return "."
	}
	return path
}

func show(v any) string {
	bs, _ := json.Marshal(v)
	return string(bs)
}
