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
	b, err := appendJSON(make([]byte, 0, 4096), t.Value)
	return json.RawMessage(b), err
})

// appendJSON appends v as JSON, as rego's default conversion followed by
// encoding/json would write it (a set as an array in OPA's order, a key
// that is not a string as its JSON text), but for the order of object keys.
func appendJSON(b []byte, v ast.Value) ([]byte, error) {
	switch v := v.(type) {
	case ast.Null:
		return append(b, "null"...), nil
	case ast.Boolean:
		return strconv.AppendBool(b, bool(v)), nil
	case ast.Number:
		return append(b, v...), nil
	case ast.String:
		return appendString(b, string(v)), nil
	case *ast.Array:
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSON(b, v.Elem(i).Value); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case ast.Set:
		b = append(b, '[')
		first := true
		err := v.Iter(func(x *ast.Term) error {
			if !first {
				b = append(b, ',')
			}
			first = false
			var err error
			b, err = appendJSON(b, x.Value)
			return err
		})
		return append(b, ']'), err
	case ast.Object:
		b = append(b, '{')
		first := true
		err := v.Iter(func(k, x *ast.Term) error {
			if !first {
				b = append(b, ',')
			}
			first = false
			if s, ok := k.Value.(ast.String); ok {
				b = appendString(b, string(s))
			} else {
				key, err := appendJSON(nil, k.Value)
				if err != nil {
					return err
				}
				b = appendString(b, string(key))
			}
			b = append(b, ':')
			var err error
			b, err = appendJSON(b, x.Value)
			return err
		})
		return append(b, '}'), err
	}
	return nil, fmt.Errorf("%v in a result: not JSON", ast.TypeName(v))
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
