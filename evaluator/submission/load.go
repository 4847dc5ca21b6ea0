package submission

import (
	"bytes"
	"fmt"
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
	f, err := os.Open(path)
	if err != nil {
		return nil, Problems{{Code: CodeRead, Pos: Pos{File: path}, Message: err.Error()}}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, Problems{{Code: CodeRead, Pos: Pos{File: path}, Message: err.Error()}}
	}
	if int64(len(data)) > limit {
		return nil, Problems{{Code: CodeTooLarge, Pos: Pos{File: path}, Message: fmt.Sprintf("the file is larger than the limit of %d bytes (--max-bytes)", limit)}}
	}
	return Parse(path, data)
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
	doc, ok := parseYAML(c, data)
	if !ok {
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
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		c.add(CodeEncoding, "", Pos{Line: 1, Column: 1}, "the file is UTF-16; save it as UTF-8")
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
	c.add(CodeEncoding, "", firstInvalid(data), "the file is neither UTF-8 nor GB18030/GBK; this is the first byte that is not UTF-8; save the file as UTF-8")
	return nil, false
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
			c.add(CodeSyntax, "", Pos{Line: 1, Column: 1}, "the YAML parser failed on this file: %v", r)
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
		c.add(CodeEmpty, "", Pos{Line: 1, Column: 1}, "the file holds no submission")
		return nil, false
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		syntaxProblems(c, data, err)
		return nil, false
	default:
		c.add(CodeMultipleDocuments, "", Pos{Line: next.Line, Column: next.Column}, "the file holds more than one YAML document (a second \"---\"); put one submission in each file")
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
				c.add(CodeTab, "", Pos{Line: i + 1, Column: col}, "a tab in the indentation; YAML indents with spaces only")
			}
		}
		return
	}
	c.add(CodeSyntax, "", Pos{Line: line, Column: 1}, "%s", syntaxMessage(err))
}

func tabIndented(line []byte) bool {
	indent := line[:len(line)-len(bytes.TrimLeft(line, " \t"))]
	return bytes.IndexByte(indent, '\t') >= 0
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
	return "YAML syntax: " + yamlPrefix.ReplaceAllString(err.Error(), "")
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
