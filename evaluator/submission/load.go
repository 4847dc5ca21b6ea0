package submission

import (
	"bytes"
	"io"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"gopkg.in/yaml.v3"
)

// DefaultMaxBytes is the largest submission file Load reads unless told otherwise.
const DefaultMaxBytes = 10 << 20

// Options tune Load.
type Options struct {
	// MaxBytes refuses larger files (0 means DefaultMaxBytes).
	MaxBytes int64
}

// Load reads, decodes and validates the submission at path. Any problem,
// whether of syntax, types or consistency, comes back as Problems: all of them
// at once, sorted by line.
func Load(path string, opts Options) (*Submission, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	c := &collector{file: path}
	// Only a regular file is opened: a named pipe or a device would block
	// the read (and a whole batch with it) or never end.
	st, err := os.Stat(path)
	if err != nil {
		c.add(CodeRead, "", Pos{}, "%v", "无法读取：%v", err)
		return nil, c.err()
	}
	if !st.Mode().IsRegular() {
		c.add(CodeNotRegular, "", Pos{}, "not a regular file (%s): only files are read", "不是普通文件（%s）：只读取文件", fileKind(st.Mode()))
		return nil, c.err()
	}
	if st.Size() > limit {
		return nil, tooLarge(c, limit)
	}
	f, err := os.Open(path)
	if err != nil {
		c.add(CodeRead, "", Pos{}, "%v", "无法读取：%v", err)
		return nil, c.err()
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		c.add(CodeRead, "", Pos{}, "%v", "无法读取：%v", err)
		return nil, c.err()
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(c, limit)
	}
	return Parse(path, data)
}

func tooLarge(c *collector, limit int64) error {
	c.add(CodeTooLarge, "", Pos{}, "the file is larger than the limit of %d bytes (--max-bytes)", "文件超过 %d 字节的上限（--max-bytes）", limit)
	return c.err()
}

// fileKind names what a path that is not a regular file is.
func fileKind(m os.FileMode) text {
	switch {
	case m.IsDir():
		return text{"a folder", "文件夹"}
	case m&os.ModeNamedPipe != 0:
		return text{"a named pipe", "命名管道"}
	case m&os.ModeSocket != 0:
		return text{"a socket", "套接字"}
	case m&os.ModeDevice != 0:
		return text{"a device", "设备"}
	}
	return text{m.Type().String(), m.Type().String()}
}

// Parse decodes and validates a submission held in memory; name is used in
// positions. It accepts UTF-8 (with or without a byte-order mark) and, when
// the bytes are not UTF-8 but are valid GB18030 (which includes GBK and
// GB2312), decodes them as GB18030; anything else is refused with the
// position of the first byte that is not UTF-8.
func Parse(name string, data []byte) (*Submission, error) {
	c := &collector{file: name}
	data, ok := decodeText(c, data)
	if !ok {
		return nil, c.err()
	}
	if !controlCharacters(c, data) {
		return nil, c.err()
	}
	if isJSON(data) {
		// JSON is YAML but for its escapes: "\/" (PHP writes every "/" so)
		// is valid JSON and unknown to YAML.
		data = unescapeSlashes(data)
	}
	if !fewEnoughValues(c, data) {
		return nil, c.err()
	}
	doc, ok := parseYAML(c, data)
	if !ok {
		return nil, c.err()
	}
	if tooManyPayments(c, doc) {
		// refused before decoding a hundred thousand facts, and alone
		return nil, c.err()
	}
	sub := &Submission{File: name, Positions: map[string]Pos{}}
	d := &decoder{c: c, pos: sub.Positions, unit: declaredUnit(doc)}
	d.decode(doc, reflect.ValueOf(sub).Elem(), "")
	for path, p := range sub.Positions {
		p.File = name
		sub.Positions[path] = p
	}
	if d.tooComplex {
		// The document is hostile: report that alone.
		c.problems = slices.DeleteFunc(c.problems, func(p Problem) bool { return p.Code != CodeTooComplex })
	} else {
		validate(sub, c)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return sub, nil
}

// decodeText returns data as UTF-8 without a byte-order mark.
func decodeText(c *collector, data []byte) ([]byte, bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if kind, ok := binaryKind(data); ok {
		c.add(CodeEncoding, "", Pos{Line: 1, Column: 1}, "the file is not a YAML or JSON submission but %s", "该文件不是 YAML 或 JSON 格式的申报文件，而是%s", kind)
		return nil, false
	}
	if enc := wideEncoding(data); enc != "" {
		c.add(CodeEncoding, "", Pos{Line: 1, Column: 1}, "the file is %s; save it as UTF-8", "该文件的编码是 %s；请另存为 UTF-8", enc)
		return nil, false
	}
	if utf8.Valid(data) {
		return data, true
	}
	if !mostlyUTF8(data) {
		if text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil && !bytes.ContainsRune(text, utf8.RuneError) {
			return text, true
		}
	}
	c.add(CodeEncoding, "", firstInvalid(data), "the file is neither UTF-8 nor GB18030/GBK; this is the first byte that is not UTF-8; save the file as UTF-8",
		"该文件既不是 UTF-8 也不是 GB18030/GBK 编码；此处是第一个不属于 UTF-8 的字节；请另存为 UTF-8")
	return nil, false
}

// binaryKind recognises the files most often handed over by mistake.
func binaryKind(data []byte) (text, bool) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return text{"a ZIP archive, such as an Excel workbook (.xlsx): convert a workbook with 'budgetcheck import xlsx FILE', or review it with 'budgetcheck batch'",
			"ZIP 压缩包（例如 Excel 工作簿 .xlsx）：工作簿请用 budgetcheck import xlsx FILE 转换，或用 budgetcheck batch 评估"}, true
	case bytes.HasPrefix(data, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return text{"an old Excel or Word file (.xls/.doc): save a workbook as .xlsx and convert it with 'budgetcheck import xlsx FILE'",
			"旧版 Excel 或 Word 文件（.xls/.doc）：请将工作簿另存为 .xlsx，再用 budgetcheck import xlsx FILE 转换"}, true
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return text{"a PDF document", "PDF 文档"}, true
	}
	return text{}, false
}

// wideEncoding names the UTF-16 or UTF-32 encoding of data, by its
// byte-order mark or, without one, by the zero bytes that ASCII characters
// (the keys of a submission) leave in it; "" for anything else.
func wideEncoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xfe\x00\x00")):
		return "UTF-32LE"
	case bytes.HasPrefix(data, []byte("\x00\x00\xfe\xff")):
		return "UTF-32BE"
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		return "UTF-16LE"
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		return "UTF-16BE"
	}
	n := min(len(data), 512) &^ 3
	if n < 8 {
		return ""
	}
	var zeros [4]int
	for i, b := range data[:n] {
		if b == 0 {
			zeros[i%4]++
		}
	}
	quarter := n / 4
	most := func(i int) bool { return zeros[i] > quarter*3/4 }
	few := func(i int) bool { return zeros[i] < quarter/4 }
	switch {
	case few(0) && most(1) && most(2) && most(3):
		return "UTF-32LE"
	case most(0) && most(1) && most(2) && few(3):
		return "UTF-32BE"
	case few(0) && most(1) && few(2) && most(3):
		return "UTF-16LE"
	case most(0) && few(1) && most(2) && few(3):
		return "UTF-16BE"
	}
	return ""
}

// controlCharacters reports every line holding a control character, which
// YAML does not allow anywhere (a NUL or BEL pasted from another program),
// at its own line and column.
func controlCharacters(c *collector, data []byte) bool {
	if !mayHoldControl(data) {
		return true // the usual case, found a byte at a time
	}
	ok := true
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r == '\t' || r == '\r' || r == 0x85:
		case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
			c.add(CodeEncoding, "", Pos{Line: line, Column: col}, "a control character (U+%04X) that YAML does not allow; remove it", "YAML 不允许的控制字符（U+%04X）；请删除", r)
			ok = false
			// one problem a line is enough
			if j := bytes.IndexByte(data[i:], '\n'); j >= 0 {
				i += j
				col += j
				continue
			}
			return ok
		}
		i += size
		col++
	}
	return ok
}

// mayHoldControl reports whether data holds a byte that begins a control
// character: a C0 control other than tab, line feed and carriage return, DEL,
// or the lead byte 0xC2 of a C1 control (U+0080–U+009F, but NEL, U+0085).
func mayHoldControl(data []byte) bool {
	for i, b := range data {
		switch {
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r', b == 0x7f:
			return true
		case b == 0xc2 && i+1 < len(data) && data[i+1] < 0xa0 && data[i+1] != 0x85:
			return true
		}
	}
	return false
}

// isJSON reports whether data is a JSON object or array, as far as its first
// character tells.
func isJSON(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

// unescapeSlashes writes JSON's "\/" escape as "/" inside strings, which
// YAML reads alike; lines stay where they were.
func unescapeSlashes(data []byte) []byte {
	if !bytes.Contains(data, []byte(`\/`)) {
		return data
	}
	out := make([]byte, 0, len(data))
	inString := false
	for i := 0; i < len(data); i++ {
		b := data[i]
		switch {
		case !inString:
			inString = b == '"'
		case b == '\\' && i+1 < len(data):
			if data[i+1] == '/' {
				i++
				out = append(out, '/')
				continue
			}
			out = append(out, b, data[i+1])
			i++
			continue
		case b == '"':
			inString = false
		}
		out = append(out, b)
	}
	return out
}

// mostlyUTF8 tells a UTF-8 file with a few broken bytes, which must not be
// read as GB18030 (it would decode to other characters), from a GB18030 file,
// whose bytes only now and then happen to form UTF-8 sequences.
func mostlyUTF8(data []byte) bool {
	good, bad := 0, 0
	for len(data) > 0 {
		if data[0] < utf8.RuneSelf {
			data = data[1:]
			continue
		}
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			bad++
			size = 1
		} else {
			good += size
		}
		data = data[size:]
	}
	// In GB18030 text only a small share of the high bytes happen to form
	// UTF-8 sequences; in UTF-8 text with a few broken bytes, most do.
	return bad < good
}

// parseYAML parses the one YAML document of data and returns its root.
func parseYAML(c *collector, data []byte) (root *yaml.Node, ok bool) {
	defer func() {
		// A fault in the third-party YAML parser must not take the whole
		// run down: the file is reported as unreadable instead.
		if r := recover(); r != nil {
			c.add(CodeSyntax, "", Pos{Line: 1, Column: 1}, "the YAML parser failed on this file: %v", "YAML 解析器无法读取该文件：%v", r)
			root, ok = nil, false
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		syntaxProblems(c, data, err)
		return nil, false
	}
	if doc.Kind == 0 || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		c.add(CodeEmpty, "", Pos{Line: 1, Column: 1}, "the file holds no submission", "文件中没有申报内容")
		return nil, false
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		syntaxProblems(c, data, err)
		return nil, false
	default:
		c.add(CodeMultipleDocuments, "", Pos{Line: next.Line, Column: next.Column}, "the file holds more than one YAML document (a second \"---\"); put one submission in each file",
			"文件中有多个 YAML 文档（第二个“---”）；每个文件只放一份申报")
		return nil, false
	}
	return doc.Content[0], true
}

// syntaxProblems reports a YAML syntax error; when the line it names is
// indented with a tab, every tab-indented line is reported instead, since
// that is the usual cause.
func syntaxProblems(c *collector, data []byte, err error) {
	line := syntaxLine(err, data)
	lines := bytes.Split(data, []byte("\n"))
	nearTab := strings.Contains(err.Error(), "tab character")
	for l := line - 1; l <= line+1; l++ {
		nearTab = nearTab || l >= 1 && l <= len(lines) && tabIndented(lines[l-1])
	}
	if nearTab {
		for i, l := range lines {
			if tabIndented(l) {
				col := bytes.IndexByte(l, '\t') + 1
				c.add(CodeTab, "", Pos{Line: i + 1, Column: col}, "a tab in the indentation; YAML indents with spaces only", "缩进中有制表符；YAML 只能用空格缩进")
			}
		}
		return
	}
	c.add(CodeSyntax, "", Pos{Line: line, Column: 1}, "YAML syntax: %s", "YAML 语法错误：%s", syntaxMessage(err))
}

func tabIndented(line []byte) bool {
	indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
	return bytes.IndexByte(indent, '\t') >= 0
}

// maxValues bounds the values a file may hold before it is parsed: the
// parser keeps a node of about 200 bytes per value, so that 10 MB of "a,"
// would take a gigabyte. Values are counted by what separates them — commas,
// colons and line ends — which a real submission has far fewer of (100,000
// target rows of five fields have a million).
const maxValues = 1_500_000

// fewEnoughValues refuses a file with more than maxValues separators, at the
// line where the count goes over, before the parser builds its tree.
func fewEnoughValues(c *collector, data []byte) bool {
	n, line := 0, 1
	for _, b := range data {
		switch b {
		case '\n':
			line++
			n++
		case ',', ':':
			n++
		default:
			continue
		}
		if n > maxValues {
			c.add(CodeTooComplex, "", Pos{Line: line, Column: 1}, "the file holds more than %d values (counted by commas, colons and lines) by this line; split the submission",
				"到此行为止，文件中的值已超过 %d 个（按逗号、冒号和行数计）；请拆分申报", maxValues)
			return false
		}
	}
	return true
}

// maxPayments bounds the payments of a submission (instalments, assessment
// cycles and predecessors' unpaid amounts, over all contracts): a real one
// has tens, and the policies' time and memory grow with them.
const maxPayments = 10_000

// tooManyPayments counts the payments in the YAML tree, before it is decoded.
func tooManyPayments(c *collector, root *yaml.Node) bool {
	contracts := mappingValue(root, "contracts")
	if contracts == nil || contracts.Kind != yaml.SequenceNode {
		return false
	}
	count := func(n *yaml.Node) int {
		if n == nil || n.Kind != yaml.SequenceNode {
			return 0
		}
		return len(n.Content)
	}
	number := func(n *yaml.Node, limit int) int {
		if n == nil || n.Kind != yaml.ScalarNode {
			return 0
		}
		i, err := strconv.Atoi(n.Value)
		if err != nil || i < 0 {
			return 0
		}
		return min(i, limit)
	}
	n := 0
	for _, ct := range contracts.Content {
		n += count(mappingValue(ct, "instalments"))
		if cy := mappingValue(ct, "cycle_payment"); cy != nil {
			n += number(mappingValue(cy, "cycles_per_year"), 12) * number(mappingValue(cy, "term_years"), 30)
		}
		n += count(mappingValue(mappingValue(ct, "predecessor"), "unpaid"))
	}
	if n <= maxPayments {
		return false
	}
	c.add(CodeTooManyPayments, "contracts", Pos{Line: contracts.Line, Column: contracts.Column},
		"the contracts hold %d payments (instalments, assessment cycles, unpaid amounts), more than the limit of %d; split the submission",
		"各合同共有 %d 笔付款（分期、考核周期、未付款项），超过 %d 笔的上限；请拆分申报", n, maxPayments)
	return true
}

// declaredUnit returns project.unit as written, so that amounts can be read
// in it while the rest is decoded.
func declaredUnit(root *yaml.Node) string {
	project := mappingValue(root, "project")
	if project == nil {
		return ""
	}
	if unit := mappingValue(project, "unit"); unit != nil && unit.Kind == yaml.ScalarNode {
		return unit.Value
	}
	return ""
}

func mappingValue(n *yaml.Node, key string) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// Pos returns where the fact at path stands, or the nearest enclosing fact
// that has a position.
func (s *Submission) Pos(path string) Pos {
	for path != "" {
		if p, ok := s.Positions[path]; ok {
			return p
		}
		path = parent(path)
	}
	return Pos{File: s.File, Line: 1, Column: 1}
}

func parent(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' || path[i] == '[' {
			return path[:i]
		}
	}
	return ""
}

var (
	lineInError   = regexp.MustCompile(`line (\d+)`)
	unknownAnchor = regexp.MustCompile(`unknown anchor '([^']*)'`)
)

// parserProblems are the errors of yaml.v3's parser (not its scanner): it
// numbers their lines from 0, and the line is where the enclosing
// collection starts.
var parserProblems = []string{
	"did not find expected <", "did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or", "found undefined tag handle",
	"found incompatible YAML document", "found duplicate %",
}

// syntaxLine returns the 1-based line a yaml.v3 error is about.
func syntaxLine(err error, data []byte) int {
	msg := err.Error()
	if m := lineInError.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		for _, p := range parserProblems {
			if strings.Contains(msg, p) {
				return n + 1
			}
		}
		return n
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		for i, l := range bytes.Split(data, []byte("\n")) {
			if bytes.Contains(l, []byte("*"+m[1])) {
				return i + 1
			}
		}
	}
	return 1
}

var yamlPrefix = regexp.MustCompile(`^yaml: (line \d+: )?`)

func syntaxMessage(err error) string {
	return yamlPrefix.ReplaceAllString(err.Error(), "")
}

func firstInvalid(data []byte) Pos {
	line, col := 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return Pos{Line: line, Column: col}
}
