package output

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    string
		width int
		want  []string
	}{
		{"fits", "短文本", 10, []string{"短文本"}},
		{"words", "the quick brown fox jumps", 10, []string{"the quick", "brown fox", "jumps"}},
		{"chinese by character", "一二三四五六七八", 6, []string{"一二三", "四五六", "七八"}},
		{"no line starts with closing punctuation", "一二，三四", 4, []string{"一", "二，", "三四"}},
		{"a long word is cut", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"mixed", "金额 6万元 占申请额 256.204万元", 12, []string{"金额 6万元", "占申请额", "256.204万元"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := wrap(c.in, c.width)
			if strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
			}
			for _, l := range got {
				if Width(l) > c.width {
					t.Errorf("line %q is %d cells wide, more than %d", l, Width(l), c.width)
				}
			}
		})
	}
}
