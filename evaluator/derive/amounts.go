package derive

import (
	"regexp"

	"github.com/open-policy-agent/opa/v1/ast"

	stdstrings "strings"
	"unicode"
	"unicode/utf8"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
)

// amountInText is an amount written in running text: a number, with ASCII
// thousands separators or none, and 万元, 万 or 元 after it.
var amountInText = regexp.MustCompile(`((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(万元|万|元)`)

// contextRunes is how much of the text before an amount is kept as its
// "before", for the policies to recognise totals (合计, 共计, =).
const contextRunes = 8

// textAmounts extracts the amounts written in a text such as 测算依据
// ("设备8套×5万元=40万元，合计51.71万"), in fen and in order. Each comes with
// the text as written and the words before it since the previous amount or
// punctuation, so that the policies can tell a total from a unit price.
// A number followed by 万 and a word ("10万人", "3万平方米") is not money.
func textAmounts(text string) *ast.Term {
	var out []*ast.Term
	prev := 0
	for _, m := range amountInText.FindAllStringSubmatchIndex(text, -1) {
		number, unitName := stdstrings.ReplaceAll(text[m[2]:m[3]], ",", ""), text[m[4]:m[5]]
		if m[2] > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:m[2]]); r == '.' || unicode.IsDigit(r) {
				continue
			}
		}
		if unitName == "万" {
			if r, _ := utf8.DecodeRuneInString(text[m[1]:]); unicode.IsLetter(r) {
				continue
			}
		}
		unit := money.WanYuan
		if unitName == "元" {
			unit = money.Yuan
		}
		amount, err := money.Parse(number)
		if err != nil {
			continue
		}
		fen, err := money.ToFen(amount, unit)
		if err != nil {
			continue
		}
		out = append(out, ast.ObjectTerm(item("fen", num(fen)), item("text", str(text[m[0]:m[1]])), item("before", str(before(text[prev:m[0]])))))
		prev = m[1]
	}
	return ast.ArrayTerm(out...)
}

// before is the end of s after its last punctuation, at most contextRunes long.
func before(s string) string {
	if i := stdstrings.LastIndexAny(s, "，。；;,、\n：:（("); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		s = s[i+size:]
	}
	s = stdstrings.TrimSpace(s)
	if n := utf8.RuneCountInString(s); n > contextRunes {
		s = string([]rune(s)[n-contextRunes:])
	}
	return s
}
