package submission

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Marshal writes s as schema YAML in its normal form: fields in the schema's
// order, amounts in their shortest exact form without unit, ratios as
// percentages, dates as YYYY-MM-DD, and absent or zero optional values left
// out. Loading the output gives the same facts as s.
func Marshal(s *Submission) ([]byte, error) {
	root := marshalValue(reflect.ValueOf(s).Elem())
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("marshal %s: %w", s.File, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("marshal %s: %w", s.File, err)
	}
	return b.Bytes(), nil
}

func scalarNode(tag, value string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// marshalValue returns the node for v, or nil when v is absent.
func marshalValue(v reflect.Value) *yaml.Node {
	t := v.Type()
	switch {
	case t.Kind() == reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		n := marshalValue(v.Elem())
		if n == nil { // a present but empty struct, e.g. scope: {}
			n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		}
		return n
	case t == decimalType:
		// Untagged plain scalars: the loader reads their text, never a float.
		return scalarNode("", v.Interface().(Amount).String())
	case t == dateType:
		return scalarNode("", v.Interface().(Date).String())
	case t == percentType:
		return scalarNode("", percent(v.Interface().(Percent).Decimal))
	case t.Kind() == reflect.String:
		if v.String() == "" {
			return nil
		}
		return scalarNode("!!str", v.String())
	case t.Kind() == reflect.Int:
		if v.Int() == 0 {
			return nil
		}
		return scalarNode("!!int", strconv.FormatInt(v.Int(), 10))
	case t.Kind() == reflect.Bool:
		if !v.Bool() {
			return nil
		}
		return scalarNode("!!bool", "true")
	case t.Kind() == reflect.Slice:
		if v.Len() == 0 {
			return nil
		}
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i := range v.Len() {
			item := marshalValue(v.Index(i))
			if item == nil {
				item = emptyLike(v.Index(i))
			}
			n.Content = append(n.Content, item)
		}
		return n
	case t.Kind() == reflect.Map:
		if v.Len() == 0 {
			return nil
		}
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := make([]string, 0, v.Len())
		for _, k := range v.MapKeys() {
			keys = append(keys, k.String())
		}
		slices.Sort(keys)
		for _, k := range keys {
			val := marshalValue(v.MapIndex(reflect.ValueOf(k)))
			if val == nil {
				val = emptyLike(v.MapIndex(reflect.ValueOf(k)))
			}
			n.Content = append(n.Content, scalarNode("!!str", k), val)
		}
		return n
	case t.Kind() == reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if name == "" || name == "-" {
				continue
			}
			if val := marshalValue(v.Field(i)); val != nil {
				n.Content = append(n.Content, scalarNode("!!str", name), val)
			}
		}
		if len(n.Content) == 0 {
			return nil
		}
		return n
	}
	panic(fmt.Sprintf("submission: no encoder for %s", t))
}

// emptyLike is the node of an item that has no content of its own: an empty
// mapping for a struct, an empty string for text, so that a list keeps its
// length.
func emptyLike(v reflect.Value) *yaml.Node {
	if v.Kind() == reflect.Struct || v.Kind() == reflect.Pointer {
		return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	return scalarNode("!!str", "")
}
