package submission

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
)

// maxAliasedBytes bounds what a document may reach through YAML aliases,
// counted in bytes: the text of every value reached through an alias, plus
// aliasNodeCost for the value itself. Both an alias bomb ("billion laughs":
// many small values) and one long text aliased thousands of times are
// refused instead of exhausting memory; without aliases a document's size
// is bounded by the file size.
const (
	maxAliasedBytes = 1 << 20
	aliasNodeCost   = 64
)

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
	aliased    int    // bytes reached through aliases
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
		if d.aliased += len(n.Value) + aliasNodeCost; d.aliased > maxAliasedBytes {
			d.tooComplex = true
			d.c.add(CodeTooComplex, path, at, "the YAML aliases of this file expand to more than %d MiB; write the values out",
				"该文件的 YAML 别名展开后超过 %d MiB；请直接写出各个值", maxAliasedBytes>>20)
			return
		}
	}
	d.pos[path] = at
	t := v.Type()
	if isNull(n) {
		if t.Kind() == reflect.Struct && strings.HasSuffix(path, "]") {
			d.c.add(CodeMissing, path, nodePos(n), "an empty list item; remove the \"-\" or fill it in", "列表中有空项；请删除“-”或填写内容")
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
		if d.scalar(n, path, text{"an amount", "金额"}) {
			amount, err := d.amount(n.Value, path)
			if err != nil {
				d.c.add(CodeInvalidAmount, path, nodePos(n), "%q is not an amount: %v", "“%s”不是有效金额：%v", n.Value, amountError(err))
				return
			}
			v.Set(reflect.ValueOf(amount))
		}
	case t == dateType:
		if d.scalar(n, path, text{"a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"}) {
			date, err := ParseDate(n.Value)
			if err != nil {
				d.c.add(CodeInvalidDate, path, nodePos(n), "%q is not a date of the form YYYY-MM-DD", "“%s”不是 YYYY-MM-DD 格式的有效日期", n.Value)
				return
			}
			v.Set(reflect.ValueOf(date))
		}
	case t == percentType:
		if d.scalar(n, path, text{`a percentage such as "30%"`, "百分比（如“30%”）"}) {
			p, err := parsePercent(n.Value)
			if err != nil {
				d.c.add(CodeInvalidValue, path, nodePos(n), "%q: write a ratio as a percentage between 0%% and 100%%, e.g. \"30%%\"", "“%s”：比例应写成 0%% 到 100%% 之间的百分比，如“30%%”", n.Value)
				return
			}
			v.Set(reflect.ValueOf(p))
		}
	case t.Kind() == reflect.String:
		if d.scalar(n, path, text{"text", "文本"}) && d.plainTag(n, path) {
			v.SetString(n.Value)
		}
	case t.Kind() == reflect.Int:
		if d.scalar(n, path, text{"a whole number", "整数"}) {
			i, err := strconv.Atoi(n.Value)
			// Only a plain number as written: not "+2021", "02021", a
			// quoted or tagged string (!!int "2021") or YAML 1.1 octal.
			if err != nil || n.Tag != "!!int" || n.Style != 0 || !plainInt.MatchString(n.Value) {
				d.c.add(CodeWrongType, path, nodePos(n), "%q is not a whole number written as digits", "“%s”不是用数字写出的整数", n.Value)
				return
			}
			v.SetInt(int64(i))
		}
	case t.Kind() == reflect.Bool:
		if d.scalar(n, path, text{"true or false", "true 或 false"}) {
			if n.Tag != "!!bool" || n.Style != 0 {
				d.c.add(CodeWrongType, path, nodePos(n), "%q is not true or false", "“%s”不是 true 或 false", n.Value)
				return
			}
			v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
		}
	case t.Kind() == reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.wrongKind(n, path, text{"a list", "列表"})
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case t.Kind() == reflect.Map:
		if n.Kind != yaml.MappingNode {
			d.wrongKind(n, path, text{"a mapping", "映射（键: 值）"})
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
		d.wrongKind(n, path, text{"a mapping", "映射（键: 值）"})
		return
	}
	t := v.Type()
	st := structFields(t)
	seen := map[string]bool{}
	suggested := map[string]bool{}
	values := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if d.duplicate(seen, key, path) {
			continue
		}
		f, ok := st.byName[key.Value]
		if !ok {
			kp := join(path, key.Value)
			switch near := nearest(key.Value, st.names); {
			case key.Tag == "!!merge":
				d.c.add(CodeUnknownField, kp, nodePos(key), "YAML merge keys (<<) are not supported; write the fields out", "不支持 YAML 合并键（<<）；请直接写出各字段")
			case near != "":
				suggested[near] = true
				d.c.add(CodeUnknownField, kp, nodePos(key), "unknown field %q (did you mean %q?)", "未知字段“%s”（是否应为“%s”？）", key.Value, near)
			default:
				d.c.add(CodeUnknownField, kp, nodePos(key), "unknown field %q", "未知字段“%s”", key.Value)
			}
			continue
		}
		fieldPath := join(path, key.Value)
		values[key.Value] = deref(val)
		if d.tooMany(val, f.max, fieldPath) {
			continue
		}
		d.decode(val, v.Field(f.index), fieldPath)
		if f.enum != nil {
			if s := v.Field(f.index).String(); s != "" && !slices.Contains(f.enum, s) {
				d.c.add(CodeInvalidValue, fieldPath, nodePos(val), "%q is not one of %s", "“%s”不在可选值 %s 之中", s, strings.Join(f.enum, ", "))
			}
		}
	}
	for _, f := range st.fields {
		if !f.required {
			continue
		}
		name := f.name
		val := values[name]
		switch {
		case val == nil && suggested[name]:
			// the misspelt key is reported with its correction
		case val == nil:
			d.c.add(CodeMissing, join(path, name), nodePos(n), "missing required field %q", "缺少必填字段“%s”", name)
		case isNull(val) || f.kind == reflect.String && val.Kind == yaml.ScalarNode && strings.TrimSpace(val.Value) == "":
			d.c.add(CodeMissing, join(path, name), nodePos(val), "required field %q is empty", "必填字段“%s”为空", name)
		}
	}
}

// structInfo is what decoding reads from a struct type's tags, read once
// per type: a submission has thousands of mappings of a dozen types.
type structInfo struct {
	fields []fieldInfo // in declaration order
	byName map[string]fieldInfo
	names  []string // the yaml names, for "did you mean"
}

type fieldInfo struct {
	name     string
	index    int
	kind     reflect.Kind
	required bool     // tag required:"true"
	enum     []string // tag enum:"a,b" on a string field
	max      int      // tag max:"N", or -1
}

var structInfos sync.Map // reflect.Type → *structInfo

func structFields(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	si := &structInfo{byName: map[string]fieldInfo{}}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		f := fieldInfo{name: name, index: i, kind: sf.Type.Kind(), required: sf.Tag.Get("required") == "true", max: -1}
		if allowed := sf.Tag.Get("enum"); allowed != "" && f.kind == reflect.String {
			f.enum = strings.Split(allowed, ",")
		}
		if limit, err := strconv.Atoi(sf.Tag.Get("max")); err == nil {
			f.max = limit
		}
		si.fields = append(si.fields, f)
		si.byName[name] = f
		si.names = append(si.names, name)
	}
	actual, _ := structInfos.LoadOrStore(t, si)
	return actual.(*structInfo)
}

// tooMany refuses a list or mapping longer than its field's limit (the max
// tag) without decoding it: the limits are far above any real submission,
// and keep a huge one from running long and large in the policies.
func (d *decoder) tooMany(val *yaml.Node, limit int, path string) bool {
	if limit < 0 {
		return false
	}
	n := deref(val)
	count := len(n.Content)
	if n.Kind == yaml.MappingNode {
		count /= 2
	} else if n.Kind != yaml.SequenceNode {
		return false
	}
	if count <= limit {
		return false
	}
	d.c.add(CodeTooManyItems, path, nodePos(val), "%d items, more than the limit of %d; split the submission", "共 %d 项，超过 %d 项的上限；请拆分申报", count, limit)
	return true
}

// amount reads a decimal: money in the submission's unit, or a plain
// quantity (scope.quantities), which is not money.
func (d *decoder) amount(text, path string) (decimal.Decimal, error) {
	if strings.Contains(path, ".quantities.") {
		q, err := money.Parse(text)
		if err == nil && q.IsNegative() {
			err = errNegativeQuantity
		}
		return q, err
	}
	unit, ok := money.LookupUnit(d.unit)
	if !ok {
		unit = money.WanYuan // project.unit is reported on its own
	}
	if strings.HasPrefix(strings.TrimSpace(text), "-") {
		return decimal.Decimal{}, money.ErrNegative // "-0" too: a sign is never part of an amount
	}
	return money.ParseIn(text, unit)
}

// amountError gives the reason an amount was refused in both languages.
func amountError(err error) text {
	zh := map[error]string{
		money.ErrEmpty:        "金额为空",
		money.ErrSyntax:       "不是普通的十进制数",
		money.ErrExponent:     "金额不接受科学计数法",
		money.ErrNotFinite:    "NaN 和无穷大不是金额",
		money.ErrSeparator:    "不接受千位分隔符",
		money.ErrUnitSuffix:   "金额后不要写单位；单位见 project.unit",
		money.ErrUnitMismatch: "金额的单位与申报的单位（project.unit）不同",
		money.ErrNegative:     "金额应写成正数",
		money.ErrPrecision:    "小数位数过多",
		money.ErrRange:        "数值过大",
		errNegativeQuantity:   "数量不能为负数",
	}
	for sentinel, reason := range zh {
		if errors.Is(err, sentinel) {
			return text{err.Error(), reason}
		}
	}
	return text{err.Error(), err.Error()}
}

var errNegativeQuantity = errors.New("a quantity cannot be negative")

// duplicate reports a key already seen in the same mapping.
func (d *decoder) duplicate(seen map[string]bool, key *yaml.Node, path string) bool {
	if seen[key.Value] {
		d.c.add(CodeDuplicateKey, join(path, key.Value), nodePos(key), "key %q appears twice in the same mapping", "同一映射中键“%s”出现了两次", key.Value)
		return true
	}
	seen[key.Value] = true
	return false
}

// plainTag refuses text that YAML reads as something else by an explicit
// tag: base64 data (!!binary) or an application's own tag (!foo).
func (d *decoder) plainTag(n *yaml.Node, path string) bool {
	if n.Style&yaml.TaggedStyle == 0 || n.Tag == "!!str" {
		return true
	}
	d.c.add(CodeWrongType, path, nodePos(n), "expected text, found a value tagged %s; remove the tag", "此处应为文本，却是带 %s 标签的值；请删除标签", n.Tag)
	return false
}

func (d *decoder) scalar(n *yaml.Node, path string, want text) bool {
	if n.Kind != yaml.ScalarNode {
		d.wrongKind(n, path, want)
		return false
	}
	return true
}

func (d *decoder) wrongKind(n *yaml.Node, path string, want text) {
	got := map[yaml.Kind]text{
		yaml.MappingNode:  {"a mapping", "映射"},
		yaml.SequenceNode: {"a list", "列表"},
		yaml.ScalarNode:   {fmt.Sprintf("%q", n.Value), "“" + n.Value + "”"},
	}[n.Kind]
	d.c.add(CodeWrongType, path, nodePos(n), "expected %s, found %s", "此处应为%s，实为%s", want, got)
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

// plainInt is a whole number as people write it.
var plainInt = regexp.MustCompile(`^(0|-?[1-9][0-9]*)$`)

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
