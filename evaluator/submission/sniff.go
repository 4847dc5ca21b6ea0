package submission

import (
	"bytes"
	"errors"
	"strings"

	"gopkg.in/yaml.v3"
)

// Mark is what a submission declares in its first lines (schema: budgetcheck/v1).
var Mark = []byte(SchemaV1)

// NotSubmission tells why the YAML or JSON text data, found in a folder, is
// not a submission: another budgetcheck document (a result, an expected
// result), or a readable document with neither a schema nor a project. It
// returns ok false for anything that is or may be a submission — one that
// declares the schema, a damaged, mis-encoded or empty file, a schema or
// project key however misspelt — which is then checked and, when it does
// not load, reported as an error: a submission is never passed over
// because it is broken.
func NotSubmission(data []byte) (why Problem, ok bool) {
	if bytes.Contains(data, Mark) {
		return Problem{}, false
	}
	c := &collector{}
	text, decoded := decodeText(c, data)
	if !decoded || len(bytes.TrimSpace(text)) == 0 {
		return Problem{}, false
	}
	if !fewEnoughValues(&collector{}, text) {
		return Problem{}, false // checked, and refused as too complex
	}
	var doc yaml.Node
	if err := parseOne(text, &doc); err != nil || doc.Kind == 0 || len(doc.Content) == 0 {
		return Problem{}, false
	}
	root := doc.Content[0]
	switch root.Kind {
	case yaml.MappingNode:
	case yaml.SequenceNode:
		return Problem{Message: "a YAML/JSON list, not a submission (no schema: budgetcheck/v1)", Zh: "YAML/JSON 列表，不是申报文件（没有 schema: budgetcheck/v1）"}, true
	default:
		return Problem{}, false // a scalar or null: a broken submission, most likely
	}
	submissionLike := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, deref(root.Content[i+1])
		if key == "schema" && val.Kind == yaml.ScalarNode && strings.HasPrefix(val.Value, "budgetcheck.") {
			return Problem{Message: "a " + val.Value + " document, not a submission", Zh: val.Value + " 文档，不是申报文件"}, true
		}
		submissionLike = submissionLike || key == "project" || levenshtein(strings.ToLower(key), "schema") <= 2
	}
	if submissionLike {
		return Problem{}, false
	}
	return Problem{Message: "neither schema: budgetcheck/v1 nor project: at the top level; not a submission", Zh: "顶层既没有 schema: budgetcheck/v1 也没有 project:，不是申报文件"}, true
}

var errParserFault = errors.New("the YAML parser failed")

// parseOne parses the first YAML document of data, recovering from a fault
// of the parser.
func parseOne(data []byte, doc *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errParserFault
		}
	}()
	if isJSON(data) {
		data = unescapeSlashes(data)
	}
	return yaml.NewDecoder(bytes.NewReader(data)).Decode(doc)
}
