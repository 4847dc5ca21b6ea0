package submission

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
)

// maxAliased bounds the values a document may reach through YAML aliases,
// so that an alias bomb ("billion laughs") is refused instead of exhausting
// memory. Without aliases a document's size is bounded by the file size.
const maxAliased = 10_000

var (
	decimalType = reflect.TypeFor[decimal.Decimal]()
	dateType    = reflect.TypeFor[Date]()
	percentType = reflect.TypeFor[Percent]()
)

// decoder turns a yaml.Node tree into the submission types, strictly: it
// reports unknown fields, duplicate keys, wrong types and missing fields all
// at once, and records the position of every value it visits.
type decoder struct {
	c          *collector
	pos        map[string]Pos
	unit       string // project.unit as written, to read amounts in
	aliasDepth int    // > 0 while decoding through an alias
	aliased    int    // values reached through aliases
	tooComplex bool
}

func nodePos(n *yaml.Node) Pos { return Pos{Line: n.Line, Column: n.Column} }

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.tooComplex {
		return
	}
	at := nodePos(n) // an alias's value is placed where the alias stands
	if n.Kind == yaml.AliasNode {
		n = deref(n)
		d.aliasDepth++
		defer func() { d.aliasDepth-- }()
	}
	if d.aliasDepth > 0 {
		if d.aliased++; d.aliased > maxAliased {
			d.tooComplex = true
			d.c.add(CodeTooComplex, path, at, "the YAML aliases of this file expand to more than %d values; write the values out", maxAliased)
			return
		}
	}
	d.pos[path] = at
	t := v.Type()
	if isNull(n) {
		if t.Kind() == reflect.Struct && strings.HasSuffix(path, "]") {
			d.c.add(CodeMissing, path, nodePos(n), "an empty list item; remove the \"-\" or fill it in")
		}
		return // zero value; required fields are checked by the enclosing struct
	}
	switch {
	case t.Kind() == reflect.Pointer:
		elem := reflect.New(t.Elem())
		d.decode(n, elem.Elem(), path)
		if !d.c.flagged[path] { // a value that did not load stays absent
			v.Set(elem)
		}
	case t == decimalType:
		if d.scalar(n, path, "an amount") {
			amount, err := d.amount(n.Value, path)
			if err != nil {
				d.c.add(CodeInvalidAmount, path, nodePos(n), "%q is not an amount: %v", n.Value, err)
				return
			}
			v.Set(reflect.ValueOf(amount))
		}
	case t == dateType:
		if d.scalar(n, path, "a date (YYYY-MM-DD)") {
			date, err := ParseDate(n.Value)
			if err != nil {
				d.c.add(CodeInvalidDate, path, nodePos(n), "%v", err)
				return
			}
			v.Set(reflect.ValueOf(date))
		}
	case t == percentType:
		if d.scalar(n, path, `a percentage such as "30%"`) {
			p, err := parsePercent(n.Value)
			if err != nil {
				d.c.add(CodeInvalidValue, path, nodePos(n), "%v", err)
				return
			}
			v.Set(reflect.ValueOf(p))
		}
	case t.Kind() == reflect.String:
		if d.scalar(n, path, "text") {
			v.SetString(n.Value)
		}
	case t.Kind() == reflect.Int:
		if d.scalar(n, path, "a whole number") {
			i, err := strconv.Atoi(n.Value)
			if err != nil || n.Tag != "!!int" {
				d.c.add(CodeWrongType, path, nodePos(n), "%q is not a whole number", n.Value)
				return
			}
			v.SetInt(int64(i))
		}
	case t.Kind() == reflect.Bool:
		if d.scalar(n, path, "true or false") {
			if n.Tag != "!!bool" {
				d.c.add(CodeWrongType, path, nodePos(n), "%q is not true or false", n.Value)
				return
			}
			v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
		}
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.wrongKind(n, path, "a list")
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case t.Kind() == reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.wrongKind(n, path, "a mapping")
			return
		}
		m := reflect.MakeMap(t)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i], n.Content[i+1]
			if d.duplicate(seen, key, path) {
				continue
			}
			elem := reflect.New(t.Elem()).Elem()
			d.decode(val, elem, join(path, key.Value))
			m.SetMapIndex(reflect.ValueOf(key.Value), elem)
		}
		v.Set(m)
	case t.Kind() == reflect.Struct:
		d.structure(n, v, path)
	default:
		panic(fmt.Sprintf("submission: no decoder for %s", t))
	}
}

func (d *decoder) structure(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.wrongKind(n, path, "a mapping")
		return
	}
	t := v.Type()
	fields := map[string]int{}
	var names []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		fields[name] = i
		names = append(names, name)
	}
	seen := map[string]bool{}
	suggested := map[string]bool{}
	values := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if d.duplicate(seen, key, path) {
			continue
		}
		idx, ok := fields[key.Value]
		if !ok {
			msg := fmt.Sprintf("unknown field %q", key.Value)
			if key.Tag == "!!merge" {
				msg = "YAML merge keys (<<) are not supported; write the fields out"
			} else if near := nearest(key.Value, names); near != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", near)
				suggested[near] = true
			}
			d.c.add(CodeUnknownField, join(path, key.Value), nodePos(key), "%s", msg)
			continue
		}
		field := t.Field(idx)
		fieldPath := join(path, key.Value)
		values[key.Value] = deref(val)
		d.decode(val, v.Field(idx), fieldPath)
		if allowed := field.Tag.Get("enum"); allowed != "" && field.Type.Kind() == reflect.String {
			if s := v.Field(idx).String(); s != "" && !slices.Contains(strings.Split(allowed, ","), s) {
				d.c.add(CodeInvalidValue, fieldPath, nodePos(val), "%q is not one of %s", s, strings.ReplaceAll(allowed, ",", ", "))
			}
		}
	}
	for _, name := range names {
		field := t.Field(fields[name])
		if field.Tag.Get("required") != "true" {
			continue
		}
		val := values[name]
		switch {
		case val == nil && suggested[name]:
			// the misspelt key is reported with its correction
		case val == nil:
			d.c.add(CodeMissing, join(path, name), nodePos(n), "missing required field %q", name)
		case isNull(val) || field.Type.Kind() == reflect.String && val.Kind == yaml.ScalarNode && strings.TrimSpace(val.Value) == "":
			d.c.add(CodeMissing, join(path, name), nodePos(val), "required field %q is empty", name)
		}
	}
}

// amount reads a decimal: money in the submission's unit, or a plain
// quantity (scope.quantities), which is not money.
func (d *decoder) amount(text, path string) (decimal.Decimal, error) {
	if strings.Contains(path, ".quantities.") {
		q, err := money.Parse(text)
		if err == nil && q.IsNegative() {
			err = errors.New("a quantity cannot be negative")
		}
		return q, err
	}
	unit, ok := money.LookupUnit(d.unit)
	if !ok {
		unit = money.WanYuan // project.unit is reported on its own
	}
	return money.ParseIn(text, unit)
}

// duplicate reports a key already seen in the same mapping.
func (d *decoder) duplicate(seen map[string]bool, key *yaml.Node, path string) bool {
	if seen[key.Value] {
		d.c.add(CodeDuplicateKey, join(path, key.Value), nodePos(key), "key %q appears twice in the same mapping", key.Value)
		return true
	}
	seen[key.Value] = true
	return false
}

func (d *decoder) scalar(n *yaml.Node, path, want string) bool {
	if n.Kind != yaml.ScalarNode {
		d.wrongKind(n, path, want)
		return false
	}
	return true
}

func (d *decoder) wrongKind(n *yaml.Node, path, want string) {
	got := map[yaml.Kind]string{yaml.MappingNode: "a mapping", yaml.SequenceNode: "a list", yaml.ScalarNode: fmt.Sprintf("%q", n.Value)}[n.Kind]
	d.c.add(CodeWrongType, path, nodePos(n), "expected %s, found %s", want, got)
}

func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

var errPercent = errors.New(`write a ratio as a percentage between 0% and 100%, e.g. "30%"`)

func parsePercent(s string) (Percent, error) {
	num, ok := strings.CutSuffix(strings.TrimSpace(s), "%")
	if !ok {
		return Percent{}, fmt.Errorf("%q: %w", s, errPercent)
	}
	d, err := money.Parse(num)
	if err != nil || d.IsNegative() || d.GreaterThan(decimal.NewFromInt(100)) {
		return Percent{}, fmt.Errorf("%q: %w", s, errPercent)
	}
	return Percent{d.Shift(-2)}, nil
}

// maxSuggestLen is the longest name a "did you mean" is looked for.
const maxSuggestLen = 64

// nearest returns the candidate closest to s when it is a likely misspelling
// and no other candidate is as close.
func nearest(s string, candidates []string) string {
	if utf8.RuneCountInString(s) > maxSuggestLen {
		return ""
	}
	best, bestDist, ties := "", 3, 0
	for _, c := range candidates {
		if utf8.RuneCountInString(c) > maxSuggestLen {
			continue
		}
		switch dist := levenshtein(s, c); {
		case dist < bestDist:
			best, bestDist, ties = c, dist, 0
		case dist == bestDist:
			ties++
		}
	}
	if ties > 0 {
		return ""
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
