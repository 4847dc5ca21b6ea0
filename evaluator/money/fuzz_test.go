package money

import (
	"errors"
	"math/big"
	"strings"
	"testing"
)

var moneySeeds = []string{
	"90.4", "256.204", "0", "0.0001", "-2.325", "1,234.5", "1，234", "90.4万元", "904000元", "30万",
	"1e3", "7.0E1", ".nan", "-.Inf", "inf", "0x64", "3_0", "一百", " 12.5 ", "+5", "5.", ".5",
	"99999999999999999999", "100.00001", "70 万元", "",
}

// FuzzParse checks that Parse never panics and never mis-reads: whatever it
// accepts is exactly the decimal the text says, digits and point only.
func FuzzParse(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := Parse(text)
		if err != nil {
			return
		}
		s := strings.TrimSpace(text)
		if strings.Trim(s, "-0123456789.") != "" {
			t.Fatalf("Parse(%q) accepted something other than digits, a sign and a point", text)
		}
		want, ok := new(big.Rat).SetString(s)
		if !ok || want.Cmp(d.Rat()) != 0 {
			t.Fatalf("Parse(%q) = %s, want %v", text, d, want)
		}
		again, err := Parse(d.String())
		if err != nil || !again.Equal(d) {
			t.Fatalf("Parse(%q) does not read back: %v %v", d.String(), again, err)
		}
	})
}

// FuzzParseIn checks the unit rules: an accepted amount is positive, has at
// most the unit's decimals, converts to fen and back exactly.
func FuzzParseIn(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, yuan bool) {
		u := WanYuan
		if yuan {
			u = Yuan
		}
		d, err := ParseIn(text, u)
		if err != nil {
			if errors.Is(err, ErrUnitMismatch) && !strings.Contains(text, "元") && !strings.Contains(text, "万") {
				t.Fatalf("ParseIn(%q): %v without a unit", text, err)
			}
			return
		}
		if d.IsNegative() || -d.Exponent() > u.MaxPlaces() {
			t.Fatalf("ParseIn(%q, %s) = %s", text, u.Name, d)
		}
		fen, err := ToFen(d, u)
		if err != nil {
			t.Fatalf("ParseIn(%q, %s) = %s, which has no fen value: %v", text, u.Name, d, err)
		}
		if back := FromFen(fen, u); !back.Equal(d) {
			t.Fatalf("%s %s → %d fen → %s", d, u.Name, fen, back)
		}
		plain := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(text), u.Name))
		if p, err := Parse(plain); err != nil || !p.Equal(d) {
			t.Fatalf("ParseIn(%q) = %s but Parse(%q) = %v, %v", text, d, plain, p, err)
		}
	})
}
