package evaluator

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
)

// asJSON has the prepared queries give their result as JSON text
// (json.RawMessage), written straight from OPA's value: collect decodes it
// into its structs, so the map[string]any that rego builds by default would
// only be encoded again.
var asJSON = rego.EvalGenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) {
	b, err := appendJSON(make([]byte, 0, 16<<10), t.Value)
	return json.RawMessage(b), err
})

// asJSONPair is asJSON for bothQuery: the text of each of the pair's two
// documents ([]json.RawMessage), so that neither is split out of the
// other's text again.
var asJSONPair = rego.EvalGenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) {
	pair, ok := t.Value.(*ast.Array)
	if !ok || pair.Len() != 2 {
		return nil, fmt.Errorf("%s is not a pair", bothQuery)
	}
	first, err := appendJSON(make([]byte, 0, 16<<10), pair.Elem(0).Value)
	if err != nil {
		return nil, err
	}
	second, err := appendJSON(make([]byte, 0, 4<<10), pair.Elem(1).Value)
	return []json.RawMessage{first, second}, err
})

// appendJSON appends v as JSON, as rego's default conversion followed by
// encoding/json would write it (a set as an array in OPA's order, a key
// that is not a string as its JSON text), but for the order of object keys.
func appendJSON(b []byte, v ast.Value) ([]byte, error) {
	w := &jsonWriter{b: b}
	// the callbacks are made once per document, not once per object
	w.elem, w.pair = w.writeElem, w.writePair
	err := w.value(v)
	return w.b, err
}

type jsonWriter struct {
	b     []byte
	first bool // no element written yet in the array or object being written
	elem  func(x *ast.Term) error
	pair  func(k, x *ast.Term) error
}

func (w *jsonWriter) value(v ast.Value) error {
	switch v := v.(type) {
	case ast.Null:
		w.b = append(w.b, "null"...)
	case ast.Boolean:
		w.b = strconv.AppendBool(w.b, bool(v))
	case ast.Number:
		w.b = append(w.b, v...)
	case ast.String:
		w.b = appendString(w.b, string(v))
	case *ast.Array:
		w.b = append(w.b, '[')
		for i := range v.Len() {
			if i > 0 {
				w.b = append(w.b, ',')
			}
			if err := w.value(v.Elem(i).Value); err != nil {
				return err
			}
		}
		w.b = append(w.b, ']')
	case ast.Set:
		w.b = append(w.b, '[')
		outer := w.first
		w.first = true
		if err := v.Iter(w.elem); err != nil {
			return err
		}
		w.first = outer
		w.b = append(w.b, ']')
	case ast.Object:
		w.b = append(w.b, '{')
		outer := w.first
		w.first = true
		if err := v.Iter(w.pair); err != nil {
			return err
		}
		w.first = outer
		w.b = append(w.b, '}')
	default:
		return fmt.Errorf("%v in a result: not JSON", ast.TypeName(v))
	}
	return nil
}

func (w *jsonWriter) writeElem(x *ast.Term) error {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	return w.value(x.Value)
}

func (w *jsonWriter) writePair(k, x *ast.Term) error {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
	if s, ok := k.Value.(ast.String); ok {
		w.b = appendString(w.b, string(s))
	} else {
		key, err := appendJSON(nil, k.Value)
		if err != nil {
			return err
		}
		w.b = appendString(w.b, string(key))
	}
	w.b = append(w.b, ':')
	return w.value(x.Value)
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
	}
	return append(b, '"')
}
