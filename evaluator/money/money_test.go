package money

import (
	"errors"
	"testing"
)

// TestParseIn pins down which ways of writing an amount are read, and as
// what, and which are refused with which error.
func TestParseIn(t *testing.T) {
	for _, c := range []struct {
		text string
		unit Unit
		want string // the amount read, or "" when refused
		err  error
	}{
		{"90.4", WanYuan, "90.4", nil},
		{"256.2040", WanYuan, "256.204", nil},
		{"0", WanYuan, "0", nil},
		{"0.0001", WanYuan, "0.0001", nil},
		{"90.4万元", WanYuan, "90.4", nil},
		{" 70 万元 ", WanYuan, "70", nil},
		{"904000元", Yuan, "904000", nil},
		{"904000.01", Yuan, "904000.01", nil},
		{"904000元", WanYuan, "", ErrUnitMismatch},
		{"90.4万元", Yuan, "", ErrUnitMismatch},
		{"30万", WanYuan, "", ErrUnitMismatch},
		{"1,234.5", WanYuan, "", ErrSeparator},
		{"1，234", WanYuan, "", ErrSeparator},
		{"1e3", WanYuan, "", ErrExponent},
		{"7.0E1", WanYuan, "", ErrExponent},
		{".nan", WanYuan, "", ErrNotFinite},
		{"-.Inf", WanYuan, "", ErrNotFinite},
		{"-2.325", WanYuan, "", ErrNegative},
		{"0.00001", WanYuan, "", ErrPrecision},
		{"0.001", Yuan, "", ErrPrecision},
		{"99999999999999999999", WanYuan, "", ErrRange},
		{"0x64", WanYuan, "", ErrSyntax},
		{"3_0", WanYuan, "", ErrSyntax},
		{"一百", WanYuan, "", ErrSyntax},
		{"+5", WanYuan, "", ErrSyntax},
		{"5.", WanYuan, "", ErrSyntax},
		{".5", WanYuan, "", ErrSyntax},
		{"", WanYuan, "", ErrEmpty},
	} {
		got, err := ParseIn(c.text, c.unit)
		switch {
		case c.err != nil && !errors.Is(err, c.err):
			t.Errorf("ParseIn(%q, %s) = %s, %v; want error %v", c.text, c.unit.Name, got, err, c.err)
		case c.err == nil && (err != nil || got.String() != c.want):
			t.Errorf("ParseIn(%q, %s) = %s, %v; want %s", c.text, c.unit.Name, got, err, c.want)
		}
	}
}

func TestParseRefusesUnits(t *testing.T) {
	for _, text := range []string{"90.4万元", "5元", "30万"} {
		if _, err := Parse(text); !errors.Is(err, ErrUnitSuffix) {
			t.Errorf("Parse(%q) = %v, want ErrUnitSuffix", text, err)
		}
	}
}
