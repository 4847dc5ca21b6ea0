package indicator

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

var plainNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]*[1-9])?$`)

// FuzzParse checks that Parse never panics, keeps the text, gives a number
// only in plain form, and reads its own text the same way twice.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"≥95%", "15个", "2021年5月前", "不适用", "≤256.204万元", "明显提升", ">=90%", "＞＝９５％", "3个工作日",
		"2021-12-31前", "0.30万元", "007个", "", "  ≥ 1.50 % ", "不低于98%", "2021年12月31日前完成",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v := Parse(text)
		if v.Text != strings.TrimFunc(text, unicode.IsSpace) {
			t.Fatalf("Parse(%q).Text = %q", text, v.Text)
		}
		if v.Number != "" && !plainNumber.MatchString(v.Number) {
			t.Fatalf("Parse(%q).Number = %q is not a plain number", text, v.Number)
		}
		if v.Number != "" && v.Date != "" {
			t.Fatalf("Parse(%q) has both a number and a date: %+v", text, v)
		}
		if again := Parse(v.Text); again != v {
			t.Fatalf("Parse is not stable: %+v then %+v", v, again)
		}
	})
}
