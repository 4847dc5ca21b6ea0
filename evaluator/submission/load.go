package submission

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"unicode/utf8"

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
// positions.
func Parse(name string, data []byte) (*Submission, error) {
	c := &collector{file: name}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		c.add(CodeEncoding, "", firstInvalid(data), "the file is not UTF-8 (GBK or GB18030?); save it as UTF-8")
		return nil, c.err()
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		c.add(CodeSyntax, "", Pos{Line: syntaxLine(err)}, "%s", syntaxMessage(err))
		return nil, c.err()
	}
	if doc.Kind == 0 || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		c.add(CodeEmpty, "", Pos{Line: 1}, "the file holds no submission")
		return nil, c.err()
	}
	sub := &Submission{File: name, Positions: map[string]Pos{}}
	d := &decoder{c: c, pos: sub.Positions}
	d.decode(doc.Content[0], reflect.ValueOf(sub).Elem(), "")
	for path, p := range sub.Positions {
		p.File = name
		sub.Positions[path] = p
	}
	if len(c.problems) == 0 || !hasCode(c.problems, CodeTooComplex) {
		validate(sub, c, d.amounts)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	return sub, nil
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

func hasCode(ps Problems, code string) bool {
	for _, p := range ps {
		if p.Code == code {
			return true
		}
	}
	return false
}

var lineInError = regexp.MustCompile(`line (\d+)`)

func syntaxLine(err error) int {
	if m := lineInError.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
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
