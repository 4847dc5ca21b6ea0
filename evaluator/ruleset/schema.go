package ruleset

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"
)

// SchemaFile is the JSON Schema of a ruleset's data, beside its data.yaml:
// the types, ranges and required keys of params.*. It is not data itself.
const SchemaFile = "data.schema.json"

// CodeInvalidData is the problem code of data that does not match the
// ruleset's schema.
const CodeInvalidData = "invalid_ruleset_data"

// DataError is one value of the ruleset's data (or of a --data override)
// that does not match the ruleset's schema, with the file and line that set it.
type DataError struct {
	File string
	Line int
	// Path is the value's dotted path ("params.payment.lag_days").
	Path    string
	Message string // English
	Zh      string // Chinese
}

// In writes the error as FILE:LINE: PATH: message, in lang.
func (e DataError) In(lang string) string {
	msg := e.Zh
	if lang == LangEn || msg == "" {
		msg = e.Message
	}
	where := e.File
	if e.Line > 0 {
		where = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return fmt.Sprintf("%s: %s: %s", where, e.Path, msg)
}

// DataErrors are every value of the data that does not match the schema.
// The ruleset is refused before anything is evaluated.
type DataErrors []DataError

func (es DataErrors) Error() string { return es.In(LangEn) }

// In lists the errors one a line, in lang.
func (es DataErrors) In(lang string) string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.In(lang)
	}
	return strings.Join(lines, "\n")
}

// dataFile is a data document as read, kept to tell which file and line set
// a value.
type dataFile struct {
	display string
	src     []byte
	doc     map[string]any
}

// schemaSource is a ruleset's data.schema.json as read.
type schemaSource struct {
	display string
	src     []byte
}

// validateData checks the merged data against every schema the ruleset
// directories give.
func (rs *Ruleset) validateData() error {
	var errs DataErrors
	for _, s := range rs.schemas {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(s.src))
		if err != nil {
			return fmt.Errorf("%s: %w", s.display, err)
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource(s.display, doc); err != nil {
			return fmt.Errorf("%s: %w", s.display, err)
		}
		schema, err := c.Compile(s.display)
		if err != nil {
			return fmt.Errorf("%s: %w", s.display, err)
		}
		err = schema.Validate(any(rs.Data))
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			if err != nil {
				return err
			}
			continue
		}
		for _, leaf := range leaves(ve) {
			errs = append(errs, rs.dataError(leaf))
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

var english = message.NewPrinter(language.English)

// dataError names the file and line that set the value an error is about:
// the last data document (overrides last) that has it, or the nearest
// enclosing value it has.
func (rs *Ruleset) dataError(e *jsonschema.ValidationError) DataError {
	path := e.InstanceLocation
	de := DataError{Path: strings.Join(path, "."), Message: e.ErrorKind.LocalizedString(english), Zh: chinese(e.ErrorKind)}
	if _, isType := e.ErrorKind.(*kind.Type); isType {
		if v, ok := lookup(rs.Data, path); ok {
			if s, isString := v.(string); isString {
				v = strconv.Quote(s)
			}
			de.Message += fmt.Sprintf(" (%v)", v)
			de.Zh += fmt.Sprintf(" %v", v)
		}
	}
	if de.Path == "" {
		de.Path = "(data)"
	}
	for depth := len(path); depth >= 0; depth-- {
		for i := len(rs.dataFiles) - 1; i >= 0; i-- {
			f := rs.dataFiles[i]
			if _, ok := lookup(f.doc, path[:depth]); ok {
				de.File, de.Line = f.display, yamlLine(f.src, path[:depth])
				return de
			}
		}
	}
	return de
}

// lookup walks a data document along path.
func lookup(v any, path []string) (any, bool) {
	for _, k := range path {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[k]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// yamlLine is the line of the value at path in a YAML (or JSON) document:
// its key's line for a mapping entry. 0 when it cannot be told.
func yamlLine(src []byte, path []string) int {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil || len(root.Content) == 0 {
		return 0
	}
	n, line := root.Content[0], root.Content[0].Line
	for _, k := range path {
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == k {
					line, n, found = n.Content[i].Line, n.Content[i+1], true
					break
				}
			}
			if !found {
				return line
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
		default:
			return line
		}
	}
	return line
}

// chinese says what is wrong in Chinese for the schema's usual keywords.
func chinese(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return fmt.Sprintf("应为%s，实为%s", typeNames(k.Want), typeName(k.Got))
	case *kind.Minimum:
		return fmt.Sprintf("应不小于 %s，实为 %s", rat(k.Want), rat(k.Got))
	case *kind.Maximum:
		return fmt.Sprintf("应不大于 %s，实为 %s", rat(k.Want), rat(k.Got))
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("应大于 %s，实为 %s", rat(k.Want), rat(k.Got))
	case *kind.Required:
		return fmt.Sprintf("缺少必填项 %s", strings.Join(k.Missing, "、"))
	case *kind.AdditionalProperties:
		return fmt.Sprintf("未知的键 %s（检查拼写）", strings.Join(k.Properties, "、"))
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return fmt.Sprintf("应为 %s 之一，实为 %v", strings.Join(want, "、"), k.Got)
	case *kind.MinItems:
		return fmt.Sprintf("至少应有 %d 项，实有 %d 项", k.Want, k.Got)
	case *kind.MinLength:
		return fmt.Sprintf("不能为空（至少 %d 个字符）", k.Want)
	}
	return ""
}

func rat(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(6)
}

var typeNamesZh = map[string]string{
	"integer": "整数", "number": "数值", "string": "字符串", "boolean": "布尔值（true/false）",
	"array": "列表", "object": "映射（键: 值）", "null": "空值",
}

func typeName(t string) string {
	if zh, ok := typeNamesZh[t]; ok {
		return zh
	}
	return t
}

func typeNames(ts []string) string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = typeName(t)
	}
	return strings.Join(out, "或")
}
