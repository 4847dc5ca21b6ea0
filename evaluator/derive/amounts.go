package derive

import (
	"regexp"
	stdstrings "strings"
	"unicode"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/shopspring/decimal"

	"github.com/budgetcheck/budgetcheck/evaluator/money"
)

// amountInText is an amount written in running text, in the spellings real
// 测算依据 use: a number with ASCII thousands separators or none, or a number
// in Chinese numerals (五万元, 两千五百元, 一万二千元), then 万元, 万, 元 or W
// (7W: 万 in shorthand). "3万元/年" is 3万元.
var amountInText = regexp.MustCompile(`((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|[零〇一二两三四五六七八九十百千]+(?:万[零〇一二两三四五六七八九十百千]+)?)\s*(万元|万|元|[Ww])`)

// notMoneyAfter are the measure words that, right after 万 (or W), make
// the number a count of something else: 3万平方米, 10万人次, 2万册.
const notMoneyAfter = "人次户个件份册株吨亩平米方公里千条台套辆张本名位只头盏块棵座间处所家场字步立余"

// contextRunes is how much of the text before an amount is kept as its
// "before", for the policies to recognise totals (合计, 共计, =).
const contextRunes = 8

// TextAmount is an amount written in a text.
type TextAmount struct {
	Fen    int64
	Text   string // as written: "19.38万", "7W", "五万元"
	Before string // the words before it since the previous amount or punctuation
}

// TextAmounts extracts the amounts written in a text such as 测算依据
// ("设备8套×5万元=40万元，合计51.71万", "以每年19.38万安排", "7W", "五万元"), in
// fen and in order. A number followed by 万 and a measure word ("10万人",
// "3万平方米") is not money, nor a number inside a longer one or a word
// (文号 2020〕12号 has no unit; "Win7W" is no amount).
func TextAmounts(text string) []TextAmount {
	var out []TextAmount
	prev := 0
	for _, m := range amountInText.FindAllStringSubmatchIndex(text, -1) {
		number, unitName := stdstrings.ReplaceAll(text[m[2]:m[3]], ",", ""), text[m[4]:m[5]]
		if m[2] > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:m[2]]); r == '.' || unicode.IsDigit(r) || r < utf8.RuneSelf && unicode.IsLetter(r) {
				continue
			}
		}
		next, _ := utf8.DecodeRuneInString(text[m[1]:])
		switch unitName {
		case "万":
			if stdstrings.ContainsRune(notMoneyAfter, next) {
				continue
			}
		case "W", "w":
			if next < utf8.RuneSelf && (unicode.IsLetter(next) || unicode.IsDigit(next)) || stdstrings.ContainsRune(notMoneyAfter, next) {
				continue
			}
		}
		unit := money.WanYuan
		if unitName == "元" {
			unit = money.Yuan
		}
		amount, err := money.Parse(number)
		if err != nil {
			var ok bool
			if amount, ok = chineseNumber(number); !ok {
				continue
			}
		}
		fen, err := money.ToFen(amount, unit)
		if err != nil {
			continue
		}
		out = append(out, TextAmount{Fen: fen, Text: text[m[0]:m[1]], Before: before(text[prev:m[0]])})
		prev = m[1]
	}
	return out
}

// textAmounts is TextAmounts as the input document holds them.
func textAmounts(text string) *ast.Term {
	amounts := TextAmounts(text)
	out := make([]*ast.Term, len(amounts))
	for i, a := range amounts {
		out[i] = ast.ObjectTerm(item("fen", num(a.Fen)), item("text", str(a.Text)), item("before", str(a.Before)))
	}
	return ast.ArrayTerm(out...)
}

var chineseDigits = map[rune]int64{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var chineseUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000}

// chineseNumber reads a whole number in Chinese numerals below 1亿
// (五, 十二, 两千五百, 一万二千).
func chineseNumber(s string) (decimal.Decimal, bool) {
	var total, section, digit int64
	seen := false
	for _, r := range s {
		switch {
		case r == '万':
			total += (section + digit) * 10000
			section, digit = 0, 0
		case chineseUnits[r] > 0:
			if digit == 0 {
				digit = 1 // 十二 is 12
			}
			section += digit * chineseUnits[r]
			digit = 0
		default:
			d, ok := chineseDigits[r]
			if !ok {
				return decimal.Decimal{}, false
			}
			digit = d
		}
		seen = true
	}
	return decimal.NewFromInt(total + section + digit), seen
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
