// Package indicator reads the values written in a performance-target table
// (指标值: "≥95%", "15个", "2021年12月前", "不适用") into their parts, so that
// the policies can judge whether a value is measurable without parsing text.
package indicator

import (
	"regexp"
	"strings"
	"unicode"
)

// Value is an indicator value split into its parts. Which prefixes count as
// comparisons, which words mean "not applicable" and which values are vague
// is for the policies to decide; Value only says what is written.
type Value struct {
	Text   string `json:"text"`   // as written, trimmed
	Prefix string `json:"prefix"` // what stands before the number ("≥", "不低于")
	Number string `json:"number"` // the number as a plain decimal ("95", "0.3"), "" if none
	Unit   string `json:"unit"`   // what follows the number ("%", "个", "万元")
	Date   string `json:"date"`   // a date written as 2021年12月 or 2021-12-31, "" if none
}

var (
	numberRe = regexp.MustCompile(`^(.*?)([0-9]+(?:\.[0-9]+)?)(.*)$`)
	dateRe   = regexp.MustCompile(`^(.*?)((?:19|20)[0-9]{2}(?:年(?:[0-9]{1,2}月(?:[0-9]{1,2}日)?)?|-[0-9]{2}(?:-[0-9]{2})?))(.*)$`)
)

// Parse splits text into its parts. It never fails: a value with no number
// and no date is returned with only Text set.
func Parse(text string) Value {
	v := Value{Text: strings.TrimFunc(text, unicode.IsSpace)}
	s := normalize(v.Text)
	if m := dateRe.FindStringSubmatch(s); m != nil {
		v.Prefix, v.Date, v.Unit = strings.TrimSpace(m[1]), m[2], strings.TrimSpace(m[3])
		return v
	}
	if m := numberRe.FindStringSubmatch(s); m != nil {
		v.Prefix, v.Number, v.Unit = strings.TrimSpace(m[1]), trimZeros(m[2]), strings.TrimSpace(m[3])
	}
	return v
}

// normalize maps full-width digits, signs and the decimal point to ASCII and
// the two-character comparisons to their symbols.
func normalize(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '．':
			return '.'
		case r == '％':
			return '%'
		case r == '＞':
			return '>'
		case r == '＜':
			return '<'
		case r == '＝':
			return '='
		}
		return r
	}, s)
	return strings.NewReplacer(">=", "≥", "<=", "≤").Replace(s)
}

func trimZeros(n string) string {
	if strings.Contains(n, ".") {
		n = strings.TrimRight(strings.TrimRight(n, "0"), ".")
	}
	n = strings.TrimLeft(n, "0")
	if n == "" || n[0] == '.' {
		n = "0" + n
	}
	return n
}
